package dev.lifeline.client.internal.watch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** A fake clock with a timer and a waiter driven by it: tests advance time instead of sleeping. */
final class FakeTime implements Timer, Waiter {
  final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  final List<Duration> waits = new ArrayList<>();
  private final List<Scheduled> tasks = new ArrayList<>();
  private boolean woken;

  private static final class Scheduled implements Task {
    final long due;
    final Runnable runnable;
    boolean cancelled;

    Scheduled(long due, Runnable runnable) {
      this.due = due;
      this.runnable = runnable;
    }

    @Override
    public void cancel() {
      cancelled = true;
    }
  }

  long now() {
    return nanos.get();
  }

  /** Moves time forward, running the tasks that fall due on the way. */
  void advance(Duration d) {
    long target = nanos.get() + d.toNanos();
    while (true) {
      Scheduled next =
          tasks.stream()
              .filter(t -> !t.cancelled && t.due <= target)
              .min(Comparator.comparingLong(t -> t.due))
              .orElse(null);
      if (next == null) {
        break;
      }
      tasks.remove(next);
      nanos.set(Math.max(nanos.get(), next.due));
      next.runnable.run();
    }
    nanos.set(target);
  }

  int pendingTasks() {
    return (int) tasks.stream().filter(t -> !t.cancelled).count();
  }

  @Override
  public Task schedule(Duration delay, Runnable task) {
    Scheduled s = new Scheduled(nanos.get() + delay.toNanos(), task);
    tasks.add(s);
    return s;
  }

  @Override
  public boolean await(Duration delay) {
    waits.add(delay);
    advance(delay);
    return !woken;
  }

  @Override
  public void wake() {
    woken = true;
  }
}
