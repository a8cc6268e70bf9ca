package dev.lifeline.dnscheck;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Hears what the checker sees and does. Every method has a no-op default, so a listener overrides
 * only what it needs.
 *
 * <p>Methods are called on the checker's own threads (the check loop, the remediation thread) and
 * must return quickly. A listener that throws is logged and otherwise ignored: it never stops a
 * probe, a verdict or a restart.
 */
public interface DnsCheckListener {
  /** A listener that does nothing. */
  DnsCheckListener NONE = new DnsCheckListener() {};

  /** A probe ended. */
  default void probeCompleted(ProbeEvent event) {}

  /** A target's verdict changed. */
  default void verdictChanged(VerdictEvent event) {}

  /** The remediation acted on a pod, or decided not to (each reason reported once per change). */
  default void remediation(RemediationEvent event) {}

  /** An alert was raised or cleared (see {@link AlertEvent}). */
  default void alert(AlertEvent event) {}

  /** The set of targets changed (pods came or went): {@code targetIds} are the ones now probed. */
  default void targetsChanged(List<String> targetIds) {}

  /**
   * A probe's result.
   *
   * @param targetId {@code pod/kube-system/coredns-x} or {@code service/kube-system/kube-dns}
   * @param targetKind {@code pod}, {@code service} or {@code exposed}
   * @param check the check's name
   * @param transport UDP or TCP
   * @param outcome {@code ok}, {@code timeout}, {@code wrong_answer}, ...
   * @param latency the round trip of the judged reply, if one came
   * @param attempts attempts sent (2 when a first one was lost)
   */
  record ProbeEvent(
      String targetId,
      String targetKind,
      String check,
      Transport transport,
      String outcome,
      Optional<Duration> latency,
      int attempts) {
    public ProbeEvent {
      Objects.requireNonNull(targetId);
      Objects.requireNonNull(latency);
    }

    public boolean success() {
      return outcome.equals("ok");
    }
  }

  /**
   * A verdict change.
   *
   * @param targetId the target
   * @param previous its verdict before
   * @param current its verdict now
   * @param evidence the latest failed probes, one line each
   */
  record VerdictEvent(String targetId, Verdict previous, Verdict current, List<String> evidence) {
    public VerdictEvent {
      evidence = List.copyOf(evidence);
    }
  }

  /**
   * A remediation decision about a failing pod.
   *
   * @param pod {@code namespace/name}
   * @param action what happened
   * @param reason why nothing was done ({@code majority_failing}, {@code pdb}, ...), or the method
   *     for a restart ({@code evict}, {@code delete})
   * @param detail for people: the numbers behind it
   * @param evidence the failed probes that led to it, one line each
   */
  record RemediationEvent(
      String pod, Action action, String reason, String detail, List<String> evidence) {
    public RemediationEvent {
      evidence = List.copyOf(evidence);
    }

    /** What happened to the pod. */
    public enum Action {
      /** Evicted or deleted. */
      RESTARTED,
      /** The API refused (a PodDisruptionBudget) or failed; tried again later. */
      REFUSED,
      /** Left alone on purpose; {@code reason} says why. */
      SUPPRESSED
    }
  }

  /**
   * An alert: a condition a person must look at, because restarting pods would not fix it.
   *
   * @param reason {@code majority_failing}, {@code service_failing}, {@code restarts_not_helping}
   *     or {@code no_dns_pods}
   * @param active whether it is raised (true) or cleared (false)
   * @param detail for people
   */
  record AlertEvent(String reason, boolean active, String detail) {}
}
