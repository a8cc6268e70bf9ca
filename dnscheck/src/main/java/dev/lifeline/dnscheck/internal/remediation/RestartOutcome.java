package dev.lifeline.dnscheck.internal.remediation;

import java.util.Objects;

/**
 * How an attempt to restart a pod ended.
 *
 * @param kind what happened
 * @param detail for people: the API's message, the status code
 */
public record RestartOutcome(Kind kind, String detail) {
  public RestartOutcome {
    Objects.requireNonNull(kind);
    Objects.requireNonNull(detail);
  }

  /** What happened. */
  public enum Kind {
    /** Evicted or deleted. */
    DONE,
    /** The Eviction API refused: a PodDisruptionBudget forbids the disruption now (429). */
    REFUSED,
    /** The pod was already gone (404), or replaced (another UID). */
    GONE,
    /** This replica no longer holds the lease; nothing was done. */
    NOT_LEADER,
    /** The API call failed (forbidden, unreachable, server error). */
    FAILED
  }
}
