package dev.lifeline.bench.dnscheck;

import dev.lifeline.dnscheck.DnsCheck;
import dev.lifeline.dnscheck.DnsCheckConfig;
import dev.lifeline.dnscheck.DnsCheckReport;
import dev.lifeline.dnscheck.Verdict;
import dev.lifeline.testkit.dns.FakeDnsPod;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Detection time, fault by fault: one checker runs for the whole scenario against three DNS pods
 * and the Service; each trial waits until every target is healthy and the victim's windows hold no
 * failure, waits a uniformly random part of the probe interval (so the fault meets the probe
 * schedule at a random phase), injects the fault, and takes the time from just before the injection
 * to the victim's failing verdict as the listener hears it. The fault is then healed at once,
 * before the restart delay runs out, so that the pods stay the same; a restart during the scenario
 * is counted and reported.
 *
 * <p>Kinds take turns in a shuffled order each round, and pod faults alternate between two pods; a
 * third pod sits behind a latency relay from the start and takes the slow-pod trials (slowing it is
 * then one assignment, instead of restarting its server behind a relay).
 */
final class DetectionScenario {
  private static final Duration DETECTION_LIMIT = Duration.ofSeconds(20);
  private static final Duration READY_LIMIT = Duration.ofSeconds(60);

  /**
   * One trial.
   *
   * @param kind the fault
   * @param target the victim's target id
   * @param injectionNanos how long the harness took to put the fault in force (the detection time
   *     counts from before it, so includes it)
   * @param phaseNanos time from the victim's last successful probe to the fault, modulo the
   *     interval; -1 if unknown
   * @param detectionNanos from the fault to the failing verdict; empty if none within 20 s
   * @param alertNanos from the fault to the {@code service_failing} alert, for the Service
   */
  record Trial(
      FaultKind kind,
      String target,
      long injectionNanos,
      long phaseNanos,
      OptionalLong detectionNanos,
      OptionalLong alertNanos) {}

