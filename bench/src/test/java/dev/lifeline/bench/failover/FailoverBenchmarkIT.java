package dev.lifeline.bench.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One trial of the failover benchmark end to end, so that the code cannot rot: a light client with
 * Lifeline in its own JVM, its apiserver reset, the trial measured, the results file and the report
 * written. Shortened settings, and the Service on a loopback port instead of a ClusterIP (nothing
 * changes on the host, and a benchmark running beside the build keeps its ClusterIP); the real
 * run's numbers are in {@code docs/benchmarks.md}.
 */
class FailoverBenchmarkIT {
  @TempDir Path out;

  @Test
  void aResetApiserverCostsTheLightClientWithLifelineLittleAndItsWatchNothing() throws Exception {
    BenchOptions options =
        BenchOptions.parse(
            "--trials", "1",
            "--cap", "20",
            "--observe", "2",
            "--settle", "1",
            "--warmup", "1",
            "--scenarios", "reset",
            "--configurations", "lifeline-client+lifeline+ready",
            "--service", "loopback",
            "--out", out.toString());

    List<TrialResult> results = FailoverBenchmark.run(options);

    assertThat(results).hasSize(1);
    TrialResult trial = results.getFirst();
    assertThat(trial.ran()).as(trial.note()).isTrue();
    assertThat(trial.capped()).isFalse();
    assertThat(trial.getsRecovered()).isTrue();
    // A second, not the target (250 ms): a loaded CI machine must not fail the build.
    assertThat(trial.gapMillis()).isLessThan(1_000);
    assertThat(trial.detectionMillis()).isBetween(0.0, 1_000.0);
    assertThat(trial.expectedChanges()).isPositive();
    assertThat(trial.lost()).isZero();
    assertThat(trial.repeated()).isZero();
    assertThat(Files.readAllLines(out.resolve("trials.tsv"))).first().isEqualTo(TrialResult.HEADER);
    assertThat(Files.readString(out.resolve("report.md")))
        .contains("### Reset")
        .contains("| Lifeline light client; client built after discovery |");
  }
}
