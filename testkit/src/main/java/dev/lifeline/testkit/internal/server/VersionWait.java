package dev.lifeline.testkit.internal.server;

import dev.lifeline.testkit.internal.api.Statuses;
import dev.lifeline.testkit.internal.store.ObjectStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Waits, without blocking the event loop, for the store to reach a resourceVersion a request asked
 * for ("not older than"), as the watch cache waits up to 3 seconds before answering 504 "Too large
 * resource version".
 */
final class VersionWait {
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private VersionWait() {}

  /**
   * Runs {@code then} once the store is at {@code rv} or later; or hands {@code onTimeout} the 504
   * error.
   */
  static void await(
      Exchange ex,
      ObjectStore store,
      long rv,
      Duration wait,
      Runnable then,
      Consumer<dev.lifeline.testkit.KubeApiException> onTimeout) {
    long deadline = System.nanoTime() + wait.toNanos();
    poll(ex, store, rv, deadline, then, onTimeout);
  }

  private static void poll(
      Exchange ex,
      ObjectStore store,
      long rv,
      long deadline,
      Runnable then,
      Consumer<dev.lifeline.testkit.KubeApiException> onTimeout) {
    long current = store.resourceVersion();
    if (current >= rv) {
      then.run();
      return;
    }
    if (System.nanoTime() >= deadline || !ex.ctx.channel().isActive()) {
      onTimeout.accept(Statuses.tooLargeResourceVersion(rv, current));
      return;
    }
    ex.ctx
        .executor()
        .schedule(
            () -> {
              try {
                poll(ex, store, rv, deadline, then, onTimeout);
              } catch (dev.lifeline.testkit.KubeApiException e) {
                if (!ex.isAnswered()) {
                  ex.fail(e);
                }
              }
            },
            POLL_NANOS,
            TimeUnit.NANOSECONDS);
  }
}
