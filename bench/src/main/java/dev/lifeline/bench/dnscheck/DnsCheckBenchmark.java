package dev.lifeline.bench.dnscheck;

import dev.lifeline.bench.dnscheck.BenchOptions.Scenario;
import dev.lifeline.dnscheck.DnsCheckConfig;
import dev.lifeline.dnscheck.Transport;
import dev.lifeline.testkit.dns.Executables;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The DNS checker benchmark: detection time from fault to verdict for each fault kind, the time to
 * a restart and a healthy replacement, false verdicts and restarts under random packet loss, and
 * the CPU of checking many targets; against the fake control plane and a real dnsmasq (or unbound)
 * per CoreDNS pod, through the checker's public API at its default settings. Prints progress, then
 * the results as Markdown for {@code docs/benchmarks.md}.
 *
 * <p>Run it from the repository root, as root (iptables for the UDP, Service and loss faults; port
 * 53), with {@code dnsmasq-base}, {@code unbound} and {@code iptables} installed:
 *
 * <pre>
 * export JAVA_HOME=$(bin/find-jdk)
 * ./mvnw -B -ntp -pl bench -am package -DskipTests
 * $JAVA_HOME/bin/java -cp bench/target/classes:$(cat bench/target/classpath.txt) \
 *     dev.lifeline.bench.dnscheck.DnsCheckBenchmark            # about 55 minutes
 * $JAVA_HOME/bin/java -cp ... dev.lifeline.bench.dnscheck.DnsCheckBenchmark --quick   # about 8
 * </pre>
 *
 * <p>Defaults: 20 detection trials per fault kind, 5 restart trials per pod fault kind, 10 minutes
 * of loss at each of 5 %, 10 % and 20 %, and 100 targets (99 pods and the Service) measured for 60
 * s after 30 s of warm-up at intervals of 1 s and 500 ms (the default). {@code --help} lists the
 * flags. Without root, the faults that need iptables and the loss runs are left out, and the report
 * says so.
 *
 * <p>The checker runs with every default but one: metrics are served on an ephemeral loopback port
 * instead of 9753, so that runs never collide.
 */
public final class DnsCheckBenchmark {
  /** The targets. */
  static final Duration DETECTION_TARGET = Duration.ofSeconds(3);

  static final double CPU_TARGET_PERCENT = 5;

  private DnsCheckBenchmark() {}

