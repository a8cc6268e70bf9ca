package dev.lifeline.dnscheck.internal.remediation;

import dev.lifeline.dnscheck.DnsCheckListener;
import dev.lifeline.dnscheck.DnsCheckListener.AlertEvent;
import dev.lifeline.dnscheck.DnsCheckListener.RemediationEvent;
import dev.lifeline.dnscheck.DnsCheckListener.RemediationEvent.Action;
import dev.lifeline.dnscheck.RestartMethod;
import dev.lifeline.dnscheck.Verdict;
import dev.lifeline.dnscheck.internal.PodRef;
import dev.lifeline.dnscheck.internal.Target;
import dev.lifeline.dnscheck.internal.cluster.DnsTopology;
import dev.lifeline.dnscheck.internal.probe.ProbeResult;
import dev.lifeline.dnscheck.internal.verdict.TargetHealth;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Turns verdicts into remediation: asks the {@link RemediationPolicy}, has the chosen pod
 * restarted, and reports every decision as a log line with its evidence, a Kubernetes Event and a
 * listener call. Repeated decisions are reported when they change, and otherwise at most once per
 * {@code repeatEvery}. Raises and clears alerts.
 *
 * <p>Threading: every method runs on the check loop's thread; restarts run elsewhere and their
 * outcomes come back to the loop. While a restart is under way no other decision is taken.
 */
public final class RemediationController {
  private static final System.Logger LOG = System.getLogger(RemediationController.class.getName());

  private final RemediationPolicy policy;
  private final RestartMethod method;
  private final boolean enabled;
  private final PodRestarter restarter;
  private final EventSink events;
  private final Executor loop;
  private final LongSupplier ticker;
  private final BooleanSupplier leader;
  private final DnsCheckListener listener;
  private final long repeatEveryNanos;
  private final Map<String, Reported> reported = new HashMap<>();
  private final Map<String, String> alerts = new LinkedHashMap<>();
  private boolean restarting;

  /**
   * @param policy the decisions
   * @param method evict or delete, for the reports
   * @param enabled false where the mode cannot attribute failures to pods (exposed port,
   *     port-forward): verdicts and alerts only
   * @param restarter does the restart
   * @param events records Events
   * @param loop the check loop
   * @param ticker nanoseconds
   * @param leader whether this replica holds the lease
   * @param listener hears decisions and alerts
   * @param repeatEvery how often an unchanged decision is reported again
   */
  public RemediationController(
      RemediationPolicy policy,
      RestartMethod method,
      boolean enabled,
      PodRestarter restarter,
      EventSink events,
      Executor loop,
      LongSupplier ticker,
      BooleanSupplier leader,
      DnsCheckListener listener,
      Duration repeatEvery) {
    this.policy = policy;
    this.method = method;
    this.enabled = enabled;
    this.restarter = restarter;
    this.events = events;
    this.loop = loop;
    this.ticker = ticker;
    this.leader = leader;
    this.listener = listener;
    this.repeatEveryNanos = repeatEvery.toNanos();
  }

  /** Decides on the current verdicts. */
  public void evaluate(List<TargetHealth> targets, DnsTopology topology) {
    long now = ticker.getAsLong();
    Map<String, TargetHealth> byPod = new HashMap<>();
    TargetHealth service = null;
    for (TargetHealth h : targets) {
      Target t = h.target();
      if (t.kind() == Target.Kind.POD) {
        byPod.put(t.pod().orElseThrow().toString(), h);
      } else if (t.kind() == Target.Kind.SERVICE) {
        service = h;
      }
    }
    List<PodState> pods = new ArrayList<>();
    for (DnsTopology.DnsPod p : topology.pods()) {
      TargetHealth h = byPod.get(p.ref().toString());
      pods.add(
          new PodState(
              p.ref(),
              h == null ? Verdict.UNKNOWN : h.verdict(),
              h == null ? now : h.verdictSinceNanos(),
              p.terminating()));
    }
    boolean leads = leader.getAsBoolean();
    Plan plan = policy.plan(now, pods, leads);
    // Only the replica that may act writes Events, so that replicas do not repeat each other.
    updateAlerts(plan, service, topology, leads);
    if (!enabled || restarting) {
      return;
    }
    for (Plan.Suppression s : plan.suppressed()) {
      reportSuppression(s, byPod.get(s.pod().toString()), now, leads);
    }
    plan.restart().ifPresent(pod -> restart(pod, byPod.get(pod.toString())));
    // Forget pods that are no longer failing, so that a new failure is reported afresh.
    reported
        .keySet()
        .removeIf(
            name ->
                pods.stream()
                    .noneMatch(
                        p -> p.pod().toString().equals(name) && p.verdict() == Verdict.FAILING));
  }

  /** The alerts now raised, one line each. */
  public List<String> activeAlerts() {
    List<String> out = new ArrayList<>();
    alerts.forEach((reason, detail) -> out.add(reason + ": " + detail));
    return out;
  }

  private void restart(PodRef pod, TargetHealth health) {
    List<String> evidence = evidence(health);
    String why =
        "failing DNS probes since "
            + human(ticker.getAsLong() - health.verdictSinceNanos())
            + ": "
            + String.join(" | ", evidence);
    LOG.log(
        System.Logger.Level.WARNING,
        "restarting DNS pod " + pod + " (" + method.label() + "), " + why);
    restarting = true;
    restarter
        .restart(pod)
        .whenComplete(
            (outcome, error) ->
                loop.execute(
                    () -> {
                      restarting = false;
                      RestartOutcome o =
                          outcome != null
                              ? outcome
                              : new RestartOutcome(
                                  RestartOutcome.Kind.FAILED, String.valueOf(error));
                      restarted(pod, o, why, evidence);
                    }));
  }

