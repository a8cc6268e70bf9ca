package dev.lifeline.testkit.internal.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeline.testkit.KubeApiException;
import java.util.List;

/**
 * Builds {@code Status} objects exactly as the apiserver's {@code
 * k8s.io/apimachinery/pkg/api/errors} package shapes them: field order, message formats, which
 * details are present.
 */
public final class Statuses {
  private Statuses() {}

  /** One entry of {@code details.causes}; {@code field} may be null. */
  public record Cause(String reason, String message, String field) {}

  /** A {@code Status} with {@code status: Success}, as DELETE and eviction return. */
  public static ObjectNode success(Integer code, ObjectNode details) {
    ObjectNode s = header();
    s.put("status", "Success");
    if (details != null) {
      s.set("details", details);
    }
    if (code != null) {
      s.put("code", code);
    }
    return s;
  }

  /** Details naming one object, in the apiserver's order: name, group, kind, uid. */
  public static ObjectNode details(String name, String group, String kind, String uid) {
    ObjectNode d = Json.object();
    if (name != null && !name.isEmpty()) {
      d.put("name", name);
    }
    if (group != null && !group.isEmpty()) {
      d.put("group", group);
    }
    if (kind != null && !kind.isEmpty()) {
      d.put("kind", kind);
    }
    if (uid != null && !uid.isEmpty()) {
      d.put("uid", uid);
    }
    return d;
  }

  private static ObjectNode header() {
    ObjectNode s = Json.object();
    s.put("kind", "Status");
    s.put("apiVersion", "v1");
    s.set("metadata", Json.object());
    return s;
  }

  /**
   * A failure {@code Status}.
   *
   * @param details null for none, or the details object (an empty object is written as {@code {}})
   */
  public static ObjectNode failure(int code, String reason, String message, ObjectNode details) {
    ObjectNode s = header();
    s.put("status", "Failure");
    s.put("message", message);
    s.put("reason", reason);
    if (details != null) {
      s.set("details", details);
    }
    s.put("code", code);
    return s;
  }

  private static KubeApiException fail(
      int code, String reason, String message, ObjectNode details) {
    return new KubeApiException(failure(code, reason, message, details));
  }

  /** 404 NotFound for a named object: {@code pods "x" not found}. */
  public static KubeApiException notFound(String group, String resource, String name) {
    return fail(
        404,
        "NotFound",
        qualified(group, resource) + " \"" + name + "\" not found",
        details(name, group, resource, null));
  }

  /** 404 for a path the server has no handler for, as go-restful reports it. */
  public static KubeApiException pathNotFound() {
    return fail(404, "NotFound", "the server could not find the requested resource", Json.object());
  }

  /** 405 for a method the path does not support, as go-restful reports it. */
  public static KubeApiException methodNotAllowed() {
    return fail(
        405,
        "MethodNotAllowed",
        "the server does not allow this method on the requested resource",
        Json.object());
  }

  /** 409 AlreadyExists. */
  public static KubeApiException alreadyExists(String group, String resource, String name) {
    return fail(
        409,
        "AlreadyExists",
        qualified(group, resource) + " \"" + name + "\" already exists",
        details(name, group, resource, null));
  }

  /** 409 Conflict: {@code Operation cannot be fulfilled on pods "x": <why>}. */
  public static KubeApiException conflict(String group, String resource, String name, String why) {
    return fail(
        409,
        "Conflict",
        "Operation cannot be fulfilled on "
            + qualified(group, resource)
            + " \""
            + name
            + "\": "
            + why,
        details(name, group, resource, null));
  }

  /** The optimistic-concurrency conflict of an update with a stale resourceVersion. */
  public static KubeApiException staleUpdate(String group, String resource, String name) {
    return conflict(
        group,
        resource,
        name,
        "the object has been modified; please apply your changes to the latest version and try again");
  }

  /** 410 Expired. */
  public static KubeApiException expired(String message) {
    return fail(410, "Expired", message, null);
  }

  /** 410 Expired for a continue token, carrying a fresh token for an inconsistent continuation. */
  public static KubeApiException expiredContinue(String message, String newContinue) {
    ObjectNode status = failure(410, "Expired", message, null);
    if (newContinue != null) {
      ((ObjectNode) status.get("metadata")).put("continue", newContinue);
    }
    return new KubeApiException(status);
  }

  /** 400 BadRequest. */
  public static KubeApiException badRequest(String message) {
    return fail(400, "BadRequest", message, null);
  }

  /** 401 Unauthorized, as the authentication filter answers. */
  public static KubeApiException unauthorized() {
    return fail(401, "Unauthorized", "Unauthorized", null);
  }

