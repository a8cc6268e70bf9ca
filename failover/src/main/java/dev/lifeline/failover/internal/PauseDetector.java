package dev.lifeline.failover.internal;

import java.util.concurrent.TimeUnit;

/**
 * Measures how long this process could not act: a heartbeat on the scheduler's timer lane, the lane
 * that fires the PING deadlines, notes how late each beat runs. A beat late by more than a small
 * tolerance means the process was stalled for that long (a garbage collection or safepoint pause, a
 * CFS quota used up, a machine too busy to run the timer), and the engine does not count that time
 * against an endpoint: what an endpoint answered while the process was stalled could not be seen.
 *
 * <p>{@link #stalledNanos()} is a running total, so a caller notes it when a wait begins and
 * subtracts the difference from the elapsed time when it ends ({@link #observedSince}). The total
 * also includes the lateness of a beat that is due but has not run yet: a deadline that runs first
 * after a pause already sees the pause.
 *
 * <p>Thread-safe. Costs one short timer task every {@code period} (10 ms for the engine) while
 * running.
 */
final class PauseDetector {

  /** A mark taken when a wait begins. */
  record Mark(long nanos, long stalledNanos) {}

  private final Scheduler scheduler;
  private final long periodNanos;
  private final long toleranceNanos;
  private Scheduler.Cancellable beat = Scheduler.Cancellable.NONE;
  private boolean running;
  private long dueNanos;
  private long stalledNanos;
  private long longestNanos;
  private long stalls;

  /**
   * @param periodNanos how often the heartbeat runs: the resolution of the measurement
   * @param toleranceNanos lateness ignored as ordinary scheduling jitter
   */
  PauseDetector(Scheduler scheduler, long periodNanos, long toleranceNanos) {
    if (periodNanos <= 0 || toleranceNanos < 0) {
      throw new IllegalArgumentException(
          "period must be positive and tolerance not negative, were "
              + periodNanos
              + " and "
              + toleranceNanos);
    }
    this.scheduler = scheduler;
    this.periodNanos = periodNanos;
    this.toleranceNanos = toleranceNanos;
  }

  /** The engine's detector: a 10 ms heartbeat, lateness up to 5 ms ignored. */
  static PauseDetector forEngine(Scheduler scheduler) {
    return new PauseDetector(
        scheduler, TimeUnit.MILLISECONDS.toNanos(10), TimeUnit.MILLISECONDS.toNanos(5));
  }

  /** Starts the heartbeat. Idempotent. */
  synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    dueNanos = scheduler.nanoTime() + periodNanos;
    beat = scheduler.schedule(periodNanos, this::beat);
  }

  /** Stops the heartbeat; the total so far stays. Idempotent. */
  synchronized void stop() {
    running = false;
    beat.cancel();
    beat = Scheduler.Cancellable.NONE;
  }

  private void beat() {
    synchronized (this) {
      if (!running) {
        return;
      }
      long now = scheduler.nanoTime();
      long late = now - dueNanos;
      if (late > toleranceNanos) {
        stalledNanos += late;
        stalls++;
        longestNanos = Math.max(longestNanos, late);
      }
      dueNanos = now + periodNanos;
      beat = scheduler.schedule(periodNanos, this::beat);
    }
  }

  /**
   * The total time the process was found stalled so far, including the lateness of a beat now
   * overdue.
   */
  synchronized long stalledNanos() {
    long total = stalledNanos;
    if (running) {
      long overdue = scheduler.nanoTime() - dueNanos;
      if (overdue > toleranceNanos) {
        total += overdue;
      }
    }
    return total;
  }

  /** Marks the start of a wait. */
  Mark mark() {
    synchronized (this) {
      return new Mark(scheduler.nanoTime(), stalledNanos());
    }
  }

  /** A mark for a wait that began at {@code nanos} (a moment just past, such as a write). */
  Mark markAt(long nanos) {
    return new Mark(nanos, stalledNanos());
  }

  /**
   * The time since {@code mark} during which the process was not stalled: the time it could have
   * seen an answer.
   */
  long observedSince(Mark mark) {
    long stalled = stalledNanos() - mark.stalledNanos();
    long elapsed = scheduler.nanoTime() - mark.nanos();
    return Math.max(0, elapsed - stalled);
  }

  /**
   * Like {@link #observedSince(Mark)}, but discounting at most {@code maxDiscountNanos} of stalls:
   * for a wait that must end within a bound however starved the process is.
   */
  long observedSince(Mark mark, long maxDiscountNanos) {
    long elapsed = scheduler.nanoTime() - mark.nanos();
    return Math.max(0, elapsed - Math.min(stalledSince(mark), maxDiscountNanos));
  }

  /** The time since {@code mark}, stalls included. */
  long elapsedSince(Mark mark) {
    return scheduler.nanoTime() - mark.nanos();
  }

  /** The time since {@code mark} during which the process was found stalled. */
  long stalledSince(Mark mark) {
    return Math.max(0, stalledNanos() - mark.stalledNanos());
  }

  /** Stalls found so far and the longest, for diagnostics. */
  synchronized String summary() {
    return stalls
        + " stalls, "
        + TimeUnit.NANOSECONDS.toMillis(stalledNanos)
        + " ms in all, longest "
        + TimeUnit.NANOSECONDS.toMillis(longestNanos)
        + " ms";
  }
}
