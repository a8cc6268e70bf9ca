package dev.lifeline.client.internal.http;

import java.util.ArrayList;
import java.util.List;
import okhttp3.MediaType;

/**
 * One API request before it becomes an HTTP request: verb, path segments below the server URL,
 * query and body. Immutable.
 *
 * @param method the HTTP method
 * @param segments the path segments, e.g. {@code [api, v1, namespaces, x, pods]}
 * @param query the query parameters as name, value pairs
 * @param body the body, or null
 * @param contentType the body's media type, or null
 * @param accept the Accept header
 */
public record ApiRequest(
    String method,
    List<String> segments,
    List<String> query,
    byte[] body,
    MediaType contentType,
    String accept) {

  /** JSON. */
  public static final MediaType JSON = MediaType.get("application/json");

  /** Copies. */
  public ApiRequest {
    segments = List.copyOf(segments);
    query = List.copyOf(query);
  }

  /** A request without a body. */
  public static ApiRequest of(String method, List<String> segments) {
    return new ApiRequest(method, segments, List.of(), null, null, "application/json");
  }

  /** The same with a query parameter added (null values are left out). */
  public ApiRequest param(String name, Object value) {
    if (value == null) {
      return this;
    }
    List<String> q = new ArrayList<>(query);
    q.add(name);
    q.add(String.valueOf(value));
    return new ApiRequest(method, segments, q, body, contentType, accept);
  }

  /** The same with a body. */
  public ApiRequest body(byte[] body, MediaType contentType) {
    return new ApiRequest(method, segments, query, body, contentType, accept);
  }

  /** The same with another Accept header. */
  public ApiRequest accept(String accept) {
    return new ApiRequest(method, segments, query, body, contentType, accept);
  }

  /** The verb and path, for messages, e.g. {@code GET /api/v1/namespaces/x/pods}. */
  public String describe() {
    return method + " /" + String.join("/", segments);
  }

  @Override
  public String toString() {
    return describe();
  }
}
