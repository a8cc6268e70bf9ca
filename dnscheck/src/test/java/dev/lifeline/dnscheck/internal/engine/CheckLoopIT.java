package dev.lifeline.dnscheck.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeline.dnscheck.DeploymentMode;
import dev.lifeline.dnscheck.DnsCheckConfig;
import dev.lifeline.dnscheck.DnsCheckListener.RemediationEvent.Action;
import dev.lifeline.dnscheck.DnsCheckReport;
import dev.lifeline.dnscheck.Transport;
import dev.lifeline.dnscheck.Verdict;
import dev.lifeline.dnscheck.internal.PodRef;
import dev.lifeline.dnscheck.internal.probe.DnsProber;
import dev.lifeline.dnscheck.internal.remediation.EventSink;
import dev.lifeline.dnscheck.internal.remediation.RestartOutcome;
import dev.lifeline.testkit.RootRequirement;
import dev.lifeline.testkit.dns.DnsRecords;
import dev.lifeline.testkit.dns.Executables;
import dev.lifeline.testkit.dns.FakeCoreDns;
import dev.lifeline.testkit.dns.FakeDnsPod;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The check loop with the default settings against real DNS servers, without a control plane: the
 * detection times the defaults promise, and what the remediation decides.
 */
class CheckLoopIT {
  private static final DnsRecords RECORDS =
      DnsRecords.forDomain("cluster.local").withService("default", "kubernetes", "10.96.0.1");
  private static final Duration PROMISED = Duration.ofSeconds(3);

  private static FakeCoreDns dns;
  private static DnsProber prober;

  private final RecordingListener listener = new RecordingListener();
  private final List<PodRef> restarts = new CopyOnWriteArrayList<>();
  private CheckLoop loop;

  @BeforeAll
  static void startDns() throws IOException {
    dns = FakeCoreDns.builder().records(RECORDS).build();
    for (String name : List.of("coredns-a", "coredns-b", "coredns-c")) {
      dns.addPod(name);
    }
    prober = DnsProber.start();
  }

  @AfterAll
  static void stopDns() {
    prober.close();
    dns.close();
  }

  @BeforeEach
  void startLoop() {
    loop = loop(DnsCheckConfig.builder(Map.of()).metricsAddress(null).build());
    loop.start();
    awaitAllHealthy();
  }

  @AfterEach
  void stopLoop() {
    loop.close();
    if (Executables.isRoot()) {
      dns.faults().clear();
    }
    for (FakeDnsPod p : dns.pods()) {
      p.heal();
    }
  }

  @Test
  void aPodThatStopsAnsweringUdpIsFailingWithinThreeSecondsWhileItsTcpStaysHealthy() {
    requireRoot();
    FakeDnsPod a = dns.pod("coredns-a");
    long fault = System.nanoTime();
    dns.faults().dropUdp(a.ip(), dns.port());

    long detected = awaitFailing("pod/kube-system/coredns-a");

    assertThat(measured("UDP dropped", fault, detected)).isLessThan(PROMISED);
    DnsCheckReport.TargetReport t = target("pod/kube-system/coredns-a");
    assertThat(t.streams())
        .filteredOn(s -> s.transport() == Transport.TCP)
        .allSatisfy(s -> assertThat(s.verdict()).isEqualTo(Verdict.HEALTHY));
    assertThat(t.evidence()).anySatisfy(e -> assertThat(e).contains("over udp", "timeout"));
  }

  @Test
  void aPodThatAnswersWronglyIsFailingWithinThreeSeconds() {
    FakeDnsPod b = dns.pod("coredns-b");
    long fault = System.nanoTime();
    b.serve(
        DnsRecords.forDomain("cluster.local").withService("default", "kubernetes", "10.96.0.99"));

    long detected = awaitFailing("pod/kube-system/coredns-b");

    assertThat(measured("wrong answer", fault, detected)).isLessThan(PROMISED);
    assertThat(target("pod/kube-system/coredns-b").evidence())
        .anySatisfy(e -> assertThat(e).contains("answered 10.96.0.99, expected 10.96.0.1"));
  }

  @Test
  void aPodThatAnswersServfailIsFailingWithinThreeSeconds() {
    FakeDnsPod c = dns.pod("coredns-c");
    long fault = System.nanoTime();
    c.serveFailure();

    long detected = awaitFailing("pod/kube-system/coredns-c");

    assertThat(measured("SERVFAIL", fault, detected)).isLessThan(PROMISED);
    assertThat(target("pod/kube-system/coredns-c").evidence())
        .anySatisfy(e -> assertThat(e).contains("answered SERVFAIL"));
  }

