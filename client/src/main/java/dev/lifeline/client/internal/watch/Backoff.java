package dev.lifeline.client.internal.watch;

import java.time.Duration;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * The reflector's backoff, as client-go's: 800 ms doubling to a 30 s cap, each delay plus up to 100
 * % random jitter (so the last ones fall in [30, 60) s), and back to 800 ms when the previous
 * backoff started more than two minutes ago. Not thread-safe: one per informer, used from its
 * thread.
 */
final class Backoff {
  static final Duration INITIAL = Duration.ofMillis(800);
  static final Duration CAP = Duration.ofSeconds(30);
  static final Duration RESET_AFTER = Duration.ofMinutes(2);

  private final LongSupplier nanoTime;
  private final DoubleSupplier random;
  private long next = INITIAL.toNanos();
  private long lastStart;
  private boolean started;

  Backoff(LongSupplier nanoTime, DoubleSupplier random) {
    this.nanoTime = nanoTime;
    this.random = random;
  }

  /** The delay to wait now, stepping the backoff. */
  Duration next() {
    long now = nanoTime.getAsLong();
    if (started && now - lastStart > RESET_AFTER.toNanos()) {
      next = INITIAL.toNanos();
    }
    started = true;
    lastStart = now;
    long base = next;
    next = Math.min(next * 2, CAP.toNanos());
    return Duration.ofNanos(base + (long) (random.getAsDouble() * base));
  }
}
