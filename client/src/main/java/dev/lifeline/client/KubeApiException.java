package dev.lifeline.client;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The API server (or a proxy in front of it) answered with an error status.
 *
 * <p>When the body was a Kubernetes {@code Status}, its reason, message and details are here;
 * otherwise {@link #bodyExcerpt()} holds the start of the body (what a load balancer or proxy
 * said).
 */
public class KubeApiException extends KubeException {
  private static final long serialVersionUID = 1L;

  private final int code;
  private final String reason;
  private final String statusMessage;
  private final Details details;
  private final Duration retryAfter;
  private final String bodyExcerpt;

  /**
   * An error answer.
   *
   * @param request the verb and path, e.g. {@code GET /api/v1/namespaces/x/pods/y}
   * @param code the HTTP status code
   * @param reason the Status reason (e.g. {@code NotFound}), or null
   * @param statusMessage the Status message, or null
   * @param details the Status details, or null
   * @param retryAfter the delay the server asked for (Retry-After or details), or null
   * @param bodyExcerpt the start of a body that was not a Status, or null
   */
  public KubeApiException(
      String request,
      int code,
      String reason,
      String statusMessage,
      Details details,
      Duration retryAfter,
      String bodyExcerpt) {
    super(describe(request, code, reason, statusMessage, bodyExcerpt));
    this.code = code;
    this.reason = reason;
    this.statusMessage = statusMessage;
    this.details = details;
    this.retryAfter = retryAfter;
    this.bodyExcerpt = bodyExcerpt;
  }

  /**
   * The {@code details} of a Status.
   *
   * @param name the object's name, or null
   * @param group the group, or null
   * @param kind the kind (or resource), or null
   * @param uid the uid, or null
   * @param causes the causes (field errors for 422 Invalid)
   * @param retryAfterSeconds the suggested delay, or null
   */
  public record Details(
      String name,
      String group,
      String kind,
      String uid,
      List<Cause> causes,
      Integer retryAfterSeconds)
      implements java.io.Serializable {
    /** Copies. */
    public Details {
      causes = causes == null ? List.of() : List.copyOf(causes);
    }
  }

  /**
   * One cause of a failure.
   *
   * @param reason a machine-readable reason, e.g. {@code FieldValueRequired}
   * @param message a human-readable message
   * @param field the field at fault, e.g. {@code spec.containers[0].image}
   */
  public record Cause(String reason, String message, String field)
      implements java.io.Serializable {}

  /** The HTTP status code. */
  public int code() {
    return code;
  }

  /**
   * The Status reason ({@code NotFound}, {@code AlreadyExists}, {@code Conflict}, {@code
   * Expired}...), or null.
   */
  public String reason() {
    return reason;
  }

  /** The Status message, or null. */
  public String statusMessage() {
    return statusMessage;
  }

  /** The Status details, if any. */
  public Optional<Details> details() {
    return Optional.ofNullable(details);
  }

  /** The causes in the details (empty when none). */
  public List<Cause> causes() {
    return details == null ? List.of() : details.causes();
  }

  /** The delay the server asked for, if any. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** The start of the body when it was not a Status, or null. */
  public String bodyExcerpt() {
    return bodyExcerpt;
  }

  /** 404. */
  public boolean isNotFound() {
    return code == 404;
  }

  /** 409 with reason {@code AlreadyExists}. */
  public boolean isAlreadyExists() {
    return code == 409 && "AlreadyExists".equals(reason);
  }

  /** 409 not about existence: an update based on a stale resource version. */
  public boolean isConflict() {
    return code == 409 && !"AlreadyExists".equals(reason);
  }

  /** 410, or reason {@code Expired}/{@code Gone}: the resource version is too old; relist. */
  public boolean isGone() {
    return code == 410 || "Expired".equals(reason) || "Gone".equals(reason);
  }

  /** 422: the object is invalid (see {@link #causes()}). */
  public boolean isInvalid() {
    return code == 422;
  }

  /** 429: too many requests (rate limited, or an eviction blocked by a disruption budget). */
  public boolean isTooManyRequests() {
    return code == 429;
  }

  /** 401: the credentials were refused. */
  public boolean isUnauthorized() {
    return code == 401;
  }

  /** 403: the user may not do this. */
  public boolean isForbidden() {
    return code == 403;
  }

  private static String describe(
      String request, int code, String reason, String message, String excerpt) {
    StringBuilder s = new StringBuilder(request).append(": ").append(code);
    if (reason != null && !reason.isEmpty()) {
      s.append(' ').append(reason);
    }
    if (message != null && !message.isEmpty()) {
      s.append(": ").append(message);
    } else if (excerpt != null && !excerpt.isEmpty()) {
      s.append(": ").append(excerpt);
    }
    return s.toString();
  }
}
