package dev.lifeline.bench.dnscheck;

import dev.lifeline.dnscheck.Transport;
import dev.lifeline.testkit.dns.DnsServerKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the DNS checker benchmark runs, from its command line. Immutable; {@link #parse} validates
 * every value and names the flag in its message.
 *
 * @param scenarios which scenarios run, in enum order
 * @param trials detection trials per fault kind
 * @param restartTrials trials per pod fault kind that wait for the restart and the replacement
 * @param lossDuration how long each packet loss run lasts
 * @param lossRates the random loss rates, each in (0, 1), applied per packet and direction
 * @param cpuTargets targets in the CPU run: the Service IP and {@code cpuTargets - 1} pods
 * @param cpuIntervals the probe intervals the CPU run measures, one checker JVM each
 * @param cpuWarmup how long the checker JVM runs before it is measured
 * @param cpuDuration how long it is measured
 * @param cpuTransports the transports the CPU run probes over (both, as by default, unless told
 *     otherwise to see what each costs)
 * @param seed the seed of the random fault phases
 * @param server the DNS server standing in for each CoreDNS pod
 * @param cpuRecordings where the CPU run's checker JVMs write a Flight Recorder profile, if
 *     anywhere (for finding where the CPU goes; the recording costs CPU of its own)
 * @param quick whether {@code --quick} chose the smoke-run defaults
 */
record BenchOptions(
    Set<Scenario> scenarios,
    int trials,
    int restartTrials,
    Duration lossDuration,
    List<Double> lossRates,
    int cpuTargets,
    List<Duration> cpuIntervals,
    Duration cpuWarmup,
    Duration cpuDuration,
    Set<Transport> cpuTransports,
    long seed,
    DnsServerKind server,
    Optional<Path> cpuRecordings,
    boolean quick) {

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)");

  /** The parts of the benchmark. */
  enum Scenario {
    DETECTION,
    RESTART,
    LOSS,
    CPU;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  static final String USAGE =
      """
      usage: DnsCheckBenchmark [--quick] [--scenarios detection,restart,loss,cpu] [--trials N]
                               [--restart-trials N] [--loss-duration 10m] [--loss-rates 5%,10%,20%]
                               [--cpu-targets 100] [--cpu-intervals 1s,500ms] [--cpu-warmup 30s]
                               [--cpu-duration 60s] [--cpu-transports udp,tcp]
                               [--cpu-recordings DIR] [--seed N]
                               [--server dnsmasq|unbound]
        --quick   a smoke run: 3 detection trials, 1 restart trial, 30 s of loss per rate,
                  10 s of CPU warm-up and 15 s of measurement (flags given as well win)
        --cpu-transports   probe over these only in the CPU run (default both, as the checker)
        --cpu-recordings DIR   the CPU run's checker JVMs record a Flight Recorder profile in DIR
                  (to find where the CPU goes; the recording itself costs some)
      Durations are 500ms, 30s or 10m.""";

  BenchOptions {
    scenarios = Set.copyOf(scenarios);
    cpuTransports = Set.copyOf(cpuTransports);
    lossRates = List.copyOf(lossRates);
    cpuIntervals = List.copyOf(cpuIntervals);
  }

  /**
   * Parses the command line.
   *
   * @throws IllegalArgumentException naming the flag and the value when one is wrong
   */
  static BenchOptions parse(String... args) {
    boolean quick = List.of(args).contains("--quick");
    Set<Scenario> scenarios = EnumSet.allOf(Scenario.class);
    int trials = quick ? 3 : 20;
    int restartTrials = quick ? 1 : 5;
    Duration lossDuration = quick ? Duration.ofSeconds(30) : Duration.ofMinutes(10);
    List<Double> lossRates = List.of(0.05, 0.10, 0.20);
    int cpuTargets = 100;
    List<Duration> cpuIntervals = List.of(Duration.ofSeconds(1), Duration.ofMillis(500));
    Duration cpuWarmup = quick ? Duration.ofSeconds(10) : Duration.ofSeconds(30);
    Duration cpuDuration = quick ? Duration.ofSeconds(15) : Duration.ofSeconds(60);
    Set<Transport> cpuTransports = EnumSet.allOf(Transport.class);
    long seed = System.nanoTime();
    DnsServerKind server = DnsServerKind.DNSMASQ;
    Optional<Path> cpuRecordings = Optional.empty();
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (flag.equals("--quick")) {
        continue;
      }
      if (!flag.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + flag + "'");
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      String value = args[++i];
      switch (flag) {
        case "--scenarios" -> scenarios = scenarios(value);
        case "--trials" -> trials = integer(flag, value, 1, 1000);
        case "--restart-trials" -> restartTrials = integer(flag, value, 0, 100);
        case "--loss-duration" ->
            lossDuration = duration(flag, value, Duration.ofSeconds(1), Duration.ofHours(24));
        case "--loss-rates" -> lossRates = rates(value);
        case "--cpu-targets" -> cpuTargets = integer(flag, value, 2, 240);
        case "--cpu-intervals" -> cpuIntervals = intervals(value);
        case "--cpu-warmup" ->
            cpuWarmup = duration(flag, value, Duration.ZERO, Duration.ofHours(1));
        case "--cpu-duration" ->
            cpuDuration = duration(flag, value, Duration.ofSeconds(1), Duration.ofHours(24));
        case "--seed" -> seed = seed(value);
        case "--server" -> server = server(value);
        case "--cpu-transports" -> cpuTransports = transports(value);
        case "--cpu-recordings" -> cpuRecordings = Optional.of(directory(flag, value));
        default -> throw new IllegalArgumentException("unknown flag " + flag);
      }
    }
    return new BenchOptions(
        scenarios,
        trials,
        restartTrials,
        lossDuration,
        lossRates,
        cpuTargets,
        cpuIntervals,
        cpuWarmup,
        cpuDuration,
        cpuTransports,
        seed,
        server,
        cpuRecordings,
        quick);
  }

  boolean runs(Scenario s) {
    return scenarios.contains(s);
  }

  /** The command line that repeats this run (the seed included). */
  String commandLine() {
    List<String> out = new ArrayList<>();
    out.add("--scenarios");
    out.add(String.join(",", scenarios.stream().sorted().map(Scenario::label).toList()));
    out.addAll(List.of("--trials", Integer.toString(trials)));
    out.addAll(List.of("--restart-trials", Integer.toString(restartTrials)));
    out.addAll(List.of("--loss-duration", text(lossDuration)));
    out.add("--loss-rates");
    out.add(String.join(",", lossRates.stream().map(BenchOptions::percent).toList()));
    out.addAll(List.of("--cpu-targets", Integer.toString(cpuTargets)));
    out.add("--cpu-intervals");
    out.add(String.join(",", cpuIntervals.stream().map(BenchOptions::text).toList()));
    out.addAll(List.of("--cpu-warmup", text(cpuWarmup), "--cpu-duration", text(cpuDuration)));
    out.addAll(List.of("--cpu-transports", transportList(cpuTransports)));
    out.addAll(List.of("--seed", Long.toString(seed)));
    out.addAll(List.of("--server", server.name().toLowerCase(Locale.ROOT)));
    cpuRecordings.ifPresent(d -> out.addAll(List.of("--cpu-recordings", d.toString())));
    return String.join(" ", out);
  }

  static String percent(double rate) {
    double p = rate * 100;
    return p == Math.rint(p)
        ? String.format(Locale.ROOT, "%d%%", (long) p)
        : String.format(Locale.ROOT, "%.2f%%", p);
  }

  /** {@code 500ms}, {@code 30s}, {@code 10m}: the largest unit that divides it. */
  static String text(Duration d) {
    long ms = d.toMillis();
    if (ms != 0 && ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms != 0 && ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }

  private static Set<Scenario> scenarios(String value) {
    Set<Scenario> out = EnumSet.noneOf(Scenario.class);
    for (String part : value.split(",")) {
      String p = part.strip().toLowerCase(Locale.ROOT);
      Scenario match = null;
      for (Scenario s : Scenario.values()) {
        if (s.label().equals(p)) {
          match = s;
        }
      }
      if (match == null) {
        throw new IllegalArgumentException(
            "--scenarios had '" + part + "'; use detection, restart, loss or cpu, comma-separated");
      }
      out.add(match);
    }
    return out;
  }

  private static int integer(String flag, String value, int min, int max) {
    int n;
    try {
      n = Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " was '" + value + "'; use a whole number", e);
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(
          flag + " was " + n + "; use " + min + " to " + max + " inclusive");
    }
    return n;
  }

  static Duration duration(String flag, String value, Duration min, Duration max) {
    Matcher m = DURATION.matcher(value.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          flag + " was '" + value + "'; use a duration such as 500ms, 30s or 10m");
    }
    long n = Long.parseLong(m.group(1));
    Duration d =
        switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          default -> Duration.ofMinutes(n);
        };
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          flag + " was " + value.strip() + "; use " + text(min) + " to " + text(max));
    }
    return d;
  }

  private static List<Double> rates(String value) {
    List<Double> out = new ArrayList<>();
    for (String part : value.split(",")) {
      String p = part.strip();
      double rate;
      try {
        rate =
            p.endsWith("%")
                ? Double.parseDouble(p.substring(0, p.length() - 1)) / 100
                : Double.parseDouble(p);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--loss-rates had '" + part + "'; use shares such as 5% or 0.05, comma-separated", e);
      }
      if (!(rate > 0 && rate < 1)) {
        throw new IllegalArgumentException(
            "--loss-rates had '" + part + "'; a rate must be above 0% and below 100%");
      }
      out.add(rate);
    }
    return out;
  }

  private static List<Duration> intervals(String value) {
    List<Duration> out = new ArrayList<>();
    for (String part : value.split(",")) {
      out.add(duration("--cpu-intervals", part, Duration.ofMillis(50), Duration.ofMinutes(10)));
    }
    return out;
  }

  private static long seed(String value) {
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--seed was '" + value + "'; use a whole number", e);
    }
  }

  /** {@code udp,tcp}: the transports in enum order. */
  static String transportList(Set<Transport> transports) {
    return String.join(",", transports.stream().sorted().map(Transport::label).toList());
  }

  private static Set<Transport> transports(String value) {
    Set<Transport> out = EnumSet.noneOf(Transport.class);
    for (String part : value.split(",")) {
      try {
        out.add(Transport.parse(part));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "--cpu-transports had '" + part + "'; use udp, tcp or udp,tcp", e);
      }
    }
    return out;
  }

  private static Path directory(String flag, String value) {
    Path p = Path.of(value.strip());
    if (!Files.isDirectory(p) || !Files.isWritable(p)) {
      throw new IllegalArgumentException(
          flag + " was '" + value + "', which is not a writable directory; create it first");
    }
    return p.toAbsolutePath();
  }

  private static DnsServerKind server(String value) {
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "dnsmasq" -> DnsServerKind.DNSMASQ;
      case "unbound" -> DnsServerKind.UNBOUND;
      default ->
          throw new IllegalArgumentException(
              "--server was '" + value + "'; use dnsmasq or unbound");
    };
  }
}
