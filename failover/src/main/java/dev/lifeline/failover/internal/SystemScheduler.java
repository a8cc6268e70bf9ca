package dev.lifeline.failover.internal;

import java.lang.System.Logger.Level;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The real scheduler: daemon threads named {@code lifeline-failover-<id>-<lane>}. */
final class SystemScheduler implements Scheduler {
  private static final System.Logger LOG = System.getLogger(SystemScheduler.class.getName());
  private static final AtomicInteger ENGINES = new AtomicInteger();

  private final ScheduledThreadPoolExecutor timer;
  private final ThreadPoolExecutor io;
  private final ExecutorService events;

  SystemScheduler() {
    int id = ENGINES.incrementAndGet();
    timer = new ScheduledThreadPoolExecutor(1, threads("lifeline-failover-" + id + "-timer"));
    timer.setRemoveOnCancelPolicy(true);
    timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    io =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            threads("lifeline-failover-" + id + "-io"));
    events = Executors.newSingleThreadExecutor(threads("lifeline-failover-" + id + "-events"));
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Cancellable schedule(long delayNanos, Runnable task) {
    try {
      ScheduledFuture<?> future =
          timer.schedule(guarded(task), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
      return () -> future.cancel(false);
    } catch (RejectedExecutionException closed) {
      return Cancellable.NONE;
    }
  }

  @Override
  public void execute(Runnable task) {
    try {
      io.execute(guarded(task));
    } catch (RejectedExecutionException closed) {
      // The engine is closing: the work no longer matters.
    }
  }

  @Override
  public void dispatch(Runnable event) {
    try {
      events.execute(guarded(event));
    } catch (RejectedExecutionException closed) {
      // The engine is closing: late events are dropped.
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    io.shutdownNow();
    events.shutdown();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
      timer.awaitTermination(remaining(deadline), TimeUnit.NANOSECONDS);
      events.awaitTermination(remaining(deadline), TimeUnit.NANOSECONDS);
      io.awaitTermination(remaining(deadline), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    events.shutdownNow();
  }

  private static long remaining(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }

  private static Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        LOG.log(Level.ERROR, "failover engine task failed; the engine carries on", e);
      }
    };
  }

  private static ThreadFactory threads(String name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
