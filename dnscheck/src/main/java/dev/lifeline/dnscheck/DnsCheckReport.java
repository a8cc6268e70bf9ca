package dev.lifeline.dnscheck;

import dev.lifeline.dnscheck.internal.report.JsonReport;
import dev.lifeline.dnscheck.internal.report.TableReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The state of every target at one moment: what a one-shot run prints, and what the daemon would
 * print if asked. Immutable.
 *
 * @param time when it was taken
 * @param mode how the cluster's DNS was reached
 * @param modeReason why that mode (chosen automatically, or configured)
 * @param modeSelection one line per mode considered, saying why it was chosen or skipped (for
 *     example {@code helper-pod: skipped: this user may not create pods in default})
 * @param clusterDomain the cluster domain the checks used
 * @param clusterDomainSource where the domain came from
 * @param checks the checks, one line each ({@code kubernetes: kubernetes.default.svc... A =
 *     10.96.0.1})
 * @param targets every target with its verdict
 * @param alerts conditions a person must look at (restarting would not fix them)
 * @param notes what else the reader should know (NodeLocal DNSCache, pods without an IP)
 */
public record DnsCheckReport(
    Instant time,
    DeploymentMode mode,
    String modeReason,
    List<String> modeSelection,
    String clusterDomain,
    String clusterDomainSource,
    List<String> checks,
    List<TargetReport> targets,
    List<String> alerts,
    List<String> notes) {

  public DnsCheckReport {
    Objects.requireNonNull(time);
    Objects.requireNonNull(mode);
    modeSelection = List.copyOf(modeSelection);
    checks = List.copyOf(checks);
    targets = List.copyOf(targets);
    alerts = List.copyOf(alerts);
    notes = List.copyOf(notes);
  }

  /**
   * Healthy when there is at least one target, every target is judged healthy and no alert is
   * raised. A target still unknown makes the report unhealthy: it could not be confirmed.
   */
  public boolean healthy() {
    return !targets.isEmpty()
        && alerts.isEmpty()
        && targets.stream().allMatch(t -> t.verdict() == Verdict.HEALTHY);
  }

  /** The report as a table for people. */
  public String toTable() {
    return TableReport.render(this);
  }

  /** The report as one JSON document, for scripts. */
  public String toJson() {
    return JsonReport.render(this);
  }

  /**
   * One target.
   *
   * @param id its stable identifier
   * @param kind {@code service}, {@code pod} or {@code exposed}
   * @param name the pod's or Service's name, or the address
   * @param endpoint where probes went, {@code ip:port}
   * @param node the pod's node, or empty
   * @param verdict its verdict
   * @param streams one per check and transport
   * @param evidence the latest failed probes, one line each
   * @param note what its results mean, when not obvious; empty if nothing
   */
  public record TargetReport(
      String id,
      String kind,
      String name,
      String endpoint,
      String node,
      Verdict verdict,
      List<StreamReport> streams,
      List<String> evidence,
      String note) {
    public TargetReport {
      streams = List.copyOf(streams);
      evidence = List.copyOf(evidence);
    }
  }

  /**
   * One probe stream of a target.
   *
   * @param check the check's name
   * @param transport UDP or TCP
   * @param verdict the stream's verdict
   * @param samples results in its window
   * @param failures failed results in its window
   * @param lastOutcome the latest probe's outcome ({@code ok}, {@code timeout}, ...), or empty
   * @param lastLatency the latest successful round trip, if any
   */
  public record StreamReport(
      String check,
      Transport transport,
      Verdict verdict,
      int samples,
      int failures,
      String lastOutcome,
      Optional<Duration> lastLatency) {}
}
