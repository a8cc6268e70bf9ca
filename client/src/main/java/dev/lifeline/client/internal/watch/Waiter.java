package dev.lifeline.client.internal.watch;

import java.time.Duration;

/**
 * Waits between an informer's attempts, waking early when it is closed; replaced in tests so they
 * never sleep.
 */
public interface Waiter {
  /**
   * Waits {@code delay}.
   *
   * @return false when the informer was closed meanwhile
   */
  boolean await(Duration delay);

  /** Wakes every current and future {@link #await}, which then returns false. */
  void wake();
}
