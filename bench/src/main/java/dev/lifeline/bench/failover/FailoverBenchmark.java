package dev.lifeline.bench.failover;

import dev.lifeline.testkit.RootRequirement;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

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
    long started = System.nanoTime();
    double loadBefore = Machine.loadAverage();
    Queue<Work> queue = new ConcurrentLinkedQueue<>();
    for (int trial = 1; trial <= options.trials(); trial++) {
      for (Scenario scenario : options.scenarios()) {
        for (Configuration configuration : options.configurations()) {
          queue.add(new Work(configuration, scenario, trial));
        }
      }
    }
    int total = queue.size();
    List<BenchControlPlane> planes = new ArrayList<>();
    List<TrialResult> results = new ArrayList<>();
    String where;
    try (Results out = new Results(options.out().resolve("trials.tsv"), total)) {
      for (int lane = 0; lane < options.lanes(); lane++) {
        planes.add(BenchControlPlane.start(options, clusterIp(options.firstLane() + lane)));
      }
      where = describe(planes);
      System.out.printf(
          Locale.ROOT,
          "%d trials: %d per scenario and configuration, cap %d s, %d lane(s); results in %s%n%s%n",
          total,
          options.trials(),
          options.cap().toSeconds(),
          options.lanes(),
          options.out().toAbsolutePath(),
          where);
      List<Thread> lanes = new ArrayList<>();
      QuietWindow quiet = new QuietWindow();
      for (BenchControlPlane plane : planes) {
        TrialRunner runner =
            new TrialRunner(
                plane.controlPlane(),
                plane.writer(),
                options,
                plane::kubeconfig,
                System.getProperty("java.class.path"),
                logs,
                quiet);
        lanes.add(
            Thread.ofPlatform()
                .name("failover-bench-lane-" + lanes.size())
                .start(
                    () -> {
                      for (Work w; (w = queue.poll()) != null; ) {
                        try {
                          out.add(runner.run(w.configuration(), w.scenario(), w.trial()));
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                          return;
                        }
                      }
                    }));
      }
      for (Thread lane : lanes) {
        lane.join();
      }
      results.addAll(out.all());
    } finally {
      for (BenchControlPlane plane : planes) {
        plane.close();
      }
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    String report =
        header(options, took, loadBefore, Machine.loadAverage(), where)
            + new Report(results).render();
    Files.writeString(options.out().resolve("report.md"), report, StandardCharsets.UTF_8);
    System.out.println();
    System.out.print(report);
    return results;
  }

  /**
   * The ClusterIP of a lane's control plane: one of its own in the service range, away from
   * 10.96.0.1, which tests of other modules may hold while the benchmark runs. Two JVMs must not
   * share one: the testkit may take the address off {@code lo} when one of them closes its control
   * plane while the other still listens on it.
   */
  static String clusterIp(int lane) {
    return "10.96.100." + (1 + lane);
  }

  private static String describe(List<BenchControlPlane> planes) {
    List<String> lines = new ArrayList<>();
    for (BenchControlPlane p : planes) {
      lines.add(
          "control plane: apiservers "
              + p.controlPlane().instances().stream()
                  .map(i -> i.address().getHostAddress())
                  .toList()
              + " port "
              + p.controlPlane().port()
              + ", Service "
              + p.serverUrl(new Configuration(ClientKind.LIGHT, Configuration.Wiring.WITHOUT))
              + ", load balancer "
              + p.serverUrl(
                  new Configuration(ClientKind.FABRIC8_VERTX, Configuration.Wiring.WITHOUT)));
    }
    return String.join("\n", lines);
  }

  /** One trial to run. */
  private record Work(Configuration configuration, Scenario scenario, int trial) {}

  /** The results file, written as trials complete, and the progress lines. Thread-safe. */
  private static final class Results implements AutoCloseable {
    private final BufferedWriter out;
    private final int total;
    private final List<TrialResult> all = new ArrayList<>();

    Results(Path file, int total) throws IOException {
      this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
      this.total = total;
      out.write(TrialResult.HEADER);
      out.newLine();
      out.flush();
    }

    synchronized void add(TrialResult result) {
      all.add(result);
      try {
        out.write(result.toLine());
        out.newLine();
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the results file", e);
      }
      System.out.printf(Locale.ROOT, "[%d/%d] %s%n", all.size(), total, progress(result));
    }

    synchronized List<TrialResult> all() {
      return List.copyOf(all);
    }

    @Override
    public synchronized void close() throws IOException {
      out.close();
    }
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
      BenchOptions options, Duration took, double loadBefore, double loadAfter, String where) {
    return String.format(
        Locale.ROOT,
        "Machine: %s. Load average %.1f at the start, %.1f at the end. %d trials per scenario and"
            + " configuration, cap %d s, %d lane(s); took %d h %02d min.%n%n%s%n%n",
        Machine.describe(),
        loadBefore,
        loadAfter,
        options.trials(),
        options.cap().toSeconds(),
        options.lanes(),
        took.toHours(),
        took.toMinutesPart(),
        where);
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
