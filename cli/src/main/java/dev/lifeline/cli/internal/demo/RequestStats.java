package dev.lifeline.cli.internal.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The outcomes of one client's periodic requests, and the numbers the summary shows. Times are
 * {@code System.nanoTime()} readings (any clock with the same origin works).
 *
 * <p>Thread-safe: request threads record, the demo thread reads.
 */
public final class RequestStats {
  private record Outcome(long issued, long completed, boolean ok) {}

  private final List<Outcome> outcomes = new ArrayList<>();
  private long issued;

  /** A request was sent. */
  public synchronized void issued() {
    issued++;
  }

  /** A request sent at {@code issuedNanos} ended at {@code completedNanos}. */
  public synchronized void record(long issuedNanos, long completedNanos, boolean ok) {
    outcomes.add(new Outcome(issuedNanos, completedNanos, ok));
  }

  /** Requests sent. */
  public synchronized long issuedCount() {
    return issued;
  }

  /** Requests answered successfully. */
  public synchronized long succeeded() {
    return outcomes.stream().filter(Outcome::ok).count();
  }

  /** Requests that failed (after the client's own retries). */
  public synchronized long failed() {
    return outcomes.stream().filter(o -> !o.ok()).count();
  }

  /** Requests sent that have not ended. */
  public synchronized long unanswered() {
    return issued - outcomes.size();
  }

  /** The longest time a request took, successful or not; 0 before any ended. */
  public synchronized long slowestNanos() {
    long slowest = 0;
    for (Outcome o : outcomes) {
      slowest = Math.max(slowest, o.completed() - o.issued());
    }
    return slowest;
  }

  /**
   * The longest time without a successful answer, from the first success up to {@code endNanos}:
   * the longest interval between two consecutive successful answers, or between the last one and
   * the end. An application that reads every 100 ms is blind for exactly this long.
   *
   * @return 0 when no request succeeded before {@code endNanos}
   */
  public synchronized long longestGapNanos(long endNanos) {
    long[] answers =
        outcomes.stream()
            .filter(o -> o.ok() && o.completed() <= endNanos)
            .mapToLong(Outcome::completed)
            .sorted()
            .toArray();
    if (answers.length == 0) {
      return 0;
    }
    long longest = endNanos - answers[answers.length - 1];
    for (int i = 1; i < answers.length; i++) {
      longest = Math.max(longest, answers[i] - answers[i - 1]);
    }
    return longest;
  }

  /**
   * How long after {@code faultNanos} the first request sent after it was answered successfully:
   * what an application that acts on the fault's moment waits for. Requests sent before the fault
   * do not count, so an answer already on its way when the fault struck does not hide it.
   *
   * @return empty when no request sent after the fault succeeded
   */
  public synchronized OptionalLong firstSuccessAfter(long faultNanos) {
    long first = Long.MAX_VALUE;
    for (Outcome o : outcomes) {
      if (o.ok() && o.issued() >= faultNanos) {
        first = Math.min(first, o.completed());
      }
    }
    return first == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(first - faultNanos);
  }
}
