package dev.lifeline.bench.failover;

import dev.lifeline.testkit.ClusterIpListener;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The failover benchmark's settings, from its command line. Every value is checked as it is read; a
 * bad one is an {@link IllegalArgumentException} naming the option and the value.
 *
 * @param trials trials per scenario and configuration (default 20; {@code --quick}: 3)
 * @param cap how long a trial may run after the fault (default 120 s; {@code --quick}: 30 s)
 * @param minObserve how long every trial runs after the fault at least (default 10 s), so that what
 *     happens after a first recovery is seen too
 * @param settle how long GETs must run clean (and the watch be caught up) to end a trial (default 5
 *     s)
 * @param warmup how long GETs must run clean before the fault (default 3 s)
 * @param shutdownDelay the apiservers' {@code --shutdown-delay-duration} for graceful stops
 *     (default 5 s)
 * @param scenarios the scenarios to run (default all)
 * @param configurations the configurations to run (default all, see {@link Configuration#all()})
 * @param lanes how many control planes run trials side by side, each with its own apiservers,
 *     ClusterIP and load balancer (default 1)
 * @param service where the {@code kubernetes} Service listens: {@link ClusterIpListener#CLUSTER_IP}
 *     (default; root adds the ClusterIP to {@code lo}) or {@link ClusterIpListener#LOOPBACK}
 *     ({@code --service loopback}: 127.0.0.1 and an ephemeral port, nothing changed on the host;
 *     for tests)
 * @param out the directory for results and logs (default {@code target/failover-bench/<date-time>})
 * @param reportOnly results files to render a report from, without running anything
 */
record BenchOptions(
    int trials,
    Duration cap,
    Duration minObserve,
    Duration settle,
    Duration warmup,
    Duration shutdownDelay,
    List<Scenario> scenarios,
    List<Configuration> configurations,
    int lanes,
    int firstLane,
    ClusterIpListener service,
    Path out,
    List<Path> reportOnly) {

  static final String USAGE =
      """
      usage: FailoverBenchmark [--quick] [--trials N] [--cap SECONDS] [--observe SECONDS]
                               [--settle SECONDS] [--warmup SECONDS] [--shutdown-delay SECONDS]
                               [--scenarios blackhole,reset,graceful]
                               [--configurations ID,...] [--lanes N] [--first-lane N (1..201)]
                               [--service cluster-ip|loopback] [--out DIR]
             FailoverBenchmark --report RESULTS.tsv...
      configurations: %s
      """
          .formatted(
              String.join(", ", Configuration.all().stream().map(Configuration::id).toList()));

  /**
   * Reads the command line.
   *
   * @throws IllegalArgumentException naming the option and the value that are wrong
   */
  static BenchOptions parse(String... args) {
    int trials = 20;
    Duration cap = Duration.ofSeconds(120);
    boolean quick = false;
    Integer explicitTrials = null;
    Duration explicitCap = null;
    Duration minObserve = Duration.ofSeconds(10);
    Duration settle = Duration.ofSeconds(5);
    Duration warmup = Duration.ofSeconds(3);
    Duration shutdownDelay = Duration.ofSeconds(5);
    List<Scenario> scenarios = List.of(Scenario.values());
    List<Configuration> configurations = Configuration.all();
    int lanes = 1;
    int firstLane = 0;
    ClusterIpListener service = ClusterIpListener.CLUSTER_IP;
    Path out = null;
    List<Path> report = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      switch (option) {
        case "--quick" -> quick = true;
        case "--trials" -> explicitTrials = positiveInt(option, value(args, ++i, option));
        case "--cap" -> explicitCap = seconds(option, value(args, ++i, option));
        case "--observe" -> minObserve = seconds(option, value(args, ++i, option));
        case "--settle" -> settle = seconds(option, value(args, ++i, option));
        case "--warmup" -> warmup = seconds(option, value(args, ++i, option));
        case "--shutdown-delay" -> shutdownDelay = seconds(option, value(args, ++i, option));
        case "--scenarios" ->
            scenarios =
                Arrays.stream(value(args, ++i, option).split(","))
                    .map(String::strip)
                    .map(Scenario::byId)
                    .distinct()
                    .toList();
        case "--configurations" ->
            configurations =
                Arrays.stream(value(args, ++i, option).split(","))
                    .map(String::strip)
                    .map(Configuration::byId)
                    .distinct()
                    .toList();
        case "--lanes" -> {
          lanes = positiveInt(option, value(args, ++i, option));
          if (lanes > 8) {
            throw new IllegalArgumentException("--lanes must be at most 8, was " + lanes);
          }
        }
        case "--first-lane" -> {
          // Numbered from 1: another benchmark JVM running at the same time takes other lanes
          // (their ClusterIPs).
          firstLane = positiveInt(option, value(args, ++i, option)) - 1;
          if (firstLane > 200) {
            throw new IllegalArgumentException(
                "--first-lane must be between 1 and 201, was " + (firstLane + 1));
          }
        }
        case "--service" ->
            service =
                switch (value(args, ++i, option)) {
                  case "cluster-ip" -> ClusterIpListener.CLUSTER_IP;
                  case "loopback" -> ClusterIpListener.LOOPBACK;
                  default ->
                      throw new IllegalArgumentException(
                          "--service must be cluster-ip or loopback, was '" + args[i] + "'");
                };
        case "--out" -> out = Path.of(value(args, ++i, option));
        case "--report" -> {
          while (i + 1 < args.length && !args[i + 1].startsWith("--")) {
            report.add(Path.of(args[++i]));
          }
          if (report.isEmpty()) {
            throw new IllegalArgumentException("--report needs at least one results file");
          }
        }
        default -> throw new IllegalArgumentException("unknown option '" + option + "'");
      }
    }
    if (quick) {
      trials = 3;
      cap = Duration.ofSeconds(30);
    }
    if (explicitTrials != null) {
      trials = explicitTrials;
    }
    if (explicitCap != null) {
      cap = explicitCap;
    }
    if (minObserve.compareTo(cap) > 0) {
      throw new IllegalArgumentException(
          "--observe ("
              + minObserve.toSeconds()
              + " s) must not exceed --cap ("
              + cap.toSeconds()
              + " s)");
    }
    if (out == null) {
      out =
          Path.of(
              "target",
              "failover-bench",
              LocalDateTime.now()
                  .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)));
    }
    return new BenchOptions(
        trials,
        cap,
        minObserve,
        settle,
        warmup,
        shutdownDelay,
        scenarios,
        configurations,
        lanes,
        firstLane,
        service,
        out,
        List.copyOf(report));
  }

  private static String value(String[] args, int index, String option) {
    if (index >= args.length || args[index].startsWith("--")) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[index];
  }

  private static int positiveInt(String option, String text) {
    try {
      int n = Integer.parseInt(text);
      if (n < 1) {
        throw new IllegalArgumentException(option + " must be at least 1, was " + text);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be a whole number, was '" + text + "'", e);
    }
  }

  private static Duration seconds(String option, String text) {
    try {
      double s = Double.parseDouble(text);
      if (!(s > 0) || s > 3600) {
        throw new IllegalArgumentException(
            option + " must be between 0 and 3600 seconds (exclusive of 0), was " + text);
      }
      return Duration.ofMillis(Math.round(s * 1000));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          option + " must be a number of seconds, was '" + text + "'", e);
    }
  }
}
