package dev.lifeline.bench.dnscheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PercentilesTest {
  @Test
  void theNearestRankIsAlwaysAMeasuredValue() {
    List<Long> twenty = new ArrayList<>();
    for (long i = 20; i >= 1; i--) {
      twenty.add(i * 100);
    }
    Percentiles p = Percentiles.of(twenty);

    assertThat(p.percentile(50)).isEqualTo(1000);
    assertThat(p.percentile(90)).isEqualTo(1800);
    assertThat(p.percentile(99)).isEqualTo(2000);
    assertThat(p.max()).isEqualTo(2000);
    assertThat(p.min()).isEqualTo(100);
    assertThat(p.mean()).isEqualTo(1050);
  }

  @Test
  void aSingleValueIsEveryPercentile() {
    Percentiles p = Percentiles.of(List.of(2_500_000_000L));

    assertThat(p.millis()).isEqualTo("2,500 | 2,500 | 2,500 | 2,500");
  }

  @Test
  void anEmptySampleShowsDashesAndHasNoPercentiles() {
    Percentiles p = Percentiles.of(List.of());

    assertThat(p.millis()).isEqualTo("– | – | – | –");
    assertThatThrownBy(() -> p.percentile(50)).hasMessage("no values");
    assertThatThrownBy(() -> p.percentile(0)).hasMessageContaining("percentile was 0.0");
  }
}
