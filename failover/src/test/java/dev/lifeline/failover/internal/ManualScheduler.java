package dev.lifeline.failover.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.PriorityQueue;

/**
 * A scheduler whose time moves only when a test says so. Blocking tasks and events are queued and
 * run on the test thread by {@link #runPending()} and {@link #advance}.
 */
final class ManualScheduler implements Scheduler {
  private record Timer(long due, long sequence, Runnable task, boolean[] cancelled)
      implements Comparable<Timer> {
    @Override
    public int compareTo(Timer other) {
      int byDue = Long.compare(due, other.due);
      return byDue != 0 ? byDue : Long.compare(sequence, other.sequence);
    }
  }

  private final PriorityQueue<Timer> timers = new PriorityQueue<>();
  private final Deque<Runnable> tasks = new ArrayDeque<>();
  private long now = 1_000_000_000L;
  private long sequence;
  private boolean closed;

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public synchronized Cancellable schedule(long delayNanos, Runnable task) {
    if (closed) {
      return Cancellable.NONE;
    }
    boolean[] cancelled = {false};
    timers.add(new Timer(now + Math.max(0, delayNanos), sequence++, task, cancelled));
    return () -> {
      synchronized (ManualScheduler.this) {
        cancelled[0] = true;
      }
    };
  }

  @Override
  public synchronized void execute(Runnable task) {
    if (!closed) {
      tasks.add(task);
    }
  }

  @Override
  public synchronized void dispatch(Runnable event) {
    if (!closed) {
      tasks.add(event);
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    timers.clear();
    tasks.clear();
  }

  /** Runs queued tasks and events (and whatever they queue) until none is left. */
  void runPending() {
    while (true) {
      Runnable task;
      synchronized (this) {
        task = tasks.poll();
      }
      if (task == null) {
        return;
      }
      task.run();
    }
  }

  /** Moves time forward, running every timer that falls due, in order, and the tasks they queue. */
  void advance(Duration duration) {
    long target;
    synchronized (this) {
      target = now + duration.toNanos();
    }
    runPending();
    while (true) {
      Timer timer;
      synchronized (this) {
        timer = timers.peek();
        if (timer == null || timer.due() > target) {
          now = target;
          break;
        }
        timers.poll();
        now = Math.max(now, timer.due());
        if (timer.cancelled()[0]) {
          continue;
        }
      }
      timer.task().run();
      runPending();
    }
    runPending();
  }

  /**
   * The process stalls for {@code duration} (a GC pause, a used-up CPU quota): time moves on and
   * nothing runs; then every timer that fell due runs, late, in order, with the tasks it queues.
   */
  void stall(Duration duration) {
    synchronized (this) {
      now += duration.toNanos();
    }
    advance(Duration.ZERO);
  }

  synchronized int pendingTimers() {
    return (int) timers.stream().filter(t -> !t.cancelled()[0]).count();
  }
}
