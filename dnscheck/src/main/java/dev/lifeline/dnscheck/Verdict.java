package dev.lifeline.dnscheck;

import java.util.Locale;

/**
 * The judgement on a target (or one probe stream of a target) from its sliding window of results.
 */
public enum Verdict {
  /** Too few results yet to judge (a new target, or probes skipped). */
  UNKNOWN,
  /** Enough results and none of the failure rules holds. */
  HEALTHY,
  /** A failure rule holds: enough consecutive failures, or too high a failure ratio. */
  FAILING;

  /** The lower-case name used in tables, JSON and metric labels. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The worse of two verdicts: failing beats unknown beats healthy. */
  public Verdict worse(Verdict other) {
    return severity() >= other.severity() ? this : other;
  }

  private int severity() {
    return switch (this) {
      case HEALTHY -> 0;
      case UNKNOWN -> 1;
      case FAILING -> 2;
    };
  }
}
