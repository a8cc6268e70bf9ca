package dev.lifeline.bench.dnscheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuScenarioTest {
  @Test
  void theCheckersResultLineIsParsedIntoNumbers() {
    Map<String, Long> v = CpuScenario.parse("targets=100 healthy=100 wallNanos=60000000000");

    assertThat(v).containsEntry("targets", 100L).containsEntry("wallNanos", 60_000_000_000L);
    assertThatThrownBy(() -> CpuScenario.parse("targets=100 oops"))
        .hasMessageStartingWith("not key=value: 'oops'");
  }

  @Test
  void aProcesssCpuTimeIsReadFromProc() {
    long cpu = CpuScenario.processCpuNanos(ProcessHandle.current().pid());

    // This JVM has compiled and run tests: more than one clock tick of CPU.
    assertThat(cpu).isGreaterThanOrEqualTo(10_000_000L);
    assertThat(CpuScenario.processCpuNanos(-1)).isEqualTo(-1);
  }

  @Test
  void sharesAreOfOneCoreOverTheMeasuredWallTime() {
    CpuScenario.Measurement m =
        new CpuScenario.Measurement(
            Duration.ofSeconds(1),
            Map.of("wallNanos", 60_000_000_000L, "processCpuNanos", 1_800_000_000L),
            1_790_000_000L);

    assertThat(m.percent("processCpuNanos")).isEqualTo(3.0);
    assertThatThrownBy(() -> m.get("gcCount"))
        .hasMessage("the checker's JVM did not report gcCount");
  }
}
