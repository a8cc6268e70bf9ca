package dev.lifeline.dnscheck.internal.remediation;

import dev.lifeline.dnscheck.Verdict;
import dev.lifeline.dnscheck.internal.PodRef;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides which failing DNS pod to restart, if any, from the pods' verdicts and the history of
 * restarts. Pure: time is passed in, nothing is done; the caller acts and reports back with {@link
 * #restarted} or {@link #refused}.
 *
 * <p>The guards, in order: (1) above {@code maxFailingShare} of the judged pods failing, nothing is
 * restarted (the cause is not the pods); (2) while any DNS pod is terminating, nothing is restarted
 * (one disruption at a time; a pod this policy restarted counts until it is gone, or for at most
 * {@code podCooldown}); (3) a pod restarted within {@code podCooldown}, or whose eviction was
 * refused within {@code evictionRetry}, is left alone; (4) at most {@code maxRestarts} in any
 * {@code restartPeriod}; (5) the backoff between restarts; (6) the pod failing longest is chosen,
 * the others wait their turn; (7) in a dry run or without the lease, the choice is reported, not
 * made.
 *
 * <p>Not thread-safe: owned by the check loop.
 */
public final class RemediationPolicy {
  private final RemediationRules rules;
  private final Deque<Long> restartTimes = new ArrayDeque<>();
  private final Map<String, Long> lastRestartByPod = new HashMap<>();
  private final Map<String, Long> lastRefusalByPod = new HashMap<>();
  private PodRef inProgress;
  private long inProgressSince;
  private long lastRestart = Long.MIN_VALUE;
  private long backoffNanos;

  public RemediationPolicy(RemediationRules rules) {
    this.rules = rules;
    this.backoffNanos = rules.backoffInitial().toNanos();
  }

  public RemediationRules rules() {
    return rules;
  }

  /**
   * Decides for one evaluation.
   *
   * @param now the check loop's ticker
   * @param pods every DNS pod known now
   * @param leader whether this replica holds the lease (ignored in a dry run)
   */
  public Plan plan(long now, List<PodState> pods, boolean leader) {
    forgetOld(now, pods);
    List<PodState> live = pods.stream().filter(p -> !p.terminating()).toList();
    List<PodState> failing =
        live.stream()
            .filter(p -> p.verdict() == Verdict.FAILING)
            .sorted(
                Comparator.comparingLong(PodState::verdictSinceNanos)
                    .thenComparing(p -> p.pod().name()))
            .toList();
    int judged = (int) live.stream().filter(p -> p.verdict() != Verdict.UNKNOWN).count();
    if (failing.isEmpty()) {
      return new Plan(Optional.empty(), List.of(), 0, judged, false);
    }
    List<Plan.Suppression> suppressed = new ArrayList<>();
    double share = (double) failing.size() / judged;
    if (share > rules.maxFailingShare()) {
      String detail =
          failing.size()
              + " of "
              + judged
              + " judged DNS pods fail ("
              + percent(share)
              + " > "
              + percent(rules.maxFailingShare())
              + "): the network, the upstream or the checker is at fault, not the pods";
      for (PodState p : failing) {
        suppressed.add(new Plan.Suppression(p.pod(), Reason.MAJORITY_FAILING, detail));
      }
      return new Plan(Optional.empty(), suppressed, failing.size(), judged, true);
    }
    Reason globalReason = globalReason(now, pods);
    String global = globalReason == null ? null : globalDetail(globalReason, now, pods);
    PodRef chosen = null;
    for (PodState p : failing) {
      if (globalReason != null) {
        suppressed.add(new Plan.Suppression(p.pod(), globalReason, global));
        continue;
      }
      Plan.Suppression own = podBlock(now, p.pod());
      if (own == null && now - p.verdictSinceNanos() < rules.restartDelay().toNanos()) {
        own =
            new Plan.Suppression(
                p.pod(),
                Reason.SETTLING,
                "failing for "
                    + human(Duration.ofNanos(now - p.verdictSinceNanos()))
                    + "; waiting "
                    + human(rules.restartDelay())
                    + " to see whether other pods fail too");
      }
      if (own != null) {
        suppressed.add(own);
      } else if (chosen == null) {
        chosen = p.pod();
      } else {
        suppressed.add(
            new Plan.Suppression(
                p.pod(), Reason.ONE_AT_A_TIME, chosen.name() + " is restarted first"));
      }
    }
    if (chosen != null && (rules.dryRun() || !leader)) {
      Reason r = rules.dryRun() ? Reason.DRY_RUN : Reason.NOT_LEADER;
      String detail =
          rules.dryRun()
              ? "dry run: would restart it now"
              : "another replica holds the lease and decides";
      suppressed.add(0, new Plan.Suppression(chosen, r, detail));
      chosen = null;
    }
    return new Plan(Optional.ofNullable(chosen), suppressed, failing.size(), judged, false);
  }

  /** Records that {@code pod} was restarted (evicted or deleted) at {@code now}. */
  public void restarted(PodRef pod, long now) {
    // The quiet time that resets the backoff is twice its maximum, so that restarts spaced at the
    // maximum keep it there.
    if (lastRestart != Long.MIN_VALUE && now - lastRestart < 2 * rules.backoffMax().toNanos()) {
      backoffNanos = Math.min(backoffNanos * 2, rules.backoffMax().toNanos());
    } else {
      backoffNanos = rules.backoffInitial().toNanos();
    }
    lastRestart = now;
    restartTimes.addLast(now);
    lastRestartByPod.put(key(pod), now);
    inProgress = pod;
    inProgressSince = now;
  }

  /** Records that restarting {@code pod} was refused (a PodDisruptionBudget) or failed. */
  public void refused(PodRef pod, long now) {
    lastRefusalByPod.put(key(pod), now);
  }

  /** The current least gap between two restarts. */
  public Duration currentBackoff() {
    return Duration.ofNanos(backoffNanos);
  }

  /** Whether the backoff has reached its maximum: restarts are evidently not helping. */
  public boolean isBackoffExhausted() {
    return lastRestart != Long.MIN_VALUE && backoffNanos >= rules.backoffMax().toNanos();
  }

  private String globalDetail(Reason r, long now, List<PodState> pods) {
    return switch (r) {
      case RESTART_IN_PROGRESS -> {
        PodState t = pods.stream().filter(PodState::terminating).findFirst().orElse(null);
        yield t != null
            ? t.pod().name() + " is terminating; one disruption at a time"
            : inProgress.name() + " was restarted and is not gone yet";
      }
      case RATE_LIMITED ->
          restartTimes.size()
              + " restarts in the last "
              + human(rules.restartPeriod())
              + " (limit "
              + rules.maxRestarts()
              + "); next possible in "
              + human(
                  Duration.ofNanos(
                      restartTimes.peekFirst() + rules.restartPeriod().toNanos() - now));
      case BACKOFF ->
          "restarts keep being needed; next possible in "
              + human(Duration.ofNanos(lastRestart + backoffNanos - now))
              + " (backoff "
              + human(Duration.ofNanos(backoffNanos))
              + ")";
      default -> throw new IllegalStateException("not a global reason: " + r);
    };
  }

  private Reason globalReason(long now, List<PodState> pods) {
    if (inProgress != null || pods.stream().anyMatch(PodState::terminating)) {
      return Reason.RESTART_IN_PROGRESS;
    }
    if (restartTimes.size() >= rules.maxRestarts()) {
      return Reason.RATE_LIMITED;
    }
    if (lastRestart != Long.MIN_VALUE && now - lastRestart < backoffNanos) {
      return Reason.BACKOFF;
    }
    return null;
  }

  private Plan.Suppression podBlock(long now, PodRef pod) {
    Long restarted = lastRestartByPod.get(key(pod));
    if (restarted != null && now - restarted < rules.podCooldown().toNanos()) {
      return new Plan.Suppression(
          pod,
          Reason.POD_COOLDOWN,
          "restarted "
              + human(Duration.ofNanos(now - restarted))
              + " ago (cooldown "
              + human(rules.podCooldown())
              + ")");
    }
    Long refused = lastRefusalByPod.get(key(pod));
    if (refused != null && now - refused < rules.evictionRetry().toNanos()) {
      return new Plan.Suppression(
          pod,
          Reason.EVICTION_REFUSED,
          "its eviction was refused "
              + human(Duration.ofNanos(now - refused))
              + " ago; trying again after "
              + human(rules.evictionRetry()));
    }
    return null;
  }

  private void forgetOld(long now, List<PodState> pods) {
    while (!restartTimes.isEmpty()
        && now - restartTimes.peekFirst() >= rules.restartPeriod().toNanos()) {
      restartTimes.removeFirst();
    }
    lastRestartByPod.values().removeIf(t -> now - t >= rules.podCooldown().toNanos());
    lastRefusalByPod.values().removeIf(t -> now - t >= rules.evictionRetry().toNanos());
    if (inProgress != null) {
      boolean present = pods.stream().anyMatch(p -> p.pod().equals(inProgress));
      // A pod stuck terminating (a lost node) must not block remediation for ever.
      if (!present || now - inProgressSince >= rules.podCooldown().toNanos()) {
        inProgress = null;
      }
    }
  }

  private static String key(PodRef pod) {
    return pod.namespace() + "/" + pod.name();
  }

  private static String percent(double share) {
    return Math.round(share * 100) + " %";
  }

  /** {@code 1m30s}, {@code 500ms}. */
  static String human(Duration d) {
    long ms = Math.max(0, d.toMillis());
    if (ms < 1000) {
      return ms + "ms";
    }
    long s = (ms + 999) / 1000;
    if (s < 60) {
      return s + "s";
    }
    long m = s / 60;
    return s % 60 == 0 ? m + "m" : m + "m" + (s % 60) + "s";
  }
}
