package dev.lifeline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

  @Test
  void readsTheUnitsKubernetesToolsWrite() {
    assertThat(DurationConverter.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(DurationConverter.parse("15s")).isEqualTo(Duration.ofSeconds(15));
    assertThat(DurationConverter.parse("1.5s")).isEqualTo(Duration.ofMillis(1_500));
    assertThat(DurationConverter.parse("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(DurationConverter.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(DurationConverter.parse("1h")).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void refusesANumberWithoutAUnitAndSuggestsBoth() {
    assertThatThrownBy(() -> DurationConverter.parse("15"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessage("'15' has no unit; write for example 15s or 15ms");
  }

  @Test
  void refusesWhatIsNoDurationWithExamples() {
    for (String bad : new String[] {"fast", "15 s", "s", "-1s", "1x", "1s2", ""}) {
      assertThatThrownBy(() -> DurationConverter.parse(bad))
          .as(bad)
          .isInstanceOf(TypeConversionException.class)
          .hasMessageContaining("for example");
    }
  }
}
