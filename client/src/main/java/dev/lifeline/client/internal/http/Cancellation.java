package dev.lifeline.client.internal.http;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;

/**
 * Lets another thread stop the requests of one owner (an informer): cancels its calls in flight,
 * wakes its retry waits, and refuses new calls. Thread-safe.
 */
public final class Cancellation {
  /** Never cancelled: for requests made by callers who interrupt or time out themselves. */
  public static final Cancellation NONE = new Cancellation();

  private final Set<Call> calls = ConcurrentHashMap.newKeySet();
  private final CountDownLatch cancelled = new CountDownLatch(1);

  /** Whether {@link #cancel()} was called. */
  public boolean isCancelled() {
    return cancelled.getCount() == 0;
  }

  /** Cancels the calls in flight and every later one. */
  public void cancel() {
    if (this == NONE) {
      throw new IllegalStateException("Cancellation.NONE cannot be cancelled");
    }
    cancelled.countDown();
    for (Call call : calls) {
      call.cancel();
    }
  }

  /** Tracks a call until {@link #untrack}; cancels it at once when already cancelled. */
  void track(Call call) {
    if (this == NONE) {
      return;
    }
    calls.add(call);
    if (isCancelled()) {
      call.cancel();
    }
  }

  /** Stops tracking a finished call. */
  void untrack(Call call) {
    calls.remove(call);
  }

  /**
   * Waits {@code delay} unless cancelled first.
   *
   * @return false when cancelled
   */
  boolean await(Duration delay) throws InterruptedException {
    return !cancelled.await(delay.toNanos(), TimeUnit.NANOSECONDS);
  }
}
