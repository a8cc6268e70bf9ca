package dev.lifeline.dnscheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeline.client.KubeClient;
import dev.lifeline.testkit.RequestRecord;
import dev.lifeline.testkit.dns.DnsRecords;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The port-forward mode end to end: the checker's own client forwards a loopback port to each DNS
 * pod through the fake control plane's {@code pods/portforward} (WebSocket), and the probes reach
 * real dnsmasq servers over TCP through it. UDP cannot be forwarded, and the report says so.
 */
class PortForwardModeIT {
  private static FakeCluster fake;
  private static KubeClient client;

  @BeforeAll
  static void start() {
    fake = new FakeCluster(2);
    client = fake.client();
  }

  @AfterAll
  static void stop() {
    client.close();
    fake.close();
  }

  private static DnsCheckConfig.Builder config() {
    return DnsCheckConfig.builder(Map.of())
        .mode(DeploymentMode.PORT_FORWARD)
        // Each TCP probe opens a WebSocket through the API server: on a loaded 2-core machine that
        // can take more than 500 ms, which is not what this test is about.
        .interval(Duration.ofMillis(500))
        .timeout(Duration.ofSeconds(2))
        .onceRounds(4)
        .minSamples(3)
        .windowSize(10)
        .consecutiveFailures(3)
        .restartDelay(Duration.ofSeconds(1))
        .backoffInitial(Duration.ofSeconds(1))
        .metricsAddress(null)
        .leaderElect(false)
        .identity("port-forward-it");
  }

  private static List<String> forwardRequests() {
    return fake.cp.instance(0).requestLog().stream()
        .map(RequestRecord::pathAndQuery)
        .filter(p -> p.contains("/portforward?"))
        .toList();
  }

  @Test
  void everyPodIsProbedOverTcpThroughTheApiServerAndUdpIsReportedAsUnseen() {
    DnsCheckReport r = DnsCheck.once(config().build(), client, DnsCheckListener.NONE);

    assertThat(r.mode()).isEqualTo(DeploymentMode.PORT_FORWARD);
    assertThat(r.healthy()).as(r.toTable()).isTrue();
    assertThat(r.targets())
        .extracting(DnsCheckReport.TargetReport::name)
        .containsExactlyElementsOf(fake.cluster.podNames());
    assertThat(r.targets())
        .allSatisfy(
            t -> {
              assertThat(t.kind()).isEqualTo("pod");
              assertThat(t.endpoint()).startsWith("127.0.0.1:");
              assertThat(t.note()).startsWith("through port-forward 127.0.0.1:");
              assertThat(t.streams())
                  .isNotEmpty()
                  .allSatisfy(
                      s -> {
                        assertThat(s.transport()).isEqualTo(Transport.TCP);
                        assertThat(s.samples()).isEqualTo(4);
                      });
            });
    assertThat(r.toTable())
        .contains("cannot see: UDP (port-forward carries TCP only")
        .contains("port-forward carries TCP only: UDP is not probed");
    assertThat(forwardRequests())
        .isNotEmpty()
        .allSatisfy(
            p ->
                assertThat(p)
                    .matches(".*/namespaces/kube-system/pods/.*/portforward\\?ports=\\d+"));
  }

  @Test
  void aPodThatAnswersWronglyIsFailingThroughTheForwardButIsNotRestarted() {
    String bad = fake.cluster.podNames().get(0);
    fake.cluster
        .pod(bad)
        .serve(
            DnsRecords.forDomain("cluster.local")
                .withService("default", "kubernetes", "10.96.0.99"));
    int deletedBefore = fake.cluster.deletedPods().size();
    try (DnsCheck check = DnsCheck.start(config().build(), client, DnsCheckListener.NONE)) {
      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(
              () ->
                  assertThat(check.report().targets())
                      .filteredOn(t -> t.name().equals(bad))
                      .singleElement()
                      .satisfies(t -> assertThat(t.verdict()).isEqualTo(Verdict.FAILING)));
      // Past the restart delay: a failure seen through the API server is not the pod's to pay for.
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(4))
          .until(() -> fake.cluster.deletedPods().size() == deletedBefore);
      assertThat(check.report().targets())
          .filteredOn(t -> !t.name().equals(bad))
          .allSatisfy(t -> assertThat(t.verdict()).isEqualTo(Verdict.HEALTHY));
    } finally {
      fake.heal();
    }
  }
}
