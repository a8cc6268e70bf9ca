package dev.lifeline.cli.internal.demo;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DemoSettingsTest {
  private static DemoSettings settings(int instances, int port, Duration blackhole) {
    return new DemoSettings(
        instances,
        port,
        Duration.ofSeconds(4),
        blackhole,
        Duration.ofSeconds(5),
        Duration.ofSeconds(8),
        true,
        Path.of("demo.log"));
  }

  @Test
  void theDefaultsAreValid() {
    assertThatCode(() -> settings(3, 0, Duration.ofSeconds(15))).doesNotThrowAnyException();
  }

  @Test
  void eachBadValueNamesItsFlagAndTheValue() {
    assertThatThrownBy(() -> settings(3, 0, Duration.ofMillis(1_500).minusMillis(600)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--blackhole must be between 1s and 10m, was 900ms");
    assertThatThrownBy(() -> settings(3, 0, Duration.ofMinutes(11)))
        .hasMessage("--blackhole must be between 1s and 10m, was 11m");
    assertThatThrownBy(() -> settings(10, 0, Duration.ofSeconds(15)))
        .hasMessageStartingWith("--instances must be between 3 and 9");
    assertThatThrownBy(() -> settings(3, 70_000, Duration.ofSeconds(15)))
        .hasMessage("--port must be between 0 and 65535, was 70000");
  }
}
