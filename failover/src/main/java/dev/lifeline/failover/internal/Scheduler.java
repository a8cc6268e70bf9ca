package dev.lifeline.failover.internal;

/**
 * The engine's time and threads, injected so that unit tests advance time instead of sleeping.
 *
 * <p>Three lanes: timers (short, non-blocking tasks, one thread), blocking work (connects, TLS
 * handshakes, probe readers: a pool), and events (listener calls, one thread, in order).
 */
public interface Scheduler {

  /** Monotonic time in nanoseconds. */
  long nanoTime();

  /** Runs {@code task} on the timer lane after {@code delayNanos}; it must not block. */
  Cancellable schedule(long delayNanos, Runnable task);

  /** Runs blocking {@code task} on the I/O lane. */
  void execute(Runnable task);

  /** Runs {@code event} on the event lane, after every event dispatched before it. */
  void dispatch(Runnable event);

  /** Stops the lanes, waiting briefly for running tasks. Idempotent. */
  void close();

  /** A scheduled task that can be cancelled. */
  interface Cancellable {
    Cancellable NONE = () -> {};

    /** Cancels the task if it has not run yet. Idempotent. */
    void cancel();
  }
}