  public static void main(String[] args) {
    if (List.of(args).contains("--help")) {
      System.out.println(BenchOptions.USAGE);
      return;
    }
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("dnscheck benchmark: " + e.getMessage());
      System.err.println(BenchOptions.USAGE);
      System.exit(2);
      return;
    }
    // Everything measured comes through the listener; the checker's own log lines (a warning per
    // failing verdict, by design) would bury the progress lines.
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.OFF);
    try {
      System.out.println(run(options, System.out));
    } catch (RuntimeException e) {
      System.err.println("dnscheck benchmark failed: " + e.getMessage());
      System.exit(1);
    }
  }

  /** The checker's settings in every scenario: the defaults, metrics on an ephemeral port. */
  static DnsCheckConfig.Builder defaults() {
    return DnsCheckConfig.builder(Map.of())
        .metricsAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  /** Runs what {@code o} asks for, printing progress to {@code log}; returns the report. */
  static String run(BenchOptions o, PrintStream log) {
    Supplier<DnsCheckConfig.Builder> settings = DnsCheckBenchmark::defaults;
    long started = System.nanoTime();
    boolean root = Executables.isRoot();
    Machine machine = Machine.describe();
    String loadBefore = Machine.loadAverage();
    StringBuilder report = new StringBuilder();
    log.println("dnscheck benchmark: " + machine.line() + "; load average " + loadBefore);
    log.println("options: " + o.commandLine() + (o.quick() ? " (--quick)" : ""));
    if (!root) {
      log.println(
          "not root: the UDP and Service faults and the loss runs need iptables and are left out");
    }
    SplittableRandom random = new SplittableRandom(o.seed());

    report.append("Checker settings (the defaults): ").append(describe(settings.get().build()));
    report.append("\n\n");
    if (o.runs(Scenario.DETECTION)) {
      log.println("detection: " + o.trials() + " trials per fault kind");
      DetectionScenario.Result r;
      try (BenchCluster c = BenchCluster.start(3, o.server())) {
        r =
            new DetectionScenario(settings, FaultKind.available(root), o.trials(), random, log)
                .run(c);
      }
      report
          .append("#### Detection: from the fault to the failing verdict\n\n")
          .append(r.table(DETECTION_TARGET))
          .append('\n')
          .append(r.phases())
          .append('\n');
      if (root) {
        report.append(r.serviceAlerts()).append('\n');
      }
      report.append(
          String.format(
              Locale.ROOT,
              "Restarts during the detection trials: %d. Scenario time: %s.%n%n",
              r.restarts(),
              minutes(r.wall())));
    }
    if (o.runs(Scenario.RESTART) && o.restartTrials() > 0) {
      log.println("restart: " + o.restartTrials() + " trials per pod fault kind");
      RestartScenario.Result r;
      try (BenchCluster c = BenchCluster.start(3, o.server())) {
        r =
            new RestartScenario(
                    settings, FaultKind.availablePodFaults(root), o.restartTrials(), random, log)
                .run(c);
      }
      report
          .append("#### From the fault to the restart and a healthy replacement\n\n")
          .append(r.table())
          .append(String.format(Locale.ROOT, "%nScenario time: %s.%n%n", minutes(r.wall())));
    }
    if (o.runs(Scenario.LOSS) && root) {
      log.println("loss: " + BenchOptions.text(o.lossDuration()) + " at each rate");
      LossScenario.Result r;
      try (BenchCluster c = BenchCluster.start(3, o.server())) {
        r = new LossScenario(settings, o.lossRates(), o.lossDuration(), log).run(c);
      }
      report
          .append("#### Random packet loss: verdicts and restarts\n\n")
          .append(r.outcomeTable())
          .append("\n#### Random packet loss: injected and seen\n\n")
          .append(r.lossTable())
          .append("\nProbe outcomes:\n\n")
          .append(r.outcomes());
      for (LossScenario.Run run : r.runs()) {
        for (String e : run.evidence()) {
          report
              .append("\nFirst failing verdicts at ")
              .append(BenchOptions.percent(run.rate()))
              .append(": ")
              .append(e);
        }
      }
      report.append(String.format(Locale.ROOT, "%n%nScenario time: %s.%n%n", minutes(r.wall())));
    } else if (o.runs(Scenario.LOSS)) {
      report.append("Random packet loss: not run (needs root for iptables).\n\n");
    }
    if (o.runs(Scenario.CPU)) {
      log.println("cpu: " + o.cpuTargets() + " targets");
      CpuScenario.Result r;
      try (BenchCluster c = BenchCluster.start(o.cpuTargets() - 1, o.server())) {
        r =
            new CpuScenario(
                    o.cpuIntervals(),
                    o.cpuWarmup(),
                    o.cpuDuration(),
                    o.cpuTransports(),
                    o.cpuRecordings(),
                    log)
                .run(c);
      }
      report
          .append(
              String.format(
                  Locale.ROOT,
                  "#### CPU: %d targets (%d pods and the Service) over %s, %s warm-up, %s"
                      + " measured%n%n",
                  r.targets(),
                  r.targets() - 1,
                  BenchOptions.transportList(o.cpuTransports()),
                  BenchOptions.text(o.cpuWarmup()),
                  BenchOptions.text(o.cpuDuration())))
          .append(r.table(CPU_TARGET_PERCENT))
          .append(
              String.format(
                  Locale.ROOT,
                  "%nThe checker's JVM: %s. Scenario time: %s.%n%n",
                  String.join(" ", CpuScenario.JVM_OPTIONS),
                  minutes(r.wall())));
    }
    report.append(
        String.format(
            Locale.ROOT,
            "Machine: %s. Load average before: %s, after: %s. Total run time: %s. Options: %s%n",
            machine.line(),
            loadBefore,
            Machine.loadAverage(),
            minutes(Duration.ofNanos(System.nanoTime() - started)),
            o.commandLine()));
    return report.toString();
  }

  /** The settings that matter here, one line. */
  static String describe(DnsCheckConfig c) {
    List<String> checks = new java.util.ArrayList<>();
    if (c.kubernetesCheck()) {
      checks.add("kubernetes");
    }
    if (c.nxdomainCheck()) {
      checks.add("nxdomain");
    }
    c.checks().forEach(x -> checks.add(x.name()));
    return String.format(
        Locale.ROOT,
        "interval %s, timeout %s, retries %d, transports %s, checks %s; failing at %d failures in"
            + " a row or %.0f %% of a window of %d (at least %d results); restart-delay %s,"
            + " pod-cooldown %s, max-restarts %d per %s, backoff %s to %s, max-failing-share %.0f"
            + " %%, leader election %s, dry run %s. Worst case by the checker's arithmetic: %d ms"
            + " for silence, %d ms for a wrong answer.",
        BenchOptions.text(c.interval()),
        BenchOptions.text(c.timeout()),
        c.retries(),
        String.join(",", c.transports().stream().map(Transport::label).toList()),
        String.join(" + ", checks),
        c.consecutiveFailures(),
        100 * c.failureRatio(),
        c.windowSize(),
        c.minSamples(),
        BenchOptions.text(c.restartDelay()),
        BenchOptions.text(c.podCooldown()),
        c.maxRestarts(),
        BenchOptions.text(c.restartPeriod()),
        BenchOptions.text(c.backoffInitial()),
        BenchOptions.text(c.backoffMax()),
        100 * c.maxFailingShare(),
        c.leaderElect() ? "on" : "off",
        c.dryRun() ? "on" : "off",
        c.worstCaseSilentDetection().toMillis(),
        c.worstCaseWrongAnswerDetection().toMillis());
  }

  static String minutes(Duration d) {
    long s = d.toSeconds();
    return s >= 60
        ? String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60)
        : String.format(Locale.ROOT, "%d s", s);
  }
}
