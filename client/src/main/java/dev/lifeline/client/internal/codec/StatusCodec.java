package dev.lifeline.client.internal.codec;

import static dev.lifeline.client.internal.json.Leaf.INT;
import static dev.lifeline.client.internal.json.Leaf.STRING;

import dev.lifeline.client.KubeApiException;
import dev.lifeline.client.internal.json.ObjectSchema;
import java.time.Duration;

/** {@code metav1.Status}: the body of error answers and of watch ERROR events. */
public final class StatusCodec {
  private StatusCodec() {}

  /**
   * A decoded Status.
   *
   * @param kind the kind (must be {@code Status} for the rest to mean anything)
   * @param code the code
   * @param status {@code Success} or {@code Failure}
   * @param reason the reason, or null
   * @param message the message, or null
   * @param details the details, or null
   */
  public record Status(
      String kind,
      Integer code,
      String status,
      String reason,
      String message,
      KubeApiException.Details details) {

    /** Whether this really is a Status object. */
    public boolean isStatus() {
      return "Status".equals(kind);
    }

    /** The exception for this status, answered to {@code request} with HTTP {@code httpCode}. */
    public KubeApiException toException(String request, int httpCode, Duration retryAfterHeader) {
      Duration retryAfter = retryAfterHeader;
      if (retryAfter == null
          && details != null
          && details.retryAfterSeconds() != null
          && details.retryAfterSeconds() > 0) {
        retryAfter = Duration.ofSeconds(details.retryAfterSeconds());
      }
      int c = code != null && code > 0 ? code : httpCode;
      return new KubeApiException(request, c, reason, message, details, retryAfter, null);
    }
  }

  private static final ObjectSchema<KubeApiException.Cause> CAUSE =
      ObjectSchema.<KubeApiException.Cause>builder(
              "StatusCause", 3, s -> new KubeApiException.Cause(s.str(0), s.str(1), s.str(2)))
          .value(0, "reason", STRING)
          .value(1, "message", STRING)
          .value(2, "field", STRING)
          .build();

  private static final ObjectSchema<KubeApiException.Details> DETAILS =
      ObjectSchema.<KubeApiException.Details>builder(
              "StatusDetails",
              6,
              s ->
                  new KubeApiException.Details(
                      s.str(0), s.str(1), s.str(2), s.str(3), s.list(4), s.integer(5)))
          .value(0, "name", STRING)
          .value(1, "group", STRING)
          .value(2, "kind", STRING)
          .value(3, "uid", STRING)
          .list(4, "causes", CAUSE)
          .value(5, "retryAfterSeconds", INT)
          .build();

  /** Reads a Status. */
  public static final ObjectSchema<Status> SCHEMA =
      ObjectSchema.<Status>builder(
              "Status",
              6,
              s -> new Status(s.str(0), s.integer(1), s.str(2), s.str(3), s.str(4), s.get(5)))
          .value(0, "kind", STRING)
          .value(1, "code", INT)
          .value(2, "status", STRING)
          .value(3, "reason", STRING)
          .value(4, "message", STRING)
          .object(5, "details", DETAILS)
          .build();
}
