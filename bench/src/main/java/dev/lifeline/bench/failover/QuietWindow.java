package dev.lifeline.bench.failover;

import java.util.concurrent.Semaphore;

/**
 * Keeps the heavy and the time-critical moments of lanes running side by side apart. A lane holds
 * the window while its client JVM starts (class loading and JIT keep both cores busy for seconds)
 * and from the fault until its client has recovered (the sub-second part of a measurement); the
 * rest of a trial (settling, waiting for the cap, restoring) runs alongside other lanes. Fair:
 * lanes take turns. With one lane it is never contended. Thread-safe.
 */
final class QuietWindow {
  private final Semaphore permit = new Semaphore(1, true);

  /** One holding of the window; {@link #release()} is idempotent. */
  final class Hold implements AutoCloseable {
    private boolean held = true;

    /** Whether this hold still has the window. */
    boolean isHeld() {
      return held;
    }

    /** Gives the window back, once. */
    @Override
    public void close() {
      if (held) {
        held = false;
        permit.release();
      }
    }
  }

  /** Waits for the window and holds it. */
  Hold hold() throws InterruptedException {
    permit.acquire();
    return new Hold();
  }
}
