package dev.lifeline.dnscheck.internal.metrics;

import dev.lifeline.dnscheck.DnsCheckListener;
import dev.lifeline.dnscheck.Verdict;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The checker's Prometheus metrics, fed as a listener. Series of targets that left (pods that were
 * replaced) are removed, so the metrics do not grow without bound.
 *
 * <p>Thread-safe (the Prometheus client is).
 */
public final class PrometheusMetrics implements DnsCheckListener {
  private static final double[] LATENCY_BUCKETS = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5
  };

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter probes;
  private final Gauge success;
  private final Histogram latency;
  private final Gauge verdict;
  private final Counter restarts;
  private final Counter refusals;
  private final Counter suppressed;
  private final Gauge alert;
  private final Gauge targets;
  private final Gauge leader;
  private final Gauge worstCase;
  private final Set<String> knownTargets = new HashSet<>();

  public PrometheusMetrics() {
    probes =
        Counter.builder()
            .name("lifeline_dnscheck_probes_total")
            .help(
                "DNS probes by target, check, transport and outcome (ok, timeout, wrong_answer, ...)")
            .labelNames("target", "kind", "check", "transport", "outcome")
            .register(registry);
    success =
        Gauge.builder()
            .name("lifeline_dnscheck_probe_success")
            .help("1 if the latest probe of the stream succeeded, else 0")
            .labelNames("target", "kind", "check", "transport")
            .register(registry);
    latency =
        Histogram.builder()
            .name("lifeline_dnscheck_probe_latency_seconds")
            .help("Round trip of answered DNS probes")
            .labelNames("target", "kind", "transport")
            .classicOnly()
            .classicUpperBounds(LATENCY_BUCKETS)
            .register(registry);
    verdict =
        Gauge.builder()
            .name("lifeline_dnscheck_target_verdict")
            .help(
                "1 for the target's current verdict (unknown, healthy, failing), 0 for the others")
            .labelNames("target", "kind", "verdict")
            .register(registry);
    restarts =
        Counter.builder()
            .name("lifeline_dnscheck_restarts_total")
            .help("DNS pods restarted, by method (evict, delete)")
            .labelNames("method")
            .register(registry);
    refusals =
        Counter.builder()
            .name("lifeline_dnscheck_restart_refusals_total")
            .help("Restarts refused or failed, by reason (eviction_refused, api_error)")
            .labelNames("reason")
            .register(registry);
    suppressed =
        Counter.builder()
            .name("lifeline_dnscheck_restarts_suppressed_total")
            .help(
                "Restarts not made on purpose, by reason (majority_failing, pod_cooldown,"
                    + " rate_limited, backoff, dry_run, ...); counted once per change")
            .labelNames("reason")
            .register(registry);
    alert =
        Gauge.builder()
            .name("lifeline_dnscheck_alert")
            .help(
                "1 while an alert is raised: majority_failing, service_failing,"
                    + " restarts_not_helping, no_dns_pods")
            .labelNames("reason")
            .register(registry);
    for (String reason :
        List.of("majority_failing", "service_failing", "restarts_not_helping", "no_dns_pods")) {
      alert.labelValues(reason).set(0);
    }
    targets =
        Gauge.builder().name("lifeline_dnscheck_targets").help("Targets probed").register(registry);
    leader =
        Gauge.builder()
            .name("lifeline_dnscheck_leader")
            .help("1 while this replica holds the lease (or leader election is off), else 0")
            .register(registry);
    worstCase =
        Gauge.builder()
            .name("lifeline_dnscheck_worst_case_detection_seconds")
            .help("Longest time to judge a silent pod failing with the current settings")
            .register(registry);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  /** Sets whether this replica leads. */
  public void leader(boolean leads) {
    leader.set(leads ? 1 : 0);
  }

  /** Publishes the worst-case detection time of the settings. */
  public void worstCaseDetectionSeconds(double seconds) {
    worstCase.set(seconds);
  }

  @Override
  public void probeCompleted(ProbeEvent e) {
    String transport = e.transport().label();
    probes.labelValues(e.targetId(), e.targetKind(), e.check(), transport, e.outcome()).inc();
    success
        .labelValues(e.targetId(), e.targetKind(), e.check(), transport)
        .set(e.success() ? 1 : 0);
    e.latency()
        .ifPresent(
            d ->
                latency
                    .labelValues(e.targetId(), e.targetKind(), transport)
                    .observe(d.toNanos() / 1e9));
  }

  @Override
  public void verdictChanged(VerdictEvent e) {
    String kind = e.targetId().substring(0, e.targetId().indexOf('/'));
    for (Verdict v : Verdict.values()) {
      verdict.labelValues(e.targetId(), kind, v.label()).set(v == e.current() ? 1 : 0);
    }
  }

  @Override
  public void remediation(RemediationEvent e) {
    switch (e.action()) {
      case RESTARTED -> restarts.labelValues(e.reason()).inc();
      case REFUSED -> refusals.labelValues(e.reason()).inc();
      case SUPPRESSED -> suppressed.labelValues(e.reason()).inc();
    }
  }

  @Override
  public void alert(AlertEvent e) {
    alert.labelValues(e.reason()).set(e.active() ? 1 : 0);
  }

  @Override
  public synchronized void targetsChanged(List<String> targetIds) {
    targets.set(targetIds.size());
    for (String id : targetIds) {
      if (knownTargets.add(id)) {
        String kind = id.substring(0, id.indexOf('/'));
        for (Verdict v : Verdict.values()) {
          verdict.labelValues(id, kind, v.label()).set(v == Verdict.UNKNOWN ? 1 : 0);
        }
      }
    }
    Set<String> gone = new HashSet<>(knownTargets);
    gone.removeAll(targetIds);
    for (String id : gone) {
      knownTargets.remove(id);
      probes.removeIf(labels -> labels.get(0).equals(id));
      success.removeIf(labels -> labels.get(0).equals(id));
      latency.removeIf(labels -> labels.get(0).equals(id));
      verdict.removeIf(labels -> labels.get(0).equals(id));
    }
  }
}
