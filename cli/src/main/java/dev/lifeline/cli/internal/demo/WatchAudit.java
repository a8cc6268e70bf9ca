package dev.lifeline.cli.internal.demo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares what a watch delivered with the store's real history of the watched objects.
 *
 * <p>Each change the store committed is an (object, resourceVersion) pair. It was:
 *
 * <ul>
 *   <li><b>delivered</b> when the handler received that pair (once; more deliveries of the same
 *       pair are <b>repeated</b>);
 *   <li><b>superseded</b> when it was never delivered but the object's next delivery came from a
 *       relist with a later state: after a 410 the client-go reflector lists again and hands over
 *       only the difference, so intermediate versions are folded away by design;
 *   <li><b>pending</b> when the watch had not reached its resourceVersion at the end;
 *   <li><b>lost</b> otherwise: the watch moved past it and never told the handler.
 * </ul>
 *
 * <p>Only changes after the informer's first complete view count: that view shows the latest state
 * of each object, which is all an informer promises for what happened before it started.
 *
 * <p>Thread-safe: the store's event thread records commits, the informer's thread deliveries.
 */
public final class WatchAudit {
  private record Commit(String name, long rv, long nanos) {}

  private record Delivery(long rv, long nanos, boolean viaRelist) {}

  /**
   * The comparison.
   *
   * @param changes changes the store committed
   * @param delivered changes delivered at least once
   * @param repeated deliveries beyond the first of the same change
   * @param superseded changes a relist replaced with a later state
   * @param pending changes the watch had not reached at the end
   * @param lost changes the watch passed without delivering
   * @param longestDelayNanos the longest time from a commit to its delivery (or, when superseded,
   *     to the relist's delivery)
   */
  public record Result(
      int changes,
      int delivered,
      int repeated,
      int superseded,
      int pending,
      int lost,
      long longestDelayNanos) {}

  private final List<Commit> commits = new ArrayList<>();
  private final Map<String, List<Delivery>> deliveries = new HashMap<>();
  private long initialRv;

  /**
   * The handler received {@code rv} in the informer's first complete view. Changes up to the latest
   * such version are what the view shows; only later ones are checked.
   */
  public synchronized void initial(long rv) {
    initialRv = Math.max(initialRv, rv);
  }

  /** The store committed a change of {@code name} at {@code rv}. */
  public synchronized void committed(String name, long rv, long nanos) {
    commits.add(new Commit(name, rv, nanos));
  }

  /** The handler received {@code name} at {@code rv}. */
  public synchronized void delivered(String name, long rv, long nanos, boolean viaRelist) {
    deliveries
        .computeIfAbsent(name, k -> new ArrayList<>())
        .add(new Delivery(rv, nanos, viaRelist));
  }

  /**
   * Compares.
   *
   * @param reachedRv the last resourceVersion the watch had reached (its last sync version)
   */
  public synchronized Result result(long reachedRv) {
    int delivered = 0;
    int repeated = 0;
    int superseded = 0;
    int pending = 0;
    int lost = 0;
    long longestDelay = 0;
    int changes = 0;
    for (Commit c : commits) {
      if (c.rv() <= initialRv) {
        continue;
      }
      changes++;
      List<Delivery> seen = deliveries.getOrDefault(c.name(), List.of());
      Delivery first = null;
      int count = 0;
      Delivery next = null;
      for (Delivery d : seen) {
        if (d.rv() == c.rv()) {
          count++;
          if (first == null) {
            first = d;
          }
        } else if (d.rv() > c.rv() && (next == null || d.rv() < next.rv())) {
          next = d;
        }
      }
      if (first != null) {
        delivered++;
        repeated += count - 1;
        longestDelay = Math.max(longestDelay, first.nanos() - c.nanos());
      } else if (next != null && next.viaRelist()) {
        superseded++;
        longestDelay = Math.max(longestDelay, next.nanos() - c.nanos());
      } else if (reachedRv < c.rv()) {
        pending++;
      } else {
        lost++;
      }
    }
    return new Result(changes, delivered, repeated, superseded, pending, lost, longestDelay);
  }
}
