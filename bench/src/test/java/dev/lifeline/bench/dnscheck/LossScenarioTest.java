package dev.lifeline.bench.dnscheck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.bench.dnscheck.CheckerRecorder.ProbeKey;
import dev.lifeline.bench.dnscheck.LossScenario.ProbeSummary;
import dev.lifeline.dnscheck.Transport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LossScenarioTest {
  @Test
  void probesAreSummedPerTargetKindAndTransportWithLostFirstAttemptsAndFailures() {
    Map<String, ProbeSummary> s =
        LossScenario.summarize(
            Map.of(
                new ProbeKey("pod", Transport.UDP, "ok", 1), 900L,
                new ProbeKey("pod", Transport.UDP, "ok", 2), 90L,
                new ProbeKey("pod", Transport.UDP, "timeout", 2), 10L,
                new ProbeKey("service", Transport.TCP, "ok", 1), 50L));

    ProbeSummary podUdp = s.get("pod/udp");
    assertThat(podUdp.probes()).isEqualTo(1000);
    assertThat(podUdp.firstAttemptLost()).isEqualTo(100);
    assertThat(podUdp.failed()).isEqualTo(10);
    assertThat(podUdp.firstAttemptLossRate()).isEqualTo(0.1);
    assertThat(podUdp.failureRate()).isEqualTo(0.01);
    assertThat(podUdp.outcomes()).containsEntry("ok", 990L).containsEntry("timeout", 10L);
    assertThat(s.get("service/tcp").failed()).isZero();
    assertThat(s).doesNotContainKey("service/udp");
  }

  @Test
  void anAttemptToAPodCrossesTheDropRulesTwiceAndOneToTheServiceRelayFourTimes() {
    LossScenario.Run run =
        new LossScenario.Run(
            0.05,
            Duration.ofMinutes(10),
            Map.of(),
            Map.of(),
            0,
            0,
            0,
            0,
            0,
            Map.of(),
            Map.of(),
            List.of());

    assertThat(run.expectedPodAttemptLoss()).isBetween(0.0975, 0.0976);
    assertThat(run.expectedServiceAttemptLoss()).isBetween(0.1854, 0.1855);
    assertThat(run.summary("pod", Transport.TCP).probes()).isZero();
  }
}
