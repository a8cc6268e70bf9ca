package dev.lifeline.bench.dnscheck;

import dev.lifeline.bench.dnscheck.CheckerRecorder.ProbeKey;
import dev.lifeline.bench.dnscheck.CheckerRecorder.Timed;
import dev.lifeline.bench.dnscheck.IptablesCounters.Count;
import dev.lifeline.bench.dnscheck.IptablesCounters.Flow;
import dev.lifeline.dnscheck.DnsCheck;
import dev.lifeline.dnscheck.DnsCheckConfig;
import dev.lifeline.dnscheck.DnsCheckListener.AlertEvent;
import dev.lifeline.dnscheck.DnsCheckListener.RemediationEvent;
import dev.lifeline.dnscheck.DnsCheckListener.VerdictEvent;
import dev.lifeline.dnscheck.Transport;
import dev.lifeline.dnscheck.Verdict;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * False restarts under random packet loss: for each loss rate, a fresh checker with remediation on
 * (not a dry run) watches three DNS pods and the Service while iptables drops that share of DNS
 * packets at random, UDP and TCP, queries and replies, on every pod and the Service IP. Counted:
 * failing verdicts, restarts (the listener's and the evictions the API saw), refusals, suppressions
 * by reason, alerts, and every probe by target kind, transport, outcome and attempts; the injected
 * rate is read back from iptables counters.
 *
 * <p>The Service IP is a user-space relay in the harness (kube-proxy's userspace mode), so a query
 * to it crosses the drop rules twice each way: its attempts are lost with 1 − (1 − p)⁴ against 1 −
 * (1 − p)² for a pod. Real kube-proxy rewrites addresses in the kernel and would cost one crossing
 * each way; the Service's numbers here are therefore worse than a cluster's.
 */
final class LossScenario {
  private static final Duration READY_LIMIT = Duration.ofSeconds(60);
  private static final Duration PROGRESS_EVERY = Duration.ofMinutes(1);

  /** Probes of one target kind over one transport. */
  record ProbeSummary(long probes, long firstAttemptLost, long failed, Map<String, Long> outcomes) {
    double firstAttemptLossRate() {
      return probes == 0 ? 0 : (double) firstAttemptLost / probes;
    }

    double failureRate() {
      return probes == 0 ? 0 : (double) failed / probes;
    }
  }

  /**
   * One loss run.
   *
   * @param rate the drop probability per packet
   * @param duration how long the loss lasted
   * @param packets what iptables saw and dropped, per flow
   * @param probes per {@code kind/transport} ({@code pod/udp}, ...)
   * @param failingPods failing verdicts of pods
   * @param failingService failing verdicts of the Service
   * @param restarts restarts the checker reported
   * @param evictions DNS pods deleted in the API
   * @param refused restarts the API refused or failed
   * @param suppressed suppressed restarts by reason
   * @param alerts alerts raised, by reason
   * @param evidence the first failing verdicts (at most three), each with its latest failed probe
   */
  record Run(
      double rate,
      Duration duration,
      Map<Flow, Count> packets,
      Map<String, ProbeSummary> probes,
      int failingPods,
      int failingService,
      int restarts,
      int evictions,
      int refused,
      Map<String, Long> suppressed,
      Map<String, Long> alerts,
      List<String> evidence) {

    /** The loss a pod's attempt meets: a query and a reply, each dropped with the rate. */
    double expectedPodAttemptLoss() {
      return 1 - Math.pow(1 - rate, 2);
    }

    /** The loss an attempt to the Service meets through the harness's relay: four crossings. */
    double expectedServiceAttemptLoss() {
      return 1 - Math.pow(1 - rate, 4);
    }

    ProbeSummary summary(String kind, Transport t) {
      return probes.getOrDefault(kind + "/" + t.label(), new ProbeSummary(0, 0, 0, Map.of()));
    }
  }

  /** Every run and how long the scenario took. */
  record Result(List<Run> runs, Duration wall) {
    /** The verdicts and decisions, one row per rate. */
    String outcomeTable() {
      StringBuilder sb = new StringBuilder();
      sb.append(
          "| loss | duration | failing verdicts: pods / Service | restarts (evictions) | refused"
              + " | suppressed | alerts raised |\n");
      sb.append("| ---: | ---: | ---: | ---: | ---: | --- | --- |\n");
      for (Run r : runs) {
        sb.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %d / %d | %d (%d) | %d | %s | %s |\n",
                BenchOptions.percent(r.rate()),
                BenchOptions.text(r.duration()),
                r.failingPods(),
                r.failingService(),
                r.restarts(),
                r.evictions(),
                r.refused(),
                counts(r.suppressed()),
                counts(r.alerts())));
      }
      return sb.toString();
    }

    /** The loss injected (iptables) and seen (first attempts lost), one row per rate. */
    String lossTable() {
      StringBuilder sb = new StringBuilder();
      sb.append(
          "| loss | dropped by iptables: udp q / r, tcp q / r | pod UDP attempts lost (expected)"
              + " | Service UDP attempts lost (expected) | pod TCP attempts lost | Service TCP"
              + " attempts lost | probes | probes failed: pod udp / pod tcp / svc udp / svc tcp"
              + " |\n");
      sb.append("| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |\n");
      for (Run r : runs) {
        ProbeSummary pu = r.summary("pod", Transport.UDP);
        ProbeSummary pt = r.summary("pod", Transport.TCP);
        ProbeSummary su = r.summary("service", Transport.UDP);
        ProbeSummary st = r.summary("service", Transport.TCP);
        sb.append(
            String.format(
                Locale.ROOT,
                "| %s | %s / %s, %s / %s | %.2f %% (%.2f %%) | %.2f %% (%.2f %%) | %.2f %% |"
                    + " %.2f %% | %,d | %.3f %% / %.3f %% / %.3f %% / %.3f %% |\n",
                BenchOptions.percent(r.rate()),
                rate(r.packets(), Flow.UDP_QUERIES),
                rate(r.packets(), Flow.UDP_REPLIES),
                rate(r.packets(), Flow.TCP_TO_SERVER),
                rate(r.packets(), Flow.TCP_FROM_SERVER),
                100 * pu.firstAttemptLossRate(),
                100 * r.expectedPodAttemptLoss(),
                100 * su.firstAttemptLossRate(),
                100 * r.expectedServiceAttemptLoss(),
                100 * pt.firstAttemptLossRate(),
                100 * st.firstAttemptLossRate(),
                pu.probes() + pt.probes() + su.probes() + st.probes(),
                100 * pu.failureRate(),
                100 * pt.failureRate(),
                100 * su.failureRate(),
                100 * st.failureRate()));
      }
      return sb.toString();
    }

    /** Every probe outcome, per rate and {@code kind/transport}, one line each. */
    String outcomes() {
      StringBuilder sb = new StringBuilder();
      for (Run r : runs) {
        List<String> parts = new ArrayList<>();
        r.probes()
            .forEach(
                (key, p) -> {
                  List<String> each = new ArrayList<>();
                  p.outcomes()
                      .forEach((o, n) -> each.add(String.format(Locale.ROOT, "%s %,d", o, n)));
                  parts.add(key + ": " + String.join(", ", each));
                });
        sb.append("- ")
            .append(BenchOptions.percent(r.rate()))
            .append(": ")
            .append(String.join("; ", parts))
            .append('\n');
      }
      return sb.toString();
    }

    private static String rate(Map<Flow, Count> packets, Flow f) {
      Count c = packets.get(f);
      return c == null
          ? "–"
          : String.format(Locale.ROOT, "%.2f %% of %,d", 100 * c.rate(), c.seen());
    }

    private static String counts(Map<String, Long> m) {
      if (m.isEmpty()) {
        return "none";
      }
      List<String> parts = new ArrayList<>();
      m.forEach((k, v) -> parts.add(k + " " + v));
      return String.join(", ", parts);
    }
  }

  private final Supplier<DnsCheckConfig.Builder> settings;
  private final List<Double> rates;
  private final Duration duration;
  private final PrintStream log;

  /**
   * @param settings the checker's settings (the benchmark gives the defaults)
   * @param rates drop probabilities, one run each
   * @param duration how long each run lasts
   * @param log progress lines
   */
  LossScenario(
      Supplier<DnsCheckConfig.Builder> settings,
      List<Double> rates,
      Duration duration,
      PrintStream log) {
    this.settings = settings;
    this.rates = List.copyOf(rates);
    this.duration = duration;
    this.log = log;
  }

  /** Runs at each rate on {@code c}, which must have no faults; removes the loss after each. */
  Result run(BenchCluster c) {
    long started = System.nanoTime();
    List<Run> runs = new ArrayList<>();
    for (double rate : rates) {
      runs.add(run(c, rate));
    }
    return new Result(runs, Duration.ofNanos(System.nanoTime() - started));
  }

  private Run run(BenchCluster c, double rate) {
    CheckerRecorder rec = new CheckerRecorder(System::nanoTime);
    int deletedBefore = c.deletedPods();
    Map<Flow, Count> packets;
    Map<ProbeKey, Long> probes;
    long start;
    try (DnsCheck check = DnsCheck.start(settings.get().build(), c.client(), rec)) {
      Await.until(check::isLeader, READY_LIMIT, () -> "the checker to take the lease");
      c.awaitAllHealthy(check, READY_LIMIT);
      try {
        IptablesCounters counters = IptablesCounters.install(c.faultChain(), c.port());
        c.dns.faults().dropRandomly(rate, c.port());
        Map<ProbeKey, Long> before = rec.probeCounts();
        start = System.nanoTime();
        long end = start + duration.toNanos();
        for (long left = duration.toNanos(); left > 0; left = end - System.nanoTime()) {
          Await.pass(Duration.ofNanos(Math.min(left, PROGRESS_EVERY.toNanos())));
          log.printf(
              Locale.ROOT,
              "  loss %s: %s of %s, failing verdicts %d, restarts %d%n",
              BenchOptions.percent(rate),
              BenchOptions.text(Duration.ofSeconds((System.nanoTime() - start) / 1_000_000_000)),
              BenchOptions.text(duration),
              countFailing(rec.verdictsSince(start), "pod/")
                  + countFailing(rec.verdictsSince(start), "service/"),
              c.deletedPods() - deletedBefore);
        }
        packets = counters.read();
        probes = rec.probeCountsSince(before);
      } finally {
        c.clearPacketFaults();
      }
      // Probes sent under loss end within two timeouts; their verdicts still count.
      Await.pass(Duration.ofSeconds(2));
    }
    return tally(rate, packets, probes, rec, start, c.deletedPods() - deletedBefore);
  }

  private Run tally(
      double rate,
      Map<Flow, Count> packets,
      Map<ProbeKey, Long> probes,
      CheckerRecorder rec,
      long start,
      int evictions) {
    List<Timed<VerdictEvent>> verdicts = rec.verdictsSince(start);
    List<Timed<RemediationEvent>> decisions = rec.remediationsSince(start);
    Map<String, Long> suppressed = new TreeMap<>();
    int restarts = 0;
    int refused = 0;
    for (Timed<RemediationEvent> t : decisions) {
      switch (t.event().action()) {
        case RESTARTED -> restarts++;
        case REFUSED -> refused++;
        case SUPPRESSED -> suppressed.merge(t.event().reason(), 1L, Long::sum);
      }
    }
    Map<String, Long> alerts = new TreeMap<>();
    for (Timed<AlertEvent> t : rec.alertsSince(start)) {
      if (t.event().active()) {
        alerts.merge(t.event().reason(), 1L, Long::sum);
      }
    }
    List<String> evidence =
        verdicts.stream()
            .filter(t -> t.event().current() == Verdict.FAILING)
            .limit(3)
            .map(
                t ->
                    t.event().targetId()
                        + ": "
                        + (t.event().evidence().isEmpty() ? "" : t.event().evidence().get(0)))
            .toList();
    return new Run(
        rate,
        duration,
        packets,
        summarize(probes),
        countFailing(verdicts, "pod/"),
        countFailing(verdicts, "service/"),
        restarts,
        evictions,
        refused,
        suppressed,
        alerts,
        evidence);
  }

  private static int countFailing(List<Timed<VerdictEvent>> verdicts, String prefix) {
    return (int)
        verdicts.stream()
            .filter(
                t ->
                    t.event().current() == Verdict.FAILING
                        && t.event().targetId().startsWith(prefix))
            .count();
  }

  /** Probe counts per {@code kind/transport}. */
  static Map<String, ProbeSummary> summarize(Map<ProbeKey, Long> probes) {
    Map<String, long[]> sums = new TreeMap<>();
    Map<String, Map<String, Long>> outcomes = new TreeMap<>();
    probes.forEach(
        (k, n) -> {
          String key = k.targetKind() + "/" + k.transport().label();
          long[] s = sums.computeIfAbsent(key, x -> new long[3]);
          s[0] += n;
          if (k.attempts() > 1) {
            s[1] += n;
          }
          if (!k.outcome().equals("ok")) {
            s[2] += n;
          }
          outcomes.computeIfAbsent(key, x -> new TreeMap<>()).merge(k.outcome(), n, Long::sum);
        });
    Map<String, ProbeSummary> out = new TreeMap<>();
    sums.forEach((key, s) -> out.put(key, new ProbeSummary(s[0], s[1], s[2], outcomes.get(key))));
    return out;
  }
}
