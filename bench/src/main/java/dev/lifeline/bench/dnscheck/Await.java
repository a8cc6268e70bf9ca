package dev.lifeline.bench.dnscheck;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waiting in the benchmark: for a condition (polled every 5 ms; what is measured is timestamped
 * where it happens, by the listener, so the polling adds nothing to the numbers), or for a stretch
 * of time that is itself the experiment (a random phase, the length of a loss run).
 */
final class Await {
  private static final long POLL_NANOS = 5_000_000L;

  private Await() {}

  /**
   * Returns once {@code condition} holds.
   *
   * @throws IllegalStateException naming {@code what} and the state when it does not hold within
   *     {@code timeout}
   */
  static void until(BooleanSupplier condition, Duration timeout, Supplier<String> what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "waited " + timeout.toSeconds() + " s in vain for " + what.get());
      }
      park(POLL_NANOS);
    }
  }

  /** Whether {@code condition} comes to hold within {@code timeout}. */
  static boolean within(BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      park(POLL_NANOS);
    }
    return true;
  }

  /** Lets {@code duration} pass (the experiment's own time, not a synchronisation). */
  static void pass(Duration duration) {
    long until = System.nanoTime() + duration.toNanos();
    for (long left = duration.toNanos(); left > 0; left = until - System.nanoTime()) {
      park(left);
    }
  }

  private static void park(long nanos) {
    LockSupport.parkNanos(nanos);
    if (Thread.interrupted()) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }
}
