package dev.lifeline.client.internal.watch;

import java.time.Duration;

/** Runs a task later; replaced in tests by one driven by a fake clock. */
public interface Timer {
  /** A scheduled task that can be cancelled. */
  interface Task {
    /** Cancels the task if it has not run. */
    void cancel();
  }

  /** Runs {@code task} after {@code delay}, on a timer thread. */
  Task schedule(Duration delay, Runnable task);
}
