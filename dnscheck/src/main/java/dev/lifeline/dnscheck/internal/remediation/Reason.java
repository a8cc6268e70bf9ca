package dev.lifeline.dnscheck.internal.remediation;

import java.util.Locale;

/** Why a failing pod was not restarted. */
public enum Reason {
  /** Dry run: the checker would have restarted it. */
  DRY_RUN,
  /** Failing for less than the restart delay: waiting to see whether other pods fail too. */
  SETTLING,
  /** Another replica of the checker holds the lease and acts. */
  NOT_LEADER,
  /** Too many pods fail at once: the network, the upstream or the checker is at fault. */
  MAJORITY_FAILING,
  /** A DNS pod is terminating (ours or someone else's): one disruption at a time. */
  RESTART_IN_PROGRESS,
  /** Another failing pod is being restarted first. */
  ONE_AT_A_TIME,
  /** This pod was restarted recently. */
  POD_COOLDOWN,
  /** Its last eviction was refused (a PodDisruptionBudget); waiting before trying again. */
  EVICTION_REFUSED,
  /** The global rate limit of restarts is used up. */
  RATE_LIMITED,
  /** Restarts keep being needed, so they are spaced out more and more. */
  BACKOFF;

  /** The lower-case name used in metric labels and events. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
