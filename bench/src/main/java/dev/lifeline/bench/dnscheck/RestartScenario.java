package dev.lifeline.bench.dnscheck;

import dev.lifeline.dnscheck.DnsCheck;
import dev.lifeline.dnscheck.DnsCheckConfig;
import dev.lifeline.dnscheck.DnsCheckListener.RemediationEvent;
import dev.lifeline.dnscheck.DnsCheckListener.VerdictEvent;
import dev.lifeline.dnscheck.Verdict;
import dev.lifeline.testkit.dns.FakeDnsPod;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * From a pod fault to its restart and to a healthy replacement, with remediation on: each trial
 * starts a fresh checker (the defaults allow 3 restarts in 10 minutes, back off 30 s doubling, and
 * keep that history per checker, so a long-lived checker would measure its rate limit, not its
 * reaction), waits until it holds the lease and judges everything healthy, injects the fault at a
 * random phase and measures, from just before the injection: the failing verdict, the restart (the
 * listener's {@code RESTARTED}, heard once the Eviction API answered), and the replacement pod's
 * first healthy verdict (the ReplicaSet stand-in creates it as soon as the pod is deleted).
 */
final class RestartScenario {
  private static final Duration LIMIT = Duration.ofSeconds(60);

  /**
   * One trial; times from the fault, empty when it did not happen within a minute.
   *
   * @param kind the fault
   * @param failingNanos to the failing verdict
   * @param restartNanos to the restart
   * @param replacementHealthyNanos to the replacement's healthy verdict
   * @param otherRestarts restarts of pods other than the victim (0 expected)
   * @param suppressions why the restart waited, in order ({@code settling}, ...)
   */
  record Trial(
      FaultKind kind,
      OptionalLong failingNanos,
      OptionalLong restartNanos,
      OptionalLong replacementHealthyNanos,
      int otherRestarts,
      List<String> suppressions) {}

  /** Every trial, the kinds in report order, and how long it took. */
  record Result(List<Trial> trials, List<FaultKind> kinds, Duration wall) {
    /** A Markdown table: one row per kind, p50 and max of each time. */
    String table() {
      StringBuilder sb = new StringBuilder();
      sb.append(
          "| fault | trials | restarted | to failing p50 / max ms | to restart p50 / max ms"
              + " | to replacement healthy p50 / max ms | other pods restarted |\n");
      sb.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
      for (FaultKind k : kinds) {
        List<Trial> ts = trials.stream().filter(t -> t.kind() == k).toList();
        sb.append(
            String.format(
                Locale.ROOT,
                "| %s | %d | %d | %s | %s | %s | %d |\n",
                k.description(),
                ts.size(),
                ts.stream().filter(t -> t.restartNanos().isPresent()).count(),
                p50max(ts.stream().map(Trial::failingNanos).toList()),
                p50max(ts.stream().map(Trial::restartNanos).toList()),
                p50max(ts.stream().map(Trial::replacementHealthyNanos).toList()),
                ts.stream().mapToInt(Trial::otherRestarts).sum()));
      }
      return sb.toString();
    }

    private static String p50max(List<OptionalLong> values) {
      Percentiles p =
          Percentiles.of(
              values.stream()
                  .filter(OptionalLong::isPresent)
                  .map(OptionalLong::getAsLong)
                  .toList());
      return p.count() == 0
          ? "–"
          : String.format(
              Locale.ROOT, "%,d / %,d", p.percentile(50) / 1_000_000, p.max() / 1_000_000);
    }
  }

  private final Supplier<DnsCheckConfig.Builder> settings;
  private final List<FaultKind> kinds;
  private final int trialsPerKind;
  private final RandomGenerator random;
  private final PrintStream log;

  /**
   * @param settings the checker's settings (the benchmark gives the defaults)
   * @param kinds pod faults to inject
   * @param trialsPerKind trials of each
   * @param random chooses the phases
   * @param log progress lines
   */
  RestartScenario(
      Supplier<DnsCheckConfig.Builder> settings,
      List<FaultKind> kinds,
      int trialsPerKind,
      RandomGenerator random,
      PrintStream log) {
    for (FaultKind k : kinds) {
      if (!k.isPodFault()) {
        throw new IllegalArgumentException(k + " is not a pod fault: nothing to restart");
      }
    }
    this.settings = settings;
    this.kinds = List.copyOf(kinds);
    this.trialsPerKind = trialsPerKind;
    this.random = random;
    this.log = log;
  }

  /** Runs the trials on {@code c}, which must have at least one pod and no faults. */
  Result run(BenchCluster c) {
    long started = System.nanoTime();
    List<Trial> trials = new ArrayList<>();
    if (kinds.contains(FaultKind.SERVFAIL)) {
      DetectionScenario.warmUpBrokenUpstream(c);
    }
    for (int round = 0; round < trialsPerKind; round++) {
      for (FaultKind kind : kinds) {
        Trial t = trial(c, kind);
        trials.add(t);
        log.printf(
            Locale.ROOT,
            "  restart %2d/%d %-12s failing %s, restarted %s, replacement healthy %s%n",
            round + 1,
            trialsPerKind,
            kind.name().toLowerCase(Locale.ROOT),
            millis(t.failingNanos()),
            millis(t.restartNanos()),
            millis(t.replacementHealthyNanos()));
      }
    }
    return new Result(trials, kinds, Duration.ofNanos(System.nanoTime() - started));
  }

  private static String millis(OptionalLong nanos) {
    return nanos.isPresent() ? nanos.getAsLong() / 1_000_000 + " ms" : "NEVER";
  }

  private Trial trial(BenchCluster c, FaultKind kind) {
    String victim = c.podNames().get(0);
    FakeDnsPod pod = c.pod(victim);
    kind.prepare(pod);
    String target = BenchCluster.podTarget(victim);
    Set<String> before = new LinkedHashSet<>();
    c.podNames().forEach(p -> before.add(BenchCluster.podTarget(p)));
    Predicate<VerdictEvent> replacementHealthy =
        v ->
            v.current() == Verdict.HEALTHY
                && v.targetId().startsWith("pod/")
                && !before.contains(v.targetId());
    CheckerRecorder rec = new CheckerRecorder(System::nanoTime);
    DnsCheckConfig config = settings.get().build();
    try (DnsCheck check = DnsCheck.start(config, c.client(), rec)) {
      Await.until(check::isLeader, LIMIT, () -> "the checker to take the lease");
      c.awaitAllHealthy(check, LIMIT);
      Await.pass(Duration.ofNanos(random.nextLong(config.interval().toNanos())));
      long fault = System.nanoTime();
      kind.inject(c, pod);
      Await.within(
          () -> rec.firstVerdict(fault, replacementHealthy).isPresent(), LIMIT.multipliedBy(2));
      OptionalLong failing = rec.firstVerdict(target, Verdict.FAILING, fault);
      OptionalLong restart =
          rec.firstRemediation(fault, e -> isRestartOf(e, victim))
              .map(t -> OptionalLong.of(t.atNanos()))
              .orElse(OptionalLong.empty());
      OptionalLong healthy =
          rec.firstVerdict(fault, replacementHealthy)
              .map(t -> OptionalLong.of(t.atNanos()))
              .orElse(OptionalLong.empty());
      int others =
          (int)
              rec.remediationsSince(fault).stream()
                  .filter(
                      t ->
                          t.event().action() == RemediationEvent.Action.RESTARTED
                              && !isRestartOf(t.event(), victim))
                  .count();
      List<String> suppressions =
          rec.remediationsSince(fault).stream()
              .filter(t -> t.event().action() == RemediationEvent.Action.SUPPRESSED)
              .map(t -> t.event().reason())
              .toList();
      if (restart.isEmpty() && c.podNames().contains(victim)) {
        kind.heal(c, pod);
      }
      return new Trial(
          kind,
          since(failing, fault),
          since(restart, fault),
          since(healthy, fault),
          others,
          suppressions);
    } finally {
      c.clearPacketFaults();
    }
  }

  private static OptionalLong since(OptionalLong at, long fault) {
    return at.isPresent() ? OptionalLong.of(at.getAsLong() - fault) : OptionalLong.empty();
  }

  /** Whether {@code e} is a restart of the pod {@code name}. */
  static boolean isRestartOf(RemediationEvent e, String name) {
    return e.action() == RemediationEvent.Action.RESTARTED
        && e.pod().equals(BenchCluster.podRef(name));
  }
}