  @Test
  void aSlowPodIsFailingWithinThreeSeconds() {
    FakeDnsPod a = dns.pod("coredns-a");
    long fault = System.nanoTime();
    a.slow(Duration.ofMillis(400));

    long detected = awaitFailing("pod/kube-system/coredns-a");

    assertThat(measured("slow (400 ms)", fault, detected)).isLessThan(PROMISED);
    assertThat(target("pod/kube-system/coredns-a").evidence())
        .anySatisfy(e -> assertThat(e).contains("no reply within 250 ms"));
  }

  @Test
  void aFrozenPodIsFailingWithinThreeSecondsOverBothTransports() {
    FakeDnsPod b = dns.pod("coredns-b");
    long fault = System.nanoTime();
    b.freeze();

    long detected = awaitFailing("pod/kube-system/coredns-b");

    assertThat(measured("frozen (SIGSTOP)", fault, detected)).isLessThan(PROMISED);
  }

  @Test
  void oneFailingPodOfThreeIsRestartedOnceAfterTheRestartDelayWithItsEvidence() {
    long fault = System.nanoTime();
    dns.pod("coredns-c").serveFailure();

    await().atMost(Duration.ofSeconds(10)).until(() -> !restarts.isEmpty());

    // Judged failing within 2 s, then restarted after it failed for the 5 s restart delay.
    assertThat(Duration.ofNanos(System.nanoTime() - fault)).isGreaterThan(Duration.ofSeconds(5));
    assertThat(restarts).extracting(PodRef::name).containsExactly("coredns-c");
    assertThat(listener.remediations)
        .filteredOn(r -> r.action() == Action.RESTARTED)
        .singleElement()
        .satisfies(
            r -> assertThat(r.evidence()).anySatisfy(e -> assertThat(e).contains("SERVFAIL")));
  }

  @Test
  void everyPodFailingAtOnceRaisesAnAlertAndRestartsNothing() {
    for (FakeDnsPod p : dns.pods()) {
      p.serveFailure();
    }

    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                listener.alerts.stream()
                    .anyMatch(a -> a.reason().equals("majority_failing") && a.active()));

    assertThat(restarts).isEmpty();
    // The first pod judged failing waits out the restart delay; by then every pod fails.
    assertThat(listener.remediations)
        .extracting(r -> r.reason())
        .contains("majority_failing")
        .containsOnly("settling", "majority_failing");
    assertThat(loop.report().alerts())
        .anySatisfy(a -> assertThat(a).startsWith("majority_failing: 3 of 3 DNS pods fail"))
        .anySatisfy(a -> assertThat(a).startsWith("service_failing"));
  }

  private CheckLoop loop(DnsCheckConfig config) {
    ModeSetup mode =
        new ModeSetup(
            DeploymentMode.IN_CLUSTER,
            "test",
            prober::probe,
            null,
            new DirectTargets(EnumSet.allOf(Transport.class), OptionalInt.empty()),
            EnumSet.allOf(Transport.class),
            true,
            List.of());
    return new CheckLoop(
        config,
        false,
        mode,
        () -> HarnessTopology.of(dns),
        pod -> {
          restarts.add(pod);
          return CompletableFuture.completedFuture(
              new RestartOutcome(RestartOutcome.Kind.DONE, "evicted"));
        },
        EventSink.NONE,
        () -> true,
        listener,
        System::nanoTime,
        Clock.systemUTC());
  }

  private void awaitAllHealthy() {
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                loop.report().targets().size() == 4
                    && loop.report().targets().stream()
                        .allMatch(t -> t.verdict() == Verdict.HEALTHY));
  }

  private long awaitFailing(String target) {
    long since = System.nanoTime() - Duration.ofSeconds(10).toNanos();
    await()
        .atMost(Duration.ofSeconds(6))
        .until(() -> listener.firstAfter(target, Verdict.FAILING, since) >= 0);
    return listener.firstAfter(target, Verdict.FAILING, since);
  }

  /** Prints a measured detection time (the report quotes them) and returns it. */
  private static Duration measured(String what, long fault, long detected) {
    Duration d = Duration.ofNanos(detected - fault);
    System.out.printf("detection time, %s: %d ms%n", what, d.toMillis());
    return d;
  }

  private DnsCheckReport.TargetReport target(String id) {
    return loop.report().targets().stream()
        .filter(t -> t.id().equals(id))
        .findFirst()
        .orElseThrow();
  }

  private static void requireRoot() {
    RootRequirement.require("iptables to drop packets", "iptables");
  }
}
