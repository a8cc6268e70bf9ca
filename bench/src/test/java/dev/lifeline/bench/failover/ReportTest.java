package dev.lifeline.bench.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {
  private static TrialResult trial(
      String configuration,
      String scenario,
      int n,
      double gap,
      boolean capped,
      int failed,
      int lost) {
    return new TrialResult(
        configuration,
        scenario,
        n,
        "127.0.0.2",
        true,
        "h2",
        gap,
        capped,
        !capped || gap < 120_000,
        failed,
        100,
        50,
        lost,
        0,
        300,
        configuration.contains("lifeline") ? 1 : -1,
        configuration.contains("lifeline") ? 600 : -1,
        10_000,
        1.5,
        failed > 0 ? "SocketTimeoutException: timeout" : "");
  }

  @Test
  void percentilesAreNearestRankSoTheP99OfTwentyTrialsIsTheLargest() {
    List<TrialResult> results = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      results.add(trial("lifeline-client+lifeline", "blackhole", i, i * 10.0, false, 0, 0));
    }
    Summary s = Summary.of(results);

    assertThat(s.gap(50)).isEqualTo(100.0);
    assertThat(s.gap(90)).isEqualTo(180.0);
    assertThat(s.gap(99)).isEqualTo(200.0);
    assertThat(s.gap(100)).isEqualTo(200.0);
  }

  @Test
  void aTargetIsMetOnlyWhenTheGapAndTheWatchAreWithinIt() {
    Configuration light = Configuration.byId("lifeline-client+lifeline");
    Summary good = Summary.of(List.of(trial(light.id(), "blackhole", 1, 900, false, 0, 0)));
    Summary slow = Summary.of(List.of(trial(light.id(), "blackhole", 1, 1_100, false, 0, 0)));
    Summary lossy = Summary.of(List.of(trial(light.id(), "blackhole", 1, 900, false, 0, 3)));

    assertThat(Report.target(light, Scenario.BLACKHOLE, good)).startsWith("**met**");
    assertThat(Report.target(light, Scenario.BLACKHOLE, slow))
        .isEqualTo("**not met**: p99 gap 1.10 s > 1 s");
    assertThat(Report.target(light, Scenario.BLACKHOLE, lossy))
        .isEqualTo("**not met**: watch lost 3, repeated 0");
    assertThat(
            Report.target(
                light,
                Scenario.GRACEFUL_STOP,
                Summary.of(List.of(trial(light.id(), "graceful", 1, 60, false, 2, 0)))))
        .isEqualTo("**not met**: 2 failed GETs");
    assertThat(
            Report.target(Configuration.byId("fabric8-vertx+lifeline"), Scenario.BLACKHOLE, good))
        .startsWith("no target");
  }

  @Test
  void theTablePutsWithAndWithoutSideBySideAndMarksCappedGaps() {
    List<TrialResult> results =
        List.of(
            trial("lifeline-client+lifeline", "blackhole", 1, 800, false, 0, 0),
            trial("lifeline-client", "blackhole", 1, 120_000, true, 3, 40));

    String md = new Report(results).render();

    assertThat(md)
        .contains("### Blackhole (real packet drops)")
        .contains(
            "| Lifeline light client | 800 ms / 800 ms / 800 ms / 800 ms | ≥ 120.0 s / ≥ 120.0 s /"
                + " ≥ 120.0 s / ≥ 120.0 s | ≥ 150.0× | 0 / 3 | 0 / 0 | 40 / 0 | **met**")
        .contains("- `lifeline-client`: 1× `SocketTimeoutException: timeout`");
  }

  @Test
  void resultLinesSurviveARoundTrip() {
    TrialResult r = trial("fabric8-okhttp", "reset", 7, 123.4, false, 2, 1);

    assertThat(TrialResult.parse(r.toLine())).isEqualTo(r);
    assertThat(TrialResult.HEADER.split("\t")).hasSize(20);
  }

  @Test
  void durationsReadWell() {
    assertThat(Report.duration(62.4, false)).isEqualTo("62 ms");
    assertThat(Report.duration(1_250, false)).isEqualTo("1.25 s");
    assertThat(Report.duration(14_321, false)).isEqualTo("14.3 s");
    assertThat(Report.duration(120_000, true)).isEqualTo("≥ 120.0 s");
    assertThat(Report.duration(Double.NaN, false)).isEqualTo("–");
  }
}
