package dev.lifeline.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A fault to inject into one apiserver instance with {@link ApiServerInstance#inject(Fault)}.
 * Immutable; the {@code with…} methods return modified copies.
 *
 * <ul>
 *   <li>{@link #blackhole()}: open connections stop moving bytes and new connections never
 *       complete; the instance stops renewing its endpoint lease, so it leaves the {@code
 *       kubernetes} EndpointSlice after the lease TTL.
 *   <li>{@link #reset()}: new connections are refused and every open connection is reset (RST),
 *       with no HTTP/2 GOAWAY and no TLS close_notify before, busy or idle, as when a process dies;
 *       the instance keeps renewing its endpoint lease.
 *   <li>{@link #latency(Duration)}: a delay before each response (optionally before each watch
 *       event).
 *   <li>{@link #errorResponses(int)}: 500, 503 or 429 answers for all requests, a share, or
 *       matching paths.
 * </ul>
 */
public final class Fault {
  /** The kinds of fault. */
  public enum Kind {
    /** See {@link Fault#blackhole()}. */
    BLACKHOLE,
    /** See {@link Fault#reset()}. */
    RESET,
    /** See {@link Fault#latency(Duration)}. */
    LATENCY,
    /** See {@link Fault#errorResponses(int)}. */
    ERRORS
  }

  private static final Set<Integer> ERROR_CODES = Set.of(429, 500, 503);

  private final Kind kind;
  private final DropMode dropMode;
  private final Duration delay;
  private final boolean delayWatchEvents;
  private final int statusCode;
  private final double share;
  private final Pattern pathPattern;
  private final int retryAfterSeconds;

  private Fault(
      Kind kind,
      DropMode dropMode,
      Duration delay,
      boolean delayWatchEvents,
      int statusCode,
      double share,
      Pattern pathPattern,
      int retryAfterSeconds) {
    this.kind = kind;
    this.dropMode = dropMode;
    this.delay = delay;
    this.delayWatchEvents = delayWatchEvents;
    this.statusCode = statusCode;
    this.share = share;
    this.pathPattern = pathPattern;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** A blackhole with real drops when available ({@link DropMode#BEST_AVAILABLE}). */
  public static Fault blackhole() {
    return blackhole(DropMode.BEST_AVAILABLE);
  }

  /** A blackhole with the given drop mode. */
  public static Fault blackhole(DropMode mode) {
    return new Fault(
        Kind.BLACKHOLE, Objects.requireNonNull(mode, "mode"), null, false, 0, 1.0, null, 0);
  }

  /**
   * Refuse new connections and reset every open one (SO_LINGER 0, closed beneath TLS and HTTP/2),
   * until {@link ApiServerInstance#restore()}.
   */
  public static Fault reset() {
    return new Fault(Kind.RESET, null, null, false, 0, 1.0, null, 0);
  }

  /**
   * A delay before each response.
   *
   * @param delay the added delay, positive
   * @throws IllegalArgumentException when the delay is zero or negative
   */
  public static Fault latency(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative() || delay.isZero()) {
      throw new IllegalArgumentException("latency must be positive, was " + delay);
    }
    return new Fault(Kind.LATENCY, null, delay, false, 0, 1.0, null, 0);
  }

  /**
   * Answers requests with an error status: 500 InternalError, 503 ServiceUnavailable or 429
   * TooManyRequests (with {@code Retry-After}, 1 second unless {@link #withRetryAfterSeconds(int)
   * set}), for every request unless narrowed with {@link #withShare(double)} or {@link
   * #onPaths(String)}.
   *
   * @throws IllegalArgumentException for any other code
   */
  public static Fault errorResponses(int statusCode) {
    if (!ERROR_CODES.contains(statusCode)) {
      throw new IllegalArgumentException(
          "errorResponses status code must be one of 429, 500, 503, was " + statusCode);
    }
    return new Fault(
        Kind.ERRORS, null, null, false, statusCode, 1.0, null, statusCode == 429 ? 1 : 0);
  }

  /** For latency: also delay each watch event by the same amount. */
  public Fault alsoDelayingWatchEvents() {
    requireKind(Kind.LATENCY, "alsoDelayingWatchEvents");
    return new Fault(
        kind, dropMode, delay, true, statusCode, share, pathPattern, retryAfterSeconds);
  }

  /**
   * For error responses: the share of matching requests that fail, between 0 (exclusive) and 1.
   *
   * @throws IllegalArgumentException when out of range
   */
  public Fault withShare(double share) {
    requireKind(Kind.ERRORS, "withShare");
    if (!(share > 0 && share <= 1)) {
      throw new IllegalArgumentException("share must be in (0, 1], was " + share);
    }
    return new Fault(
        kind, dropMode, delay, delayWatchEvents, statusCode, share, pathPattern, retryAfterSeconds);
  }

  /**
   * For error responses: only requests whose path (without query) matches the regular expression.
   */
  public Fault onPaths(String regex) {
    requireKind(Kind.ERRORS, "onPaths");
    return new Fault(
        kind,
        dropMode,
        delay,
        delayWatchEvents,
        statusCode,
        share,
        Pattern.compile(Objects.requireNonNull(regex, "regex")),
        retryAfterSeconds);
  }

  /**
   * For error responses: the {@code Retry-After} seconds (and {@code details.retryAfterSeconds}); 0
   * sends none.
   */
  public Fault withRetryAfterSeconds(int seconds) {
    requireKind(Kind.ERRORS, "withRetryAfterSeconds");
    if (seconds < 0) {
      throw new IllegalArgumentException("retryAfterSeconds must not be negative, was " + seconds);
    }
    return new Fault(
        kind, dropMode, delay, delayWatchEvents, statusCode, share, pathPattern, seconds);
  }

  private void requireKind(Kind wanted, String method) {
    if (kind != wanted) {
      throw new IllegalStateException(
          method + " applies to " + wanted + " faults, this is " + kind);
    }
  }

  /** The kind of fault. */
  public Kind kind() {
    return kind;
  }

  /** For blackholes: the drop mode. */
  public DropMode dropMode() {
    return dropMode;
  }

  /** For latency: the delay. */
  public Duration delay() {
    return delay;
  }

  /** For latency: whether watch events are delayed too. */
  public boolean delaysWatchEvents() {
    return delayWatchEvents;
  }

  /** For error responses: the status code. */
  public int statusCode() {
    return statusCode;
  }

  /** For error responses: the share of matching requests that fail. */
  public double share() {
    return share;
  }

  /** For error responses: the path pattern, or null for all paths. */
  public Pattern pathPattern() {
    return pathPattern;
  }

  /** For error responses: the Retry-After seconds. */
  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }

  @Override
  public String toString() {
    return switch (kind) {
      case BLACKHOLE -> "blackhole(" + dropMode + ")";
      case RESET -> "reset";
      case LATENCY -> "latency(" + delay + (delayWatchEvents ? ", watch events too" : "") + ")";
      case ERRORS ->
          "errorResponses("
              + statusCode
              + (share < 1 ? ", share " + share : "")
              + (pathPattern != null ? ", paths " + pathPattern : "")
              + ")";
    };
  }
}
