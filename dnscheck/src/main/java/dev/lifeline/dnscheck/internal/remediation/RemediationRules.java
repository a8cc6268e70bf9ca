package dev.lifeline.dnscheck.internal.remediation;

import java.time.Duration;
import java.util.Objects;

/**
 * The guards around restarting a failing DNS pod.
 *
 * @param dryRun decide and report, act on nothing
 * @param podCooldown how long after restarting a pod (by name) it is not restarted again
 * @param evictionRetry how long after a refused eviction (a PodDisruptionBudget) it is tried again
 * @param maxRestarts restarts allowed in any {@code restartPeriod} (the global rate limit)
 * @param restartPeriod the rate limit's period
 * @param backoffInitial the least time between two restarts; doubles with each restart that follows
 *     the previous one within {@code backoffMax}, because restarts that keep being needed are
 *     evidently not helping
 * @param backoffMax the longest time between two restarts, and the quiet time after which the
 *     backoff starts again from {@code backoffInitial}
 * @param maxFailingShare the share of DNS pods that may be failing for a restart to happen; above
 *     it the cause is the network, the upstream or the checker, and the checker alerts instead
 * @param restartDelay how long a pod must have been failing before it is restarted, so that a
 *     failure common to every pod (the upstream, the network) shows on all of them first and trips
 *     the {@code maxFailingShare} guard instead of restarting the pod that happened to be judged
 *     first
 */
public record RemediationRules(
    boolean dryRun,
    Duration podCooldown,
    Duration evictionRetry,
    int maxRestarts,
    Duration restartPeriod,
    Duration backoffInitial,
    Duration backoffMax,
    double maxFailingShare,
    Duration restartDelay) {

  public RemediationRules {
    positive("pod-cooldown", podCooldown);
    positive("eviction-retry", evictionRetry);
    positive("restart-period", restartPeriod);
    positive("backoff-initial", backoffInitial);
    positive("backoff-max", backoffMax);
    if (maxRestarts < 1) {
      throw new IllegalArgumentException("max-restarts was " + maxRestarts + "; use 1 or more");
    }
    if (backoffMax.compareTo(backoffInitial) < 0) {
      throw new IllegalStateException(
          "backoff-max ("
              + backoffMax
              + ") is shorter than backoff-initial ("
              + backoffInitial
              + "); make it at least as long");
    }
    Objects.requireNonNull(restartDelay, "restart-delay");
    if (restartDelay.isNegative()) {
      throw new IllegalArgumentException(
          "restart-delay was " + restartDelay + "; use zero or a positive duration");
    }
    if (!(maxFailingShare > 0 && maxFailingShare < 1)) {
      throw new IllegalArgumentException(
          "max-failing-share was " + maxFailingShare + "; use a share above 0 and below 1");
    }
  }

  /**
   * Defaults: 5 min per pod, 30 s after a refusal, 3 per 10 min, backoff 30 s to 30 min, 50 %,
   * failing for 5 s.
   */
  public static RemediationRules defaults() {
    return new RemediationRules(
        false,
        Duration.ofMinutes(5),
        Duration.ofSeconds(30),
        3,
        Duration.ofMinutes(10),
        Duration.ofSeconds(30),
        Duration.ofMinutes(30),
        0.5,
        Duration.ofSeconds(5));
  }

  private static void positive(String setting, Duration d) {
    Objects.requireNonNull(d, setting);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(setting + " was " + d + "; use a positive duration");
    }
  }
}
