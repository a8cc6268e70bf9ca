package dev.lifeline.testkit.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeline.testkit.internal.api.Json;
import dev.lifeline.testkit.internal.api.ResourceType;
import dev.lifeline.testkit.internal.api.Statuses;
import dev.lifeline.testkit.internal.api.Statuses.Cause;
import dev.lifeline.testkit.internal.auth.ServiceAccountTokens;
import dev.lifeline.testkit.internal.store.ObjectStore;
import dev.lifeline.testkit.internal.store.StoredObject;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /api/v1/namespaces/{ns}/serviceaccounts/{name}/token}: an {@code
 * authentication.k8s.io/v1} TokenRequest in, the same with {@code status.token} and {@code
 * status.expirationTimestamp} out (201), with the apiserver's validation (expiration between 10
 * minutes and 2^32 seconds, default 1 hour), audiences defaulted to the API audience, and bound
 * object references to Pods, Secrets and Nodes checked (existence, service account, uid).
 */
final class TokenRequests {
  private static final String GROUP = "authentication.k8s.io";
  private static final long DEFAULT_EXPIRATION = 3600;
  private static final long MIN_EXPIRATION = 600;

  private final ObjectStore store;
  private final ServiceAccountTokens tokens;
  private final Clock clock;

  TokenRequests(ObjectStore store, ServiceAccountTokens tokens) {
    this.store = store;
    this.tokens = tokens;
    this.clock = store.clock();
  }

  void create(Exchange ex, ApiPath path) {
    String mt = RequestBodies.mediaType(ex);
    if (!mt.isEmpty() && !mt.equals("application/json")) {
      throw Statuses.unsupportedMediaType("application/json, application/yaml");
    }
    JsonNode body = ex.body.length == 0 ? Json.object() : RequestBodies.anyJson(ex);
    if (!body.isObject()) {
      throw Statuses.badRequest(
          "the object provided is unrecognized (must be of type TokenRequest)");
    }
    String kind = body.path("kind").asText("");
    if (!kind.isEmpty() && !kind.equals("TokenRequest")) {
      throw Statuses.badRequest(
          kind
              + " in version \""
              + body.path("apiVersion").asText("")
              + "\" cannot be handled as a TokenRequest");
    }
    ObjectNode out = ((ObjectNode) body).deepCopy();
    out.put("kind", "TokenRequest");
    out.put("apiVersion", GROUP + "/v1");
    ObjectNode meta =
        out.has("metadata") && out.get("metadata").isObject()
            ? (ObjectNode) out.get("metadata")
            : out.putObject("metadata");
    if (!meta.has("creationTimestamp")) {
      meta.putNull("creationTimestamp");
    }
    ObjectNode spec =
        out.path("spec").isObject() ? (ObjectNode) out.get("spec") : out.putObject("spec");
    long expiration = spec.path("expirationSeconds").asLong(DEFAULT_EXPIRATION);
    spec.put("expirationSeconds", expiration);
    validate(expiration);
    checkNames(meta, path);
    StoredObject sa =
        store
            .get(path.type(), path.namespace(), path.name())
            .orElseThrow(() -> Statuses.notFound("", "serviceaccounts", path.name()));
    List<String> audiences = new ArrayList<>();
    spec.path("audiences").forEach(a -> audiences.add(a.asText()));
    if (audiences.isEmpty()) {
      audiences.add(ServiceAccountTokens.ISSUER);
      ArrayNode defaulted = spec.putArray("audiences");
      defaulted.add(ServiceAccountTokens.ISSUER);
    }
    ServiceAccountTokens.Bound bound = null;
    Optional<String> node = Optional.empty();
    JsonNode ref = spec.path("boundObjectRef");
    if (ref.isObject()) {
      StoredObject target = boundObject(ref, path);
      bound = new ServiceAccountTokens.Bound(target.type(), target.name(), target.uid());
      String nodeName = target.toTree().path("spec").path("nodeName").asText("");
      if (!nodeName.isEmpty()) {
        node = Optional.of(nodeName);
      }
      if (target.type().kind().equals("Node")) {
        node = Optional.empty();
      }
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant expiry = now.plusSeconds(expiration);
    String token = tokens.issue(sa, audiences, now, expiry, bound, node);
    ObjectNode status = out.putObject("status");
    status.put("token", token);
    status.put("expirationTimestamp", DateTimeFormatter.ISO_INSTANT.format(expiry));
    ex.json(201, Json.bytes(out));
  }

  private static void validate(long expiration) {
    List<Cause> causes = new ArrayList<>();
    if (expiration < MIN_EXPIRATION) {
      causes.add(
          new Cause(
              "FieldValueInvalid",
              "Invalid value: " + expiration + ": may not specify a duration less than 10 minutes",
              "spec.expirationSeconds"));
    }
    if (expiration > (1L << 32)) {
      causes.add(
          new Cause(
              "FieldValueInvalid",
              "Invalid value: "
                  + expiration
                  + ": may not specify a duration larger than 2^32 seconds",
              "spec.expirationSeconds"));
    }
    if (!causes.isEmpty()) {
      throw Statuses.invalid(GROUP, "TokenRequest", "", causes);
    }
  }

  private static void checkNames(ObjectNode meta, ApiPath path) {
    String name = meta.path("name").asText("");
    if (!name.isEmpty() && !name.equals(path.name())) {
      throw Statuses.invalid(
          GROUP,
          "TokenRequest",
          path.name(),
          List.of(
              new Cause(
                  "FieldValueInvalid",
                  "Invalid value: \""
                      + name
                      + "\": must match the service account name if specified",
                  "metadata.name")));
    }
    String ns = meta.path("namespace").asText("");
    if (!ns.isEmpty() && !ns.equals(path.namespace())) {
      throw Statuses.invalid(
          GROUP,
          "TokenRequest",
          path.name(),
          List.of(
              new Cause(
                  "FieldValueInvalid",
                  "Invalid value: \""
                      + ns
                      + "\": must match the service account namespace if specified",
                  "metadata.namespace")));
    }
  }

  /** The object a token is to be bound to, checked as TokenREST checks it. */
  private StoredObject boundObject(JsonNode ref, ApiPath path) {
    String kind = ref.path("kind").asText("");
    String apiVersion = ref.path("apiVersion").asText("");
    String name = ref.path("name").asText("");
    String uid = ref.path("uid").asText("");
    if (!apiVersion.equals("v1") || !List.of("Pod", "Secret", "Node").contains(kind)) {
      throw Statuses.badRequest(
          "cannot bind token to object of type "
              + (apiVersion.contains("/") ? apiVersion : "/" + apiVersion)
              + ", Kind="
              + kind);
    }
    ResourceType type = store.registry().byKind("v1", kind).orElseThrow();
    StoredObject target =
        store
            .get(type, type.namespaced() ? path.namespace() : "", name)
            .orElseThrow(() -> Statuses.notFound("", type.resource(), name));
    if (kind.equals("Pod")) {
      String podSa = target.toTree().path("spec").path("serviceAccountName").asText("default");
      if (!podSa.equals(path.name())) {
        throw Statuses.badRequest(
            "cannot bind token for serviceaccount \""
                + path.name()
                + "\" to pod running with different serviceaccount name.");
      }
    }
    if (!uid.isEmpty() && !uid.equals(target.uid())) {
      throw Statuses.conflict(
          "",
          kind,
          name,
          "the UID in the bound object reference ("
              + uid
              + ") does not match the UID in record. The object might have been deleted and then"
              + " recreated");
    }
    return target;
  }
}