  /**
   * What the scenario measured.
   *
   * @param trials every trial, in order
   * @param kinds the kinds that ran, in report order
   * @param restarts restarts (evictions) during the scenario; 0 expected
   * @param config the checker's settings
   * @param wall how long the scenario took
   */
  record Result(
      List<Trial> trials,
      List<FaultKind> kinds,
      int restarts,
      DnsCheckConfig config,
      Duration wall) {

    List<Trial> of(FaultKind kind) {
      return trials.stream().filter(t -> t.kind() == kind).toList();
    }

    /** The worst case the checker's arithmetic promises for a kind. */
    Duration promised(FaultKind kind) {
      return kind.isSilence()
          ? config.worstCaseSilentDetection()
          : config.worstCaseWrongAnswerDetection();
    }

    /** A Markdown table: one row per kind. */
    String table(Duration target) {
      StringBuilder sb = new StringBuilder();
      sb.append(
          "| fault | trials | detected | p50 ms | p90 ms | p99 ms | max ms | promised worst case"
              + " | target |\n");
      sb.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
      for (FaultKind k : kinds) {
        List<Trial> ts = of(k);
        List<Long> detected =
            ts.stream()
                .filter(t -> t.detectionNanos().isPresent())
                .map(t -> t.detectionNanos().getAsLong())
                .toList();
        Percentiles p = Percentiles.of(detected);
        boolean met =
            detected.size() == ts.size() && (p.count() == 0 || p.max() <= target.toNanos());
        sb.append(
            String.format(
                Locale.ROOT,
                "| %s | %d | %d | %s | %,d ms | %s |\n",
                k.description(),
                ts.size(),
                detected.size(),
                p.millis(),
                promised(k).toMillis(),
                ts.isEmpty()
                    ? "–"
                    : (met ? "met" : "MISSED") + " (≤ " + target.toSeconds() + " s)"));
      }
      return sb.toString();
    }

    /** How the faults met the probe schedule, and how long the harness took to inject them. */
    String phases() {
      StringBuilder sb = new StringBuilder();
      sb.append("| fault | phase min / p50 / max ms | injection mean / max ms |\n");
      sb.append("| --- | ---: | ---: |\n");
      for (FaultKind k : kinds) {
        List<Trial> ts = of(k);
        Percentiles phase =
            Percentiles.of(ts.stream().map(Trial::phaseNanos).filter(n -> n >= 0).toList());
        Percentiles inj = Percentiles.of(ts.stream().map(Trial::injectionNanos).toList());
        sb.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %s |\n",
                k.description(),
                phase.count() == 0
                    ? "–"
                    : String.format(
                        Locale.ROOT,
                        "%d / %d / %d",
                        phase.min() / 1_000_000,
                        phase.percentile(50) / 1_000_000,
                        phase.max() / 1_000_000),
                inj.count() == 0
                    ? "–"
                    : String.format(
                        Locale.ROOT, "%.1f / %.1f", inj.mean() / 1e6, inj.max() / 1e6)));
      }
      return sb.toString();
    }

    /** Times from a Service fault to the {@code service_failing} alert. */
    String serviceAlerts() {
      List<Long> alerts =
          of(FaultKind.SERVICE_SILENT).stream()
              .filter(t -> t.alertNanos().isPresent())
              .map(t -> t.alertNanos().getAsLong())
              .toList();
      return "service_failing alert after the Service IP went silent, p50 / p90 / p99 / max ms: "
          + Percentiles.of(alerts).millis().replace(" | ", " / ")
          + " ("
          + alerts.size()
          + " alerts)";
    }
  }

  private final Supplier<DnsCheckConfig.Builder> settings;
  private final List<FaultKind> kinds;
  private final int trialsPerKind;
  private final RandomGenerator random;
  private final PrintStream log;
  private String slowPod;

  /**
   * @param settings the checker's settings (the benchmark gives the defaults)
   * @param kinds the faults to inject
   * @param trialsPerKind trials of each
   * @param random chooses the phases and the order of kinds
   * @param log progress lines
   */
  DetectionScenario(
      Supplier<DnsCheckConfig.Builder> settings,
      List<FaultKind> kinds,
      int trialsPerKind,
      RandomGenerator random,
      PrintStream log) {
    this.settings = settings;
    this.kinds = List.copyOf(kinds);
    this.trialsPerKind = trialsPerKind;
    this.random = random;
    this.log = log;
  }

  /**
   * Runs the trials on {@code c}, which must have at least three pods and no faults; leaves it
   * healthy (the slow pod's relay removed).
   */
  Result run(BenchCluster c) {
    long started = System.nanoTime();
    DnsCheckConfig config = settings.get().build();
    List<Trial> trials = new ArrayList<>();
    slowPod = c.podNames().get(0);
    FaultKind.SLOW.prepare(c.pod(slowPod));
    warmUpBrokenUpstream(c);
    CheckerRecorder rec = new CheckerRecorder(System::nanoTime);
    int deletedBefore = c.deletedPods();
    try (DnsCheck check = DnsCheck.start(config, c.client(), rec)) {
      Await.until(check::isLeader, READY_LIMIT, () -> "the checker to take the lease");
      c.awaitAllHealthy(check, READY_LIMIT);
      int turn = 0;
      for (int round = 0; round < trialsPerKind; round++) {
        List<FaultKind> order = new ArrayList<>(kinds);
        shuffle(order);
        for (FaultKind kind : order) {
          Trial t = trial(c, check, rec, config, kind, turn++);
          trials.add(t);
          log.printf(
              Locale.ROOT,
              "  detection %2d/%d %-14s %-44s %s%n",
              round + 1,
              trialsPerKind,
              kind.name().toLowerCase(Locale.ROOT),
              t.target(),
              t.detectionNanos().isPresent()
                  ? t.detectionNanos().getAsLong() / 1_000_000 + " ms"
                  : "NOT DETECTED within " + DETECTION_LIMIT.toSeconds() + " s");
        }
      }
    } finally {
      if (c.podNames().contains(slowPod)) {
        c.pod(slowPod).slow(Duration.ZERO);
      }
    }
    int restarts = c.deletedPods() - deletedBefore;
    return new Result(
        trials, kinds, restarts, config, Duration.ofNanos(System.nanoTime() - started));
  }

  private Trial trial(
      BenchCluster c,
      DnsCheck check,
      CheckerRecorder rec,
      DnsCheckConfig config,
      FaultKind kind,
      int turn) {
    FakeDnsPod pod = kind.isPodFault() ? c.pod(victim(c, kind, turn)) : null;
    String target = pod == null ? BenchCluster.serviceTarget() : BenchCluster.podTarget(pod.name());
    Await.until(
        () -> c.allHealthy(check) && hasCleanWindows(check.report(), target),
        READY_LIMIT,
        () -> "every target healthy and " + target + " without failures in its windows");
    long interval = config.interval().toNanos();
    Await.pass(Duration.ofNanos(random.nextLong(interval)));
    OptionalLong lastSuccess = rec.lastSuccess(target);
    long fault = System.nanoTime();
    kind.inject(c, pod);
    long injected = System.nanoTime();
    boolean detected =
        Await.within(
            () -> rec.firstVerdict(target, Verdict.FAILING, fault).isPresent(), DETECTION_LIMIT);
    OptionalLong alert = OptionalLong.empty();
    if (kind == FaultKind.SERVICE_SILENT && detected) {
      // The alert is raised by the evaluation that follows the verdict.
      Await.within(() -> serviceAlert(rec, fault).isPresent(), Duration.ofSeconds(2));
      alert = serviceAlert(rec, fault);
    }
    kind.heal(c, pod);
    OptionalLong failing = rec.firstVerdict(target, Verdict.FAILING, fault);
    return new Trial(
        kind,
        target,
        injected - fault,
        lastSuccess.isPresent() ? Math.floorMod(fault - lastSuccess.getAsLong(), interval) : -1,
        detected ? OptionalLong.of(failing.getAsLong() - fault) : OptionalLong.empty(),
        alert.isPresent() ? OptionalLong.of(alert.getAsLong() - fault) : OptionalLong.empty());
  }

  /**
   * The harness starts the refusing upstream behind SERVFAIL on first use, which takes a few
   * hundred milliseconds; started here, before the checker, it does not weigh on the first trial.
   */
  static void warmUpBrokenUpstream(BenchCluster c) {
    FakeDnsPod any = c.pod(c.podNames().get(c.podNames().size() - 1));
    FaultKind.SERVFAIL.inject(c, any);
    FaultKind.SERVFAIL.heal(c, any);
  }

  private static OptionalLong serviceAlert(CheckerRecorder rec, long since) {
    return rec.firstAlert(since, a -> a.reason().equals("service_failing") && a.active())
        .map(t -> OptionalLong.of(t.atNanos()))
        .orElse(OptionalLong.empty());
  }

  /**
   * The pod for this turn: the one behind the relay for a slow pod, otherwise the others in turn.
   * Should a pod have been replaced after all, the relay goes to a pod that is there.
   */
  private String victim(BenchCluster c, FaultKind kind, int turn) {
    List<String> pods = c.podNames();
    if (!pods.contains(slowPod)) {
      slowPod = pods.get(0);
      FaultKind.SLOW.prepare(c.pod(slowPod));
    }
    if (kind == FaultKind.SLOW) {
      return slowPod;
    }
    List<String> others = pods.stream().filter(p -> !p.equals(slowPod)).toList();
    return others.get(turn % others.size());
  }

  /** Whether the target's every stream is healthy with no failure left in its window. */
  static boolean hasCleanWindows(DnsCheckReport report, String targetId) {
    return report.targets().stream()
        .filter(t -> t.id().equals(targetId))
        .anyMatch(
            t ->
                t.verdict() == Verdict.HEALTHY
                    && t.streams().stream().allMatch(s -> s.failures() == 0));
  }

  private void shuffle(List<FaultKind> list) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      FaultKind tmp = list.get(i);
      list.set(i, list.get(j));
      list.set(j, tmp);
    }
  }
}
