package dev.lifeline.testkit.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeline.testkit.internal.api.Json;
import dev.lifeline.testkit.internal.api.ResourceType;
import dev.lifeline.testkit.internal.api.Statuses;
import dev.lifeline.testkit.internal.patch.JsonPatch;
import dev.lifeline.testkit.internal.patch.MergePatch;
import dev.lifeline.testkit.internal.patch.PatchException;
import dev.lifeline.testkit.internal.patch.StrategicMergePatch;
import dev.lifeline.testkit.internal.store.Eviction;
import dev.lifeline.testkit.internal.store.ObjectStore;
import dev.lifeline.testkit.internal.store.StoredObject;

/** GET, POST, PUT, PATCH and DELETE of single objects and their subresources. */
final class ResourceRequests {
  static final String PATCH_TYPES =
      "application/json-patch+json, application/merge-patch+json,"
          + " application/strategic-merge-patch+json";

  private final ObjectStore store;
  private final Eviction eviction;

  ResourceRequests(ObjectStore store, Eviction eviction) {
    this.store = store;
    this.eviction = eviction;
  }

  void handle(Exchange ex, ApiPath path, String verb) {
    switch (verb) {
      case "get" -> get(ex, path);
      case "create" -> {
        if (path.subresource().equals("eviction")) {
          evict(ex, path);
        } else {
          create(ex, path);
        }
      }
      case "update" -> update(ex, path);
      case "patch" -> patch(ex, path);
      case "delete" -> delete(ex, path);
      default -> throw Statuses.methodNotAllowed();
    }
  }

  private void get(Exchange ex, ApiPath path) {
    StoredObject o =
        store
            .get(path.type(), path.namespace(), path.name())
            .orElseThrow(
                () -> Statuses.notFound(path.type().group(), path.type().resource(), path.name()));
    ex.json(200, ObjectEncoding.object(o));
  }

  private void create(Exchange ex, ApiPath path) {
    ObjectNode obj = RequestBodies.object(ex, path.type());
    StoredObject created = store.create(path.type(), path.namespace(), obj, true);
    ex.json(201, ObjectEncoding.object(created));
  }

  private void update(Exchange ex, ApiPath path) {
    ObjectNode obj = RequestBodies.object(ex, path.type());
    ObjectStore.UpdateResult r =
        store.update(
            path.type(),
            path.namespace(),
            path.name(),
            obj,
            path.subresource().equals("status") ? ObjectStore.Scope.STATUS : ObjectStore.Scope.MAIN,
            true);
    ex.json(r.created() ? 201 : 200, ObjectEncoding.object(r.object()));
  }

  private void patch(Exchange ex, ApiPath path) {
    String mt = RequestBodies.mediaType(ex);
    ResourceType type = path.type();
    JsonNode patch;
    switch (mt) {
      case "application/json-patch+json",
          "application/merge-patch+json",
          "application/strategic-merge-patch+json" ->
          patch = RequestBodies.anyJson(ex);
      default -> throw Statuses.unsupportedMediaType(PATCH_TYPES);
    }
    if (mt.equals("application/merge-patch+json") && !patch.isObject()) {
      throw Statuses.badRequest(
          "json: cannot unmarshal non-object into Go value of type map[string]interface {}");
    }
    if (mt.equals("application/json-patch+json") && !patch.isArray()) {
      throw Statuses.badRequest(
          "json: cannot unmarshal object into Go value of type jsonpatch.Patch");
    }
    StoredObject patched =
        store.patch(
            type,
            path.namespace(),
            path.name(),
            current -> apply(mt, type, current, patch),
            path.subresource().equals("status")
                ? ObjectStore.Scope.STATUS
                : ObjectStore.Scope.MAIN);
    ex.json(200, ObjectEncoding.object(patched));
  }

  private static ObjectNode apply(
      String mediaType, ResourceType type, ObjectNode current, JsonNode patch) {
    JsonNode result;
    try {
      result =
          switch (mediaType) {
            case "application/json-patch+json" -> JsonPatch.apply(current, patch);
            case "application/merge-patch+json" -> MergePatch.apply(current, patch);
            default -> StrategicMergePatch.apply(type.kind(), current, patch);
          };
    } catch (PatchException e) {
      throw e.isMalformed() ? Statuses.badRequest(e.getMessage()) : Statuses.unprocessable();
    }
    if (!result.isObject()) {
      throw Statuses.unprocessable();
    }
    return (ObjectNode) result;
  }

  private void delete(Exchange ex, ApiPath path) {
    ObjectStore.Preconditions pre = ObjectStore.Preconditions.NONE;
    if (ex.body.length > 0) {
      JsonNode options;
      try {
        options = Json.parse(ex.body);
      } catch (java.io.IOException e) {
        throw Statuses.badRequest(
            "the object provided is unrecognized (must be of type DeleteOptions): "
                + e.getMessage());
      }
      JsonNode p = options.path("preconditions");
      pre =
          new ObjectStore.Preconditions(
              p.hasNonNull("uid") ? p.get("uid").asText() : null,
              p.hasNonNull("resourceVersion") ? p.get("resourceVersion").asText() : null);
    }
    ResourceType type = path.type();
    StoredObject deleted = store.delete(type, path.namespace(), path.name(), pre);
    if (type.returnsDeletedObject()) {
      ex.json(200, ObjectEncoding.object(deleted));
    } else {
      ex.json(
          200,
          Json.bytes(
              Statuses.success(
                  null,
                  Statuses.details(deleted.name(), type.group(), type.resource(), deleted.uid()))));
    }
  }

  private void evict(Exchange ex, ApiPath path) {
    String mt = RequestBodies.mediaType(ex);
    if (!mt.isEmpty() && !mt.equals("application/json")) {
      throw Statuses.unsupportedMediaType("application/json, application/yaml");
    }
    JsonNode body = ex.body.length == 0 ? Json.object() : RequestBodies.anyJson(ex);
    if (!body.isObject()) {
      throw Statuses.badRequest("the object provided is unrecognized (must be of type Eviction)");
    }
    String kind = body.path("kind").asText("Eviction");
    if (!kind.isEmpty() && !kind.equals("Eviction")) {
      throw Statuses.badRequest(
          kind
              + " in version \""
              + body.path("apiVersion").asText("")
              + "\" cannot be handled as"
              + " a Eviction");
    }
    eviction.evict(path.namespace(), path.name(), body);
    ex.json(201, Json.bytes(Statuses.success(201, null)));
  }
}
