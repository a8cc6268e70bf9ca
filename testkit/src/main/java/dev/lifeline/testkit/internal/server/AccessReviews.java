package dev.lifeline.testkit.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeline.testkit.internal.api.Json;
import dev.lifeline.testkit.internal.api.Statuses;
import dev.lifeline.testkit.internal.api.Statuses.Cause;
import dev.lifeline.testkit.internal.auth.Identity;
import dev.lifeline.testkit.internal.auth.UserRegistry;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews}: "may I?" for the requesting
 * (or impersonated) user, answered from the same access rules that authorize its requests. The
 * review is not stored; the answer is the request with {@code status.allowed} (and {@code
 * status.reason} when allowed), code 201, as the apiserver's authorization REST answers it. Every
 * authenticated user may ask, as RBAC's {@code system:basic-user} allows.
 */
final class AccessReviews {
  static final String GROUP = "authorization.k8s.io";
  static final String RESOURCE = "selfsubjectaccessreviews";
  static final String KIND = "SelfSubjectAccessReview";

  /** The non-resource paths every authenticated user may get (system:discovery and friends). */
  private static final Set<String> PUBLIC_PATHS =
      Set.of("/api", "/apis", "/healthz", "/livez", "/readyz", "/version", "/openapi");

  private final UserRegistry users;

  AccessReviews(UserRegistry users) {
    this.users = users;
  }

  /**
   * Serves the part of a path after {@code /apis/authorization.k8s.io/v1/}.
   *
   * @throws dev.lifeline.testkit.KubeApiException 404 for the other review kinds (not served), 405
   *     for a method other than POST, 403 for anonymous requests, 400 and 422 for bad reviews
   */
  void handle(Exchange ex, String rest) {
    if (!rest.equals(RESOURCE)) {
      throw Statuses.pathNotFound();
    }
    if (!ex.method().equals("POST")) {
      throw Statuses.methodNotAllowed();
    }
    Identity id = ex.identity();
    if (id.isAnonymous()) {
      throw Statuses.forbidden(
          GROUP,
          RESOURCE,
          "",
          "User \"system:anonymous\" cannot create resource \""
              + RESOURCE
              + "\" in API group \""
              + GROUP
              + "\" at the cluster scope");
    }
    ex.countInFlight();
    String mt = RequestBodies.mediaType(ex);
    if (!mt.isEmpty() && !mt.equals("application/json")) {
      throw Statuses.unsupportedMediaType("application/json, application/yaml");
    }
    JsonNode body = ex.body.length == 0 ? Json.object() : RequestBodies.anyJson(ex);
    if (!body.isObject()) {
      throw Statuses.badRequest(
          "the object provided is unrecognized (must be of type " + KIND + ")");
    }
    String kind = body.path("kind").asText("");
    if (!kind.isEmpty() && !kind.equals(KIND)) {
      throw Statuses.badRequest(
          kind
              + " in version \""
              + body.path("apiVersion").asText("")
              + "\" cannot be handled as a "
              + KIND);
    }
    ObjectNode review = ((ObjectNode) body).deepCopy();
    review.put("kind", KIND);
    review.put("apiVersion", GROUP + "/v1");
    ObjectNode meta =
        review.path("metadata").isObject()
            ? (ObjectNode) review.get("metadata")
            : review.putObject("metadata");
    if (!meta.has("creationTimestamp")) {
      meta.putNull("creationTimestamp");
    }
    JsonNode spec = review.path("spec");
    JsonNode resource = spec.path("resourceAttributes");
    JsonNode nonResource = spec.path("nonResourceAttributes");
    validate(resource, nonResource);
    Optional<String> reason =
        resource.isObject() ? resourceDecision(id, resource) : nonResourceDecision(id, nonResource);
    ObjectNode status = review.putObject("status");
    status.put("allowed", reason.isPresent());
    reason.ifPresent(r -> status.put("reason", r));
    ex.json(201, Json.bytes(review));
  }

  private static void validate(JsonNode resource, JsonNode nonResource) {
    if (resource.isObject() && nonResource.isObject()) {
      throw Statuses.invalid(
          GROUP,
          KIND,
          "",
          List.of(
              new Cause(
                  "FieldValueInvalid",
                  "Invalid value: "
                      + nonResource
                      + ": cannot be specified in combination with resourceAttributes",
                  "spec.nonResourceAttributes")));
    }
    if (!resource.isObject() && !nonResource.isObject()) {
      throw Statuses.invalid(
          GROUP,
          KIND,
          "",
          List.of(
              new Cause(
                  "FieldValueInvalid",
                  "Invalid value: \"null\": exactly one of nonResourceAttributes or"
                      + " resourceAttributes must be specified",
                  "spec.resourceAttributes")));
    }
  }

  /** The decision the authorizer would take for a request with these attributes. */
  private Optional<String> resourceDecision(Identity id, JsonNode attributes) {
    String verb = attributes.path("verb").asText("");
    String resource = attributes.path("resource").asText("");
    String subresource = attributes.path("subresource").asText("");
    String namespace = attributes.path("namespace").asText("");
    String name = attributes.path("name").asText("");
    String group = attributes.path("group").asText("");
    if (group.equals(GROUP) && resource.equals(RESOURCE) && verb.equals("create")) {
      return Optional.of(
          "RBAC: allowed by ClusterRoleBinding \"system:basic-user\" of ClusterRole"
              + " \"system:basic-user\" to Group \"system:authenticated\"");
    }
    if (resource.equals("namespaces") && !name.isEmpty()) {
      // A namespace is authorized in its own scope, as for requests (see ApiLogic.authorize).
      namespace = name;
    }
    String qualified = subresource.isEmpty() ? resource : resource + "/" + subresource;
    return users.allowedBecause(id, verb, qualified, namespace);
  }

  private Optional<String> nonResourceDecision(Identity id, JsonNode attributes) {
    String path = attributes.path("path").asText("");
    String verb = attributes.path("verb").asText("");
    if (users.hasFullAccess(id)) {
      return users.allowedBecause(id, verb, path, "");
    }
    boolean publicPath =
        PUBLIC_PATHS.stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"));
    if (publicPath && verb.equals("get")) {
      return Optional.of(
          "RBAC: allowed by ClusterRoleBinding \"system:discovery\" of ClusterRole"
              + " \"system:discovery\" to Group \"system:authenticated\"");
    }
    return Optional.empty();
  }
}
