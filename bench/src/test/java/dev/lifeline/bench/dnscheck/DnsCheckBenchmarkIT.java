package dev.lifeline.bench.dnscheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeline.bench.dnscheck.IptablesCounters.Flow;
import dev.lifeline.dnscheck.DnsCheckConfig;
import dev.lifeline.dnscheck.Transport;
import dev.lifeline.testkit.RootRequirement;
import dev.lifeline.testkit.dns.DnsServerKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each scenario of the DNS checker benchmark in miniature, against the real harness, so that the
 * benchmark cannot rot: quick settings (probes every 200 ms, failing at 3 in a row, a restart after
 * 1 s) and one trial or a few seconds each. The numbers are checked for sense, not speed.
 */
class DnsCheckBenchmarkIT {
  /** Three DNS pods and the Service, shared: each scenario leaves it without faults. */
  private static BenchCluster cluster;

  private final ByteArrayOutputStream progress = new ByteArrayOutputStream();
  private final PrintStream log = new PrintStream(progress, true, StandardCharsets.UTF_8);

  private static final Supplier<DnsCheckConfig.Builder> QUICK =
      () ->
          DnsCheckConfig.builder(Map.of())
              .interval(Duration.ofMillis(200))
              // Under the slow pod's 400 ms, but loose enough for a loaded 2-core machine, where
              // 150 ms timed out a third of the probes to healthy pods.
              .timeout(Duration.ofMillis(300))
              .windowSize(10)
              .minSamples(5)
              .consecutiveFailures(3)
              .restartDelay(Duration.ofSeconds(1))
              .metricsAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));

  @BeforeAll
  static void startCluster() {
    cluster = BenchCluster.start(3, DnsServerKind.DNSMASQ);
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @AfterEach
  void everyCheckerWasClosed() {
    System.out.print(progress.toString(StandardCharsets.UTF_8));
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(Thread.getAllStackTraces().keySet())
                    .filteredOn(Thread::isAlive)
                    .extracting(Thread::getName)
                    .noneMatch(n -> n.startsWith("lifeline-dnscheck-")));
  }

  @Test
  void aDetectionTrialOfEachPodFaultEndsInAFailingVerdictAndRestartsNothing() {
    List<FaultKind> kinds = FaultKind.available(false);

    DetectionScenario.Result r =
        new DetectionScenario(QUICK, kinds, 1, new SplittableRandom(1), log).run(cluster);

    assertThat(r.trials())
        .extracting(DetectionScenario.Trial::kind)
        .containsExactlyInAnyOrderElementsOf(kinds);
    assertThat(r.trials())
        .allSatisfy(
            t -> {
              assertThat(t.target()).startsWith("pod/kube-system/coredns-");
              assertThat(t.detectionNanos()).isPresent();
              // Three failed probes 200 ms apart at the least; well under the 20 s limit.
              assertThat(t.detectionNanos().getAsLong())
                  .isBetween(Duration.ofMillis(400).toNanos(), Duration.ofSeconds(10).toNanos());
              assertThat(t.phaseNanos()).isBetween(0L, Duration.ofMillis(200).toNanos());
            });
    assertThat(r.restarts()).isZero();
    assertThat(r.table(Duration.ofSeconds(3)))
        .contains(
            "| whole pod silent (SIGSTOP) | 1 | 1 |", "| slow pod (+400 ms per answer) | 1 | 1 |");
  }

  @Test
  void theUdpAndServiceFaultsAreDetectedAndTheServiceRaisesItsAlert() {
    RootRequirement.require(
        "iptables to drop UDP to a pod and everything to the Service IP", "iptables");

    DetectionScenario.Result r =
        new DetectionScenario(
                QUICK,
                List.of(FaultKind.UDP_SILENT, FaultKind.SERVICE_SILENT),
                1,
                new SplittableRandom(2),
                log)
            .run(cluster);

    assertThat(r.trials()).allSatisfy(t -> assertThat(t.detectionNanos()).isPresent());
    DetectionScenario.Trial service = r.of(FaultKind.SERVICE_SILENT).get(0);
    assertThat(service.target()).isEqualTo("service/kube-system/kube-dns");
    assertThat(service.alertNanos()).isPresent();
    assertThat(service.alertNanos().getAsLong())
        .isGreaterThanOrEqualTo(service.detectionNanos().getAsLong());
    assertThat(r.restarts()).isZero();
  }

  @Test
  void aRestartTrialFollowsTheFaultToTheRestartAndAHealthyReplacement() {
    RestartScenario.Result r =
        new RestartScenario(QUICK, List.of(FaultKind.WRONG_ANSWER), 1, new SplittableRandom(3), log)
            .run(cluster);

    RestartScenario.Trial t = r.trials().get(0);
    assertThat(t.failingNanos()).isPresent();
    assertThat(t.restartNanos()).isPresent();
    assertThat(t.replacementHealthyNanos()).isPresent();
    // The restart waits out the 1 s restart delay after the verdict; the replacement needs 5
    // results to be judged.
    assertThat(t.restartNanos().getAsLong() - t.failingNanos().getAsLong())
        .isGreaterThanOrEqualTo(Duration.ofSeconds(1).toNanos());
    assertThat(t.replacementHealthyNanos().getAsLong() - t.restartNanos().getAsLong())
        .isGreaterThanOrEqualTo(Duration.ofMillis(800).toNanos());
    assertThat(t.otherRestarts()).isZero();
    assertThat(t.suppressions()).contains("settling");
    assertThat(r.table()).contains("| wrong answer (kubernetes.default = 10.96.0.99) | 1 | 1 |");
  }

  @Test
  void aLossRunReadsTheInjectedLossBackAndCountsProbesAndVerdicts() {
    RootRequirement.require("iptables to drop packets at random", "iptables");

    LossScenario.Result r =
        new LossScenario(QUICK, List.of(0.10), Duration.ofSeconds(5), log).run(cluster);

    LossScenario.Run run = r.runs().get(0);
    assertThat(run.packets()).containsOnlyKeys(Flow.values());
    assertThat(run.packets().values())
        .allSatisfy(
            c -> {
              assertThat(c.seen()).isGreaterThan(100);
              assertThat(c.rate()).isBetween(0.01, 0.30);
            });
    LossScenario.ProbeSummary podUdp = run.summary("pod", Transport.UDP);
    // 3 pods x 2 checks, 5 probes a second, for 5 s: about 150.
    assertThat(podUdp.probes()).isBetween(100L, 200L);
    assertThat(podUdp.firstAttemptLost()).isPositive();
    assertThat(run.summary("service", Transport.TCP).probes()).isPositive();
    assertThat(run.evictions()).isEqualTo(run.restarts());
    assertThat(r.lossTable()).contains("| 10% |");
    assertThat(progress.toString(StandardCharsets.UTF_8)).contains("loss 10%: 5s of 5s");
  }

  @Test
  void theCpuRunMeasuresACheckerInAJvmOfItsOwn() {
    CpuScenario.Result r =
        new CpuScenario(
                List.of(Duration.ofMillis(100)),
                Duration.ZERO,
                Duration.ofSeconds(2),
                EnumSet.allOf(Transport.class),
                Optional.empty(),
                log)
            .run(cluster);

    CpuScenario.Measurement m = r.measurements().get(0);
    assertThat(m.get("targets")).isEqualTo(4);
    assertThat(m.get("healthy")).isEqualTo(4);
    // 4 targets x 2 checks x 2 transports, 10 rounds a second.
    assertThat(m.get("probes") * 1e9 / m.get("wallNanos")).isBetween(80.0, 170.0);
    assertThat(m.get("processCpuNanos")).isPositive();
    assertThat(m.get("proberCpuNanos")).isPositive();
    assertThat(m.get("proberCpuNanos") + m.get("loopCpuNanos"))
        .isLessThanOrEqualTo(m.get("processCpuNanos"));
    assertThat(m.outsideCpuNanos()).isPositive();
    assertThat(m.get("heapAfterGcBytes")).isBetween(1L, 192L << 20);
    assertThat(r.table(5)).contains("| 100ms | 4 (4) |");
  }
}
