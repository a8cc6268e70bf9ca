package dev.lifeline.dnscheck.internal.remediation;

import dev.lifeline.dnscheck.Verdict;
import dev.lifeline.dnscheck.internal.PodRef;
import java.util.Objects;

/**
 * What the remediation policy knows of one DNS pod.
 *
 * @param pod the pod
 * @param verdict its verdict
 * @param verdictSinceNanos when that verdict began
 * @param terminating whether it is being deleted (deletionTimestamp set)
 */
public record PodState(PodRef pod, Verdict verdict, long verdictSinceNanos, boolean terminating) {
  public PodState {
    Objects.requireNonNull(pod);
    Objects.requireNonNull(verdict);
  }
}
