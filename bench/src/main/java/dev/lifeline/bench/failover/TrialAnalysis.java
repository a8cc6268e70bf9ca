package dev.lifeline.bench.failover;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The measures of one trial, computed from what the client recorded and what the store committed.
 * Pure functions of their inputs; all times are {@link System#nanoTime()} readings.
 *
 * <p>Definitions (the fault is injected at F, the trial ends at E):
 *
 * <ul>
 *   <li><b>gap</b>: the longest interval within [F, E] in which no GET completed successfully. The
 *       first interval runs from F to the first success, then from each success to the next. When
 *       the trial hit the cap (E = F + cap), the interval from the last success to E counts too, so
 *       a client that never recovered has a gap of exactly the cap. Without a fault the gap is the
 *       loop's own pace: about 50 ms plus one request's time.
 *   <li><b>failed requests</b>: GETs that ended in [F, E] with an error.
 *   <li><b>lost</b>: changes the store committed after the last version committed before F and at
 *       least {@link #DELIVERY_GRACE} before E, that the watch never delivered by E.
 *   <li><b>repeated</b>: deliveries in [F, E] of an (object, resourceVersion) the watch had already
 *       delivered.
 *   <li><b>watch delay</b>: the longest time the watch's view of an object lagged behind one of
 *       those changes: from the commit until the watch delivered that version or a newer one of the
 *       same object (until E if it never did). A relist that skips versions ends the lag of the
 *       versions it skipped.
 * </ul>
 */
final class TrialAnalysis {
  /** Changes committed this close to the end are not yet expected to be delivered. */
  static final long DELIVERY_GRACE = 1_000_000_000L;

  /** A change the store committed: object, resourceVersion, when. */
  record Commit(String name, long resourceVersion, long nanos) {}

  /** The measures of one trial. */
  record Measures(
      long gapNanos,
      boolean getsRecovered,
      int failed,
      int requests,
      int expectedChanges,
      int lost,
      int repeated,
      long watchDelayNanos,
      Commit slowestChange) {}

  private TrialAnalysis() {}

  /**
   * Measures a trial.
   *
   * @param gets every GET the client recorded
   * @param deliveries every change the watch delivered, in order
   * @param commits the changes committed, in order
   * @param fault F
   * @param end E
   * @param capped whether the trial ended at the cap rather than by recovering
   * @param lastVersionBeforeFault the store's resourceVersion just before the fault
   */
  static Measures measure(
      List<ClientRecord.Get> gets,
      List<ClientRecord.Delivery> deliveries,
      List<Commit> commits,
      long fault,
      long end,
      boolean capped,
      long lastVersionBeforeFault) {
    long gap = gap(gets, fault, end, capped);
    boolean recovered = false;
    int failed = 0;
    int requests = 0;
    for (ClientRecord.Get g : gets) {
      if (g.endNanos() >= fault && g.endNanos() <= end) {
        requests++;
        if (g.ok()) {
          recovered = true;
        } else {
          failed++;
        }
      }
    }

    Map<String, Long> firstDelivery = new HashMap<>();
    Map<String, List<ClientRecord.Delivery>> byName = new HashMap<>();
    Set<String> seen = new HashSet<>();
    int repeated = 0;
    for (ClientRecord.Delivery d : deliveries) {
      if (d.nanos() > end) {
        break;
      }
      byName.computeIfAbsent(d.name(), k -> new ArrayList<>()).add(d);
      String key = d.name() + "@" + d.resourceVersion();
      if (!seen.add(key)) {
        if (d.nanos() >= fault) {
          repeated++;
        }
      } else {
        firstDelivery.put(key, d.nanos());
      }
    }

    int expected = 0;
    int lost = 0;
    long watchDelay = 0;
    Commit slowest = null;
    for (Commit c : commits) {
      if (c.resourceVersion() <= lastVersionBeforeFault || c.nanos() > end - DELIVERY_GRACE) {
        continue;
      }
      expected++;
      if (!firstDelivery.containsKey(c.name() + "@" + c.resourceVersion())) {
        lost++;
      }
      long caughtUp = end;
      for (ClientRecord.Delivery d : byName.getOrDefault(c.name(), List.of())) {
        if (d.resourceVersion() >= c.resourceVersion()) {
          caughtUp = d.nanos();
          break;
        }
      }
      long delay = caughtUp - c.nanos();
      if (slowest == null || delay > watchDelay) {
        watchDelay = delay;
        slowest = c;
      }
    }
    return new Measures(
        gap, recovered, failed, requests, expected, lost, repeated, watchDelay, slowest);
  }

  /** The gap as defined above. */
  static long gap(List<ClientRecord.Get> gets, long fault, long end, boolean capped) {
    List<Long> successes = new ArrayList<>();
    for (ClientRecord.Get g : gets) {
      if (g.ok() && g.endNanos() >= fault && g.endNanos() <= end) {
        successes.add(g.endNanos());
      }
    }
    successes.sort(null);
    long previous = fault;
    long gap = 0;
    for (long s : successes) {
      gap = Math.max(gap, s - previous);
      previous = s;
    }
    if (capped || successes.isEmpty()) {
      gap = Math.max(gap, end - previous);
    }
    return gap;
  }

  /**
   * Whether the GETs ran clean over the last {@code window} before {@code now}: none failed, and no
   * interval in it (counting from the window's start and up to {@code now}) went without a success
   * for longer than {@code maxInterval}.
   */
  static boolean isClean(List<ClientRecord.Get> gets, long now, long window, long maxInterval) {
    long from = now - window;
    long previous = from;
    long longest = 0;
    for (ClientRecord.Get g : gets) {
      if (g.endNanos() < from || g.endNanos() > now) {
        continue;
      }
      if (!g.ok()) {
        return false;
      }
      longest = Math.max(longest, g.endNanos() - previous);
      previous = g.endNanos();
    }
    longest = Math.max(longest, now - previous);
    return longest <= maxInterval;
  }

  /**
   * Whether the watch caught up: it delivered a version at least as new as the last change
   * committed {@link #DELIVERY_GRACE} or more before {@code now}.
   */
  static boolean isCaughtUp(
      List<ClientRecord.Delivery> deliveries, List<Commit> commits, long now) {
    long wanted = -1;
    for (Commit c : commits) {
      if (c.nanos() <= now - DELIVERY_GRACE) {
        wanted = Math.max(wanted, c.resourceVersion());
      }
    }
    if (wanted < 0) {
      return true;
    }
    for (int i = deliveries.size() - 1; i >= 0; i--) {
      if (deliveries.get(i).resourceVersion() >= wanted) {
        return true;
      }
    }
    return false;
  }
}
