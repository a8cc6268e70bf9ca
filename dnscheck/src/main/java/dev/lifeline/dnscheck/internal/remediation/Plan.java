package dev.lifeline.dnscheck.internal.remediation;

import dev.lifeline.dnscheck.internal.PodRef;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The decisions of one evaluation: at most one pod to restart, and why each other failing pod is
 * left alone.
 *
 * @param restart the pod to restart now, if any
 * @param suppressed the failing pods not restarted, each with the reason
 * @param failing how many (not terminating) pods are failing
 * @param judged how many (not terminating) pods have a verdict other than unknown
 * @param majorityFailing whether the failing share is above the threshold (an alert)
 */
public record Plan(
    Optional<PodRef> restart,
    List<Suppression> suppressed,
    int failing,
    int judged,
    boolean majorityFailing) {

  public Plan {
    Objects.requireNonNull(restart);
    suppressed = List.copyOf(suppressed);
  }

  /** The failing share as a fraction, or 0 when nothing is judged. */
  public double failingShare() {
    return judged == 0 ? 0 : (double) failing / judged;
  }

  /**
   * A failing pod left alone.
   *
   * @param pod the pod
   * @param reason why
   * @param detail for people: the numbers behind the reason
   */
  public record Suppression(PodRef pod, Reason reason, String detail) {}
}
