package dev.lifeline.bench.failover;

import dev.lifeline.testkit.RootRequirement;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * The failover scenario benchmark: a client doing a GET every 50 ms and holding a watch, while the
 * apiserver it uses is blackholed (real packet drops), reset, or stopped gracefully; for
 * kubernetes-client/java, fabric8 (OkHttp and Vert.x backends) and Lifeline's light client, each
 * with and without Lifeline. Measures per trial the gap (the longest time without a successful GET
 * from the fault on), failed GETs, and changes the watch lost or repeated; reports per scenario and
 * configuration the p50, p90, p99 and max gap over the trials and the totals. See {@link
 * TrialRunner} for how a trial runs and ends, {@link TrialAnalysis} for the definitions.
 *
 * <p>Run it as root (the blackhole drops packets with iptables) from the repository root:
 *
 * <pre>
 * export JAVA_HOME=$(bin/find-jdk)
 * ./mvnw -B -ntp -pl bench -am package -DskipTests
 * $JAVA_HOME/bin/java -cp bench/target/classes:$(cat bench/target/classpath.txt) \
 *     dev.lifeline.bench.failover.FailoverBenchmark [--quick] [options]
 * </pre>
 *
 * <p>{@code --quick} runs 3 trials per scenario with a 30 s cap; the default is 20 trials with a
 * 120 s cap. Trials are interleaved (trial 1 of every scenario and configuration, then trial 2, …)
 * so that a change in the machine's load spreads over all configurations. Results go to {@code
 * trials.tsv} and {@code report.md} in the output directory as trials complete, the clients' logs
 * to {@code logs/}; {@code --report FILE...} renders a report from results files again.
 */
public final class FailoverBenchmark {
  private FailoverBenchmark() {}

  public static void main(String[] args) throws Exception {
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.print(BenchOptions.USAGE);
      System.exit(2);
      return;
    }
    if (!options.reportOnly().isEmpty()) {
      List<TrialResult> results = new ArrayList<>();
      for (Path file : options.reportOnly()) {
        results.addAll(read(file));
      }
      System.out.print(new Report(results).render());
      return;
    }
    if (options.scenarios().contains(Scenario.BLACKHOLE)
        && !(RootRequirement.isRoot() && RootRequirement.hasCommand("iptables"))) {
      System.err.println(
          "error: the blackhole scenario drops packets with iptables and needs root; run as root,"
              + " or leave it out with --scenarios reset,graceful");
      System.exit(2);
      return;
    }
    run(options);
  }

  /** Runs every trial of the options and writes the results; returns them. */
  static List<TrialResult> run(BenchOptions options) throws IOException, InterruptedException {
    Path logs = options.out().resolve("logs");
    Files.createDirectories(logs);
    Path resultsFile = options.out().resolve("trials.tsv");
    long started = System.nanoTime();
    double loadBefore = Machine.loadAverage();
    List<TrialResult> results = new ArrayList<>();
    try (BenchControlPlane bench = BenchControlPlane.start(options);
        BufferedWriter out = Files.newBufferedWriter(resultsFile, StandardCharsets.UTF_8)) {
      out.write(TrialResult.HEADER);
      out.newLine();
      TrialRunner runner =
          new TrialRunner(
              bench.controlPlane(),
              bench.writer(),
              options,
              bench::kubeconfig,
              System.getProperty("java.class.path"),
              logs);
      int total = options.trials() * options.scenarios().size() * options.configurations().size();
      System.out.printf(
          Locale.ROOT,
          "%d trials: %d per scenario and configuration, cap %d s; results in %s%n",
          total,
          options.trials(),
          options.cap().toSeconds(),
          options.out().toAbsolutePath());
      int done = 0;
      for (int trial : IntStream.rangeClosed(1, options.trials()).toArray()) {
        for (Scenario scenario : options.scenarios()) {
          for (Configuration configuration : options.configurations()) {
            TrialResult result = runner.run(configuration, scenario, trial);
            results.add(result);
            out.write(result.toLine());
            out.newLine();
            out.flush();
            done++;
            System.out.printf(Locale.ROOT, "[%d/%d] %s%n", done, total, progress(result));
          }
        }
      }
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    String report =
        header(options, took, loadBefore, Machine.loadAverage()) + new Report(results).render();
    Files.writeString(options.out().resolve("report.md"), report, StandardCharsets.UTF_8);
    System.out.println();
    System.out.print(report);
    return results;
  }

  private static String progress(TrialResult r) {
    if (!r.ran()) {
      return r.configuration() + " " + r.scenario() + " #" + r.trial() + ": " + r.note();
    }
    return String.format(
        Locale.ROOT,
        "%s %s #%d: gap %s%s, %d failed, watch lost %d repeated %d (delay %s)%s, victim %s",
        r.configuration(),
        r.scenario(),
        r.trial(),
        Report.duration(r.gapMillis(), r.capped() && !r.getsRecovered()),
        r.capped() ? " (capped)" : "",
        r.failed(),
        r.lost(),
        r.repeated(),
        Report.duration(r.watchDelayMillis(), false),
        r.detectionMillis() >= 0
            ? ", detected in " + Report.duration(r.detectionMillis(), false)
            : "",
        r.victim());
  }

  private static String header(
      BenchOptions options, Duration took, double loadBefore, double loadAfter) {
    return String.format(
        Locale.ROOT,
        "Machine: %s. Load average %.1f at the start, %.1f at the end. %d trials per scenario and"
            + " configuration, cap %d s; took %d min %d s.%n%n",
        Machine.describe(),
        loadBefore,
        loadAfter,
        options.trials(),
        options.cap().toSeconds(),
        took.toMinutes(),
        took.toSecondsPart());
  }

  private static List<TrialResult> read(Path file) throws IOException {
    List<TrialResult> results = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank() && !line.equals(TrialResult.HEADER)) {
        results.add(TrialResult.parse(line));
      }
    }
    return results;
  }
}