  /**
   * 403 Forbidden.
   *
   * @param resource empty for a non-resource path
   * @param name empty when the request names no object
   */
  public static KubeApiException forbidden(String group, String resource, String name, String why) {
    String message;
    if (resource.isEmpty() && group.isEmpty()) {
      message = "forbidden: " + why;
    } else if (name.isEmpty()) {
      message = qualified(group, resource) + " is forbidden: " + why;
    } else {
      message = qualified(group, resource) + " \"" + name + "\" is forbidden: " + why;
    }
    return fail(403, "Forbidden", message, details(name, group, resource, null));
  }

  /**
   * 422 Invalid with one cause per field error.
   *
   * @param kind the object's kind, for example {@code Pod}
   */
  public static KubeApiException invalid(
      String group, String kind, String name, List<Cause> causes) {
    ObjectNode d = details(name, group, kind, null);
    ArrayNode arr = d.putArray("causes");
    StringBuilder aggregate = new StringBuilder();
    for (Cause c : causes) {
      ObjectNode cn = arr.addObject();
      cn.put("reason", c.reason());
      cn.put("message", c.message());
      if (c.field() != null) {
        cn.put("field", c.field());
      }
      if (aggregate.length() > 0) {
        aggregate.append(", ");
      }
      aggregate.append(c.field() == null ? "" : c.field() + ": ").append(c.message());
    }
    String agg = causes.size() > 1 ? "[" + aggregate + "]" : aggregate.toString();
    String qualifiedKind = group == null || group.isEmpty() ? kind : kind + "." + group;
    return fail(422, "Invalid", qualifiedKind + " \"" + name + "\" is invalid: " + agg, d);
  }

  /** 422 as the patch handler answers when a JSON patch cannot be applied. */
  public static KubeApiException unprocessable() {
    return fail(
        422,
        "Invalid",
        "the server rejected our request due to an error in our request",
        Json.object());
  }

  /** 429 TooManyRequests; {@code retryAfterSeconds} of 0 leaves it out of the details. */
  public static KubeApiException tooManyRequests(
      String message, int retryAfterSeconds, List<Cause> causes) {
    ObjectNode d = Json.object();
    if (!causes.isEmpty()) {
      ArrayNode arr = d.putArray("causes");
      for (Cause c : causes) {
        ObjectNode cn = arr.addObject();
        cn.put("reason", c.reason());
        cn.put("message", c.message());
      }
    }
    if (retryAfterSeconds > 0) {
      d.put("retryAfterSeconds", retryAfterSeconds);
    }
    return fail(429, "TooManyRequests", message, d);
  }

  /** 500 InternalError: {@code Internal error occurred: <message>}. */
  public static KubeApiException internalError(String message) {
    ObjectNode d = Json.object();
    d.putArray("causes").addObject().put("message", message);
    return fail(500, "InternalError", "Internal error occurred: " + message, d);
  }

  /** 503 ServiceUnavailable. */
  public static KubeApiException serviceUnavailable(String message) {
    return fail(503, "ServiceUnavailable", message, null);
  }

  /** 504 Timeout for a resourceVersion newer than the store has. */
  public static KubeApiException tooLargeResourceVersion(long requested, long current) {
    ObjectNode d = Json.object();
    ObjectNode cause = d.putArray("causes").addObject();
    cause.put("reason", "ResourceVersionTooLarge");
    cause.put("message", "Too large resource version");
    d.put("retryAfterSeconds", 1);
    return fail(
        504,
        "Timeout",
        "Timeout: Too large resource version: " + requested + ", current: " + current,
        d);
  }

  /** 406 NotAcceptable for an Accept header the server cannot satisfy. */
  public static KubeApiException notAcceptable(String acceptable) {
    return fail(
        406, "NotAcceptable", "only the following media types are accepted: " + acceptable, null);
  }

  /** 415 UnsupportedMediaType for a request body in a format the server does not read. */
  public static KubeApiException unsupportedMediaType(String acceptable) {
    return fail(
        415,
        "UnsupportedMediaType",
        "the body of the request was in an unknown format - accepted media types include: "
            + acceptable,
        null);
  }

  /** 413 for a body over the limit. */
  public static KubeApiException entityTooLarge(long limit) {
    return fail(413, "RequestEntityTooLarge", "Request entity too large: limit is " + limit, null);
  }

  /**
   * {@code pods} or {@code leases.coordination.k8s.io}, as {@code GroupResource.String()} prints.
   */
  public static String qualified(String group, String resource) {
    return group == null || group.isEmpty() ? resource : resource + "." + group;
  }
}
