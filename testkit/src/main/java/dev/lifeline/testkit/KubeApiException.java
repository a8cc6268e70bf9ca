package dev.lifeline.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A failure shaped as the Kubernetes API shapes it: an HTTP status code, a {@code Status.reason}
 * and a message.
 *
 * <p>The fake control plane answers HTTP requests with the {@link #status() Status object} this
 * exception carries; the direct Java API of {@link FakeStore} throws it with the same content, so a
 * test sees the same conflict, not-found or invalid error whichever way it reaches the store.
 */
public final class KubeApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int code;
  private final String reason;
  private final transient ObjectNode status;

  /**
   * Creates the exception from a complete {@code Status} object.
   *
   * @param status the {@code Status} object, with at least {@code code}, {@code reason} and {@code
   *     message}
   */
  public KubeApiException(ObjectNode status) {
    super(Objects.requireNonNull(status, "status").path("message").asText());
    this.status = status;
    this.code = status.path("code").asInt();
    this.reason = status.path("reason").asText();
  }

  /** The HTTP status code, for example 404 or 409. */
  public int code() {
    return code;
  }

  /**
   * The machine-readable reason, for example {@code NotFound}, {@code Conflict} or {@code Expired}.
   */
  public String reason() {
    return reason;
  }

  /** A copy of the {@code Status} object exactly as the HTTP API would return it. */
  public ObjectNode status() {
    return status.deepCopy();
  }
}
