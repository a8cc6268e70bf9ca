package dev.lifeline.client.internal.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * When to retry a request, following client-go where it is explicit and erring on the safe side
 * where it is not.
 *
 * <ul>
 *   <li>A failure before the request was sent (connection refused, unreachable, TLS handshake) is
 *       retried for any verb: the server cannot have acted on it.
 *   <li>Idempotent requests (GET, HEAD) are also retried after a failure once sent (reset, EOF,
 *       timeout) and on 429, 500, 502, 503 and 504.
 *   <li>Other requests (POST, PUT, PATCH, DELETE) are retried only when the server says it is safe:
 *       429 with {@code Retry-After}, which is how the API server's priority and fairness and its
 *       graceful shutdown answer requests they did not process. A DELETE is not retried on 5xx: it
 *       may have been done, and a replay would answer 404.
 * </ul>
 *
 * <p>The wait is the server's {@code Retry-After} when given (seconds, as client-go reads it), else
 * an exponential backoff with jitter; retries stop after {@code maxRetries} or when the next wait
 * would pass {@code maxElapsed}. Immutable and thread-safe.
 */
public final class RetryPolicy {
  private final int maxRetries;
  private final Duration maxElapsed;
  private final Duration baseDelay;
  private final Duration maxDelay;
  private final DoubleSupplier random;

  /**
   * A policy.
   *
   * @param maxRetries how many times to retry at most (0: never)
   * @param maxElapsed the total time after which no retry starts
   * @param baseDelay the first backoff when the server gives no Retry-After
   * @param maxDelay the longest backoff
   * @param random a source of numbers in [0, 1) for jitter
   */
  public RetryPolicy(
      int maxRetries,
      Duration maxElapsed,
      Duration baseDelay,
      Duration maxDelay,
      DoubleSupplier random) {
    this.maxRetries = maxRetries;
    this.maxElapsed = maxElapsed;
    this.baseDelay = baseDelay;
    this.maxDelay = maxDelay;
    this.random = random;
  }

  /** Whether requests with this method may be repeated without changing the outcome. */
  public static boolean isIdempotent(String method) {
    return method.equals("GET") || method.equals("HEAD");
  }

  /**
   * The wait before retrying after an error answer, or null to stop.
   *
   * @param attempts how many attempts were made so far (1 after the first)
   * @param elapsed the time since the first attempt started
   */
  public Duration afterStatus(
      int attempts, String method, int code, Duration retryAfter, Duration elapsed) {
    boolean idempotent = isIdempotent(method);
    boolean retryable;
    if (code == 429) {
      retryable = retryAfter != null || idempotent;
    } else if (code == 500 || code == 502 || code == 503 || code == 504) {
      retryable = idempotent;
    } else {
      retryable = false;
    }
    return retryable ? wait(attempts, retryAfter, elapsed) : null;
  }

  /**
   * The wait before retrying after an I/O failure, or null to stop.
   *
   * @param sent whether the request had started going out
   */
  public Duration afterFailure(int attempts, String method, boolean sent, Duration elapsed) {
    return !sent || isIdempotent(method) ? wait(attempts, null, elapsed) : null;
  }

  /**
   * As {@link #afterFailure(int, String, boolean, Duration)}, but the first retry after a broken
   * connection (reset, refused, closed under the request, ended early) goes at once: the failure
   * was that connection's, and the retry takes a new one (to another apiserver when Lifeline dials
   * it). Later retries back off. A timeout always backs off: the server may be slow, and an
   * immediate repeat would only add to its load.
   */
  public Duration afterFailure(
      int attempts, String method, boolean sent, Duration elapsed, IOException cause) {
    Duration wait = afterFailure(attempts, method, sent, elapsed);
    boolean connectionBroke =
        !(cause instanceof InterruptedIOException) && !(cause instanceof UnknownHostException);
    return wait != null && attempts == 1 && connectionBroke ? Duration.ZERO : wait;
  }

  private Duration wait(int attempts, Duration retryAfter, Duration elapsed) {
    if (attempts > maxRetries) {
      return null;
    }
    Duration delay = retryAfter != null ? retryAfter : backoff(attempts);
    if (elapsed.plus(delay).compareTo(maxElapsed) > 0) {
      return null;
    }
    return delay;
  }

  /**
   * base·2^(attempts−1), capped, with half of it random (so retries of many clients spread out).
   */
  Duration backoff(int attempts) {
    long base = baseDelay.toNanos();
    long cap = maxDelay.toNanos();
    long exponential = attempts >= 30 ? cap : Math.min(cap, base << (attempts - 1));
    long half = exponential / 2;
    return Duration.ofNanos(half + (long) (random.getAsDouble() * half));
  }
}
