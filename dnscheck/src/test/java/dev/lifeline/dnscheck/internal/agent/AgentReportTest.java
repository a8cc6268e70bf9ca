package dev.lifeline.dnscheck.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.dnscheck.Check;
import dev.lifeline.dnscheck.Transport;
import dev.lifeline.dnscheck.internal.PodRef;
import dev.lifeline.dnscheck.internal.Target;
import dev.lifeline.dnscheck.internal.engine.BatchProber;
import dev.lifeline.dnscheck.internal.engine.ResolvedCheck;
import dev.lifeline.dnscheck.internal.probe.Outcome;
import dev.lifeline.dnscheck.internal.probe.ProbeRequest;
import dev.lifeline.dnscheck.internal.probe.ProbeResult;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class AgentReportTest {
  private final Target target =
      Target.pod(
          new PodRef("kube-system", "coredns-a", "uid", "node-1"),
          new InetSocketAddress(InetAddress.getLoopbackAddress(), 53),
          EnumSet.allOf(Transport.class));
  private final ResolvedCheck check =
      ResolvedCheck.of(
          Check.builder("kubernetes", "kubernetes.default.svc.{domain}")
              .expectAnswers(List.of("10.96.0.1"))
              .build(),
          "cluster.local",
          Duration.ofMillis(250),
          EnumSet.allOf(Transport.class),
          RandomGenerator.of("L64X128MixRandom"));

  @Test
  void aResultSurvivesTheTripThroughTheLog() {
    ProbeResult sent =
        new ProbeResult(
            new ProbeRequest(
                "kubernetes",
                target.address(),
                Transport.UDP,
                check.qname().get(),
                check.qtype(),
                check.expectation(),
                Duration.ofMillis(250),
                2),
            Outcome.WRONG_ANSWER,
            "answered 10.96.0.99, expected 10.96.0.1",
            2,
            1_234_567,
            0,
            List.of("10.96.0.99"),
            10,
            20);
    String log =
        "Picked up JAVA_TOOL_OPTIONS: -XX:MaxRAMPercentage=75\n"
            + AgentReport.line(target.id(), sent)
            + "\n"
            + AgentReport.doneLine(1, 1)
            + "\n";

    List<BatchProber.Result> results =
        AgentReport.parse(log, Map.of(target.id(), target), Map.of("kubernetes", check));

    assertThat(results)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.targetId()).isEqualTo(target.id());
              assertThat(r.stream().transport()).isEqualTo(Transport.UDP);
              assertThat(r.result().outcome()).isEqualTo(Outcome.WRONG_ANSWER);
              assertThat(r.result().detail()).isEqualTo("answered 10.96.0.99, expected 10.96.0.1");
              assertThat(r.result().attempts()).isEqualTo(2);
              assertThat(r.result().latencyNanos()).isEqualTo(1_234_567);
              assertThat(r.result().answers()).containsExactly("10.96.0.99");
            });
  }

  @Test
  void aReportWithoutItsLastLineIsRefused() {
    assertThatThrownBy(() -> AgentReport.parse("{\"target\":\"x\"", Map.of(), Map.of()))
        .hasMessage("the helper pod's report is incomplete (0 probes, no final line)");
  }

  @Test
  void aResultForAnUnknownTargetIsRefused() {
    String log =
        "{\"target\":\"pod/x/y\",\"check\":\"kubernetes\",\"transport\":\"udp\",\"qname\":\"a.\",\"outcome\":\"ok\"}\n"
            + AgentReport.doneLine(1, 1);

    assertThatThrownBy(() -> AgentReport.parse(log, Map.of(), Map.of("kubernetes", check)))
        .hasMessageContaining("unknown target or check: pod/x/y");
  }
}