  private void restarted(PodRef pod, RestartOutcome o, String why, List<String> evidence) {
    long now = ticker.getAsLong();
    switch (o.kind()) {
      case DONE -> {
        policy.restarted(pod, now);
        LOG.log(System.Logger.Level.WARNING, "restarted DNS pod " + pod + ": " + o.detail());
        events.onPod(
            pod,
            true,
            "DNSCheckRestarted",
            (method == RestartMethod.EVICT ? "Evicted" : "Deleted")
                + " by lifeline-dnscheck: "
                + why);
        listener.remediation(
            new RemediationEvent(pod.toString(), Action.RESTARTED, method.label(), why, evidence));
      }
      case REFUSED, FAILED -> {
        policy.refused(pod, now);
        String what = o.kind() == RestartOutcome.Kind.REFUSED ? "refused" : "failed";
        String detail =
            "restarting was "
                + what
                + ": "
                + o.detail()
                + "; trying again after "
                + human(policy.rules().evictionRetry().toNanos());
        LOG.log(System.Logger.Level.WARNING, "DNS pod " + pod + ": " + detail);
        events.onPod(pod, true, "DNSCheckRestartRefused", detail);
        listener.remediation(
            new RemediationEvent(
                pod.toString(),
                Action.REFUSED,
                o.kind() == RestartOutcome.Kind.REFUSED ? "eviction_refused" : "api_error",
                detail,
                evidence));
      }
      case GONE, NOT_LEADER ->
          LOG.log(System.Logger.Level.INFO, "DNS pod " + pod + " not restarted: " + o.detail());
    }
  }

  private void reportSuppression(Plan.Suppression s, TargetHealth health, long now, boolean leads) {
    String key = s.pod().toString();
    Reported last = reported.get(key);
    if (last != null && last.reason == s.reason() && now - last.atNanos < repeatEveryNanos) {
      return;
    }
    reported.put(key, new Reported(s.reason(), now));
    List<String> evidence = evidence(health);
    String line =
        "DNS pod "
            + s.pod()
            + " is failing but not restarted ("
            + s.reason().label()
            + "): "
            + s.detail()
            + "; evidence: "
            + String.join(" | ", evidence);
    boolean routine = s.reason() == Reason.NOT_LEADER || s.reason() == Reason.SETTLING;
    LOG.log(routine ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING, line);
    if (leads && !routine && s.reason() != Reason.DRY_RUN) {
      events.onPod(
          s.pod(), true, "DNSCheckRestartSuppressed", s.reason().label() + ": " + s.detail());
    }
    listener.remediation(
        new RemediationEvent(key, Action.SUPPRESSED, s.reason().label(), s.detail(), evidence));
  }

  private void updateAlerts(Plan plan, TargetHealth service, DnsTopology topology, boolean leads) {
    Map<String, String> now = new LinkedHashMap<>();
    if (plan.majorityFailing()) {
      now.put(
          "majority_failing",
          plan.failing()
              + " of "
              + plan.judged()
              + " DNS pods fail at once; not restarting: look at the network, the upstream"
              + " resolvers or the checker itself");
    }
    if (service != null && service.verdict() == Verdict.FAILING) {
      now.put(
          "service_failing",
          "the DNS Service IP "
              + service.target().endpoint()
              + " fails ("
              + String.join(" | ", evidence(service))
              + ")");
    }
    if (policy.isBackoffExhausted() && plan.failing() > 0) {
      now.put(
          "restarts_not_helping",
          "restarts keep being needed; they are now at most one per "
              + human(policy.rules().backoffMax().toNanos()));
    }
    if (topology.pods().isEmpty()) {
      now.put(
          "no_dns_pods",
          "no pod matches the DNS Service's selector in " + topology.service().namespace());
    }
    for (Map.Entry<String, String> e : now.entrySet()) {
      if (!alerts.containsKey(e.getKey())) {
        LOG.log(System.Logger.Level.ERROR, "alert " + e.getKey() + ": " + e.getValue());
        if (leads) {
          events.onService(true, "DNSCheckAlert", e.getKey() + ": " + e.getValue());
        }
        listener.alert(new AlertEvent(e.getKey(), true, e.getValue()));
      }
    }
    for (String reason : List.copyOf(alerts.keySet())) {
      if (!now.containsKey(reason)) {
        LOG.log(System.Logger.Level.INFO, "alert " + reason + " cleared");
        if (leads) {
          events.onService(false, "DNSCheckAlertCleared", reason + " cleared");
        }
        listener.alert(new AlertEvent(reason, false, ""));
      }
    }
    alerts.clear();
    alerts.putAll(now);
  }

  private static List<String> evidence(TargetHealth h) {
    return h == null ? List.of() : h.evidence().stream().map(ProbeResult::evidence).toList();
  }

  private static String human(long nanos) {
    return RemediationPolicy.human(Duration.ofNanos(nanos));
  }

  private record Reported(Reason reason, long atNanos) {}
}
