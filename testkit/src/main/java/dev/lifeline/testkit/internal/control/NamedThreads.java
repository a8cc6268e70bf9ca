package dev.lifeline.testkit.internal.control;

import io.netty.util.concurrent.FastThreadLocalThread;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Names every thread the testkit starts {@code lifeline-testkit-<plane>-<role>-<n>}; all are
 * daemons ({@link FastThreadLocalThread}s, which Netty's event loops prefer). Remembers them, so
 * that closing can wait until they have really exited: an executor or event loop group reports
 * termination from inside its last thread, a moment before that thread is gone.
 */
final class NamedThreads implements ThreadFactory {
  private final String prefix;
  private final AtomicInteger counter = new AtomicInteger();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();

  NamedThreads(String prefix) {
    this.prefix = prefix;
  }

  @Override
  public Thread newThread(Runnable r) {
    Thread t = new FastThreadLocalThread(r, prefix + "-" + counter.incrementAndGet());
    t.setDaemon(true);
    threads.add(t);
    return t;
  }

  /**
   * Waits until every thread made here has exited, at most {@code limit} in all; call after the
   * executor using them has terminated. Keeps the interrupt flag.
   *
   * @return whether all have exited
   */
  boolean awaitExit(Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    for (Thread t : threads) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      try {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    threads.removeIf(t -> !t.isAlive());
    return threads.isEmpty();
  }
}
