package dev.lifeline.bench.dnscheck;

import dev.lifeline.dnscheck.Transport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The checker's CPU with many targets: every DNS pod of the cluster and the Service, probed every
 * interval with the default checks over UDP and TCP, by a checker in a JVM of its own ({@link
 * CheckerProcess}) that runs nothing else, so that its process CPU time is the checker's alone: the
 * fake control plane, the Service relay and the DNS servers run in this JVM and other processes.
 * That JVM runs as the deployment's does: {@code -XX:+UseSerialGC} and a heap of 75 % of the 256
 * MiB memory limit.
 *
 * <p>The checker's JVM reports its own numbers ({@code getProcessCpuTime}, per-thread CPU,
 * allocation); this side reads the same process's CPU from {@code /proc/PID/stat} over the same
 * stretch, as a check on the first.
 */
final class CpuScenario {
  /** The checker's JVM options: those of {@code deploy/dnscheck/deployment.yaml}. */
  static final List<String> JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xmx192m");

  /**
   * One measurement.
   *
   * @param interval the probe interval
   * @param values what the checker's JVM reported ({@code processCpuNanos}, ...)
   * @param outsideCpuNanos the same process's CPU time read from {@code /proc}, -1 if unreadable
   */
  record Measurement(Duration interval, Map<String, Long> values, long outsideCpuNanos) {
    long get(String key) {
      Long v = values.get(key);
      if (v == null) {
        throw new IllegalStateException("the checker's JVM did not report " + key);
      }
      return v;
    }

    /** A share of one core over the measured wall time, in percent. */
    double percent(String cpuKey) {
      return 100.0 * get(cpuKey) / get("wallNanos");
    }
  }

  /** Every measurement, the target count and how long the scenario took. */
  record Result(List<Measurement> measurements, int targets, Duration wall) {
    String table(double targetPercent) {
      StringBuilder sb = new StringBuilder();
      sb.append(
          "| interval | targets (healthy) | probes/s | failed probes (failing verdicts) | checker"
              + " JVM CPU, % of one core (in the kernel) | from /proc | prober thread (in the kernel)"
              + " | loop thread | other checker threads | other Java threads | JVM (GC, JIT, …) |"
              + " allocation | GCs | heap after full GC | RSS | target |\n");
      sb.append(
          "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
              + " ---: | ---: | ---: | --- |\n");
      for (Measurement m : measurements) {
        double seconds = m.get("wallNanos") / 1e9;
        double cpu = m.percent("processCpuNanos");
        sb.append(
            String.format(
                Locale.ROOT,
                "| %s | %d (%d) | %.0f | %d (%d) | %.2f %% (%.2f %%) | %s | %.2f %% (%.2f %%) | %.2f"
                    + " %% | %.2f %% | %.2f %%"
                    + " | %.2f %% | %.1f MB/s | %d (%d ms) | %.1f MB | %.0f MB | %s |\n",
                BenchOptions.text(m.interval()),
                m.get("targets"),
                m.get("healthy"),
                m.get("probes") / seconds,
                m.get("failedProbes"),
                m.get("failingVerdicts"),
                cpu,
                m.percent("processSystemNanos"),
                m.outsideCpuNanos() < 0
                    ? "–"
                    : String.format(
                        Locale.ROOT, "%.2f %%", 100.0 * m.outsideCpuNanos() / m.get("wallNanos")),
                m.percent("proberCpuNanos"),
                m.percent("proberSystemNanos"),
                m.percent("loopCpuNanos"),
                m.percent("checkerOtherCpuNanos"),
                m.percent("javaOtherCpuNanos"),
                m.percent("jvmCpuNanos"),
                m.get("allocatedBytes") / seconds / 1e6,
                m.get("gcCount"),
                m.get("gcMillis"),
                m.get("heapAfterGcBytes") / 1e6,
                m.get("rssBytes") / 1e6,
                (cpu < targetPercent ? "met" : "MISSED")
                    + String.format(Locale.ROOT, " (< %.0f %%)", targetPercent)));
      }
      return sb.toString();
    }
  }

  private final List<Duration> intervals;
  private final Duration warmup;
  private final Duration duration;
  private final Set<Transport> transports;
  private final Optional<Path> recordings;
  private final PrintStream log;

  /**
   * @param intervals one checker JVM per interval
   * @param warmup run before measuring
   * @param duration measured
   * @param transports what the checker probes over (both by default)
   * @param recordings where each checker JVM writes a Flight Recorder profile, if anywhere
   * @param log progress lines
   */
  CpuScenario(
      List<Duration> intervals,
      Duration warmup,
      Duration duration,
      Set<Transport> transports,
      Optional<Path> recordings,
      PrintStream log) {
    this.intervals = List.copyOf(intervals);
    this.warmup = warmup;
    this.duration = duration;
    this.transports = Set.copyOf(transports);
    this.recordings = recordings;
    this.log = log;
  }

  /** Measures a checker of every pod of {@code c} and its Service, one JVM per interval. */
  Result run(BenchCluster c) {
    long started = System.nanoTime();
    int targets = c.podNames().size() + 1;
    List<Measurement> out = new ArrayList<>();
    for (Duration interval : intervals) {
      Measurement m = measure(c, targets, interval);
      log.printf(
          Locale.ROOT,
          "  cpu: interval %s, %d targets: %.2f %% of one core (%.2f %% from /proc)%n",
          BenchOptions.text(interval),
          m.get("targets"),
          m.percent("processCpuNanos"),
          100.0 * m.outsideCpuNanos() / m.get("wallNanos"));
      out.add(m);
    }
    return new Result(out, targets, Duration.ofNanos(System.nanoTime() - started));
  }

  private Measurement measure(BenchCluster c, int targets, Duration interval) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_OPTIONS);
    recordings.ifPresent(
        dir -> {
          Path file = dir.resolve("checker-" + BenchOptions.text(interval) + ".jfr");
          command.add("-XX:StartFlightRecording=settings=profile,filename=" + file);
          log.println("  cpu: recording the checker's JVM to " + file);
        });
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            CheckerProcess.class.getName(),
            c.kubeconfig().toString(),
            Integer.toString(targets),
            BenchOptions.text(interval),
            BenchOptions.text(warmup),
            BenchOptions.text(duration),
            BenchOptions.transportList(transports)));
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the checker's JVM", e);
    }
    StringBuilder output = new StringBuilder();
    Map<String, Long> values = null;
    long outside0 = -1;
    long outside1 = -1;
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (line.equals("MEASURE start")) {
          outside0 = processCpuNanos(process.pid());
        } else if (line.equals("MEASURE end")) {
          outside1 = processCpuNanos(process.pid());
        } else if (line.startsWith("RESULT ")) {
          values = parse(line.substring("RESULT ".length()));
        } else {
          output.append(line).append('\n');
        }
      }
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("the checker's JVM did not exit:\n" + output);
      }
    } catch (IOException e) {
      process.destroyForcibly();
      throw new UncheckedIOException("reading the checker's JVM failed", e);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    if (values == null || process.exitValue() != 0) {
      throw new IllegalStateException(
          "the checker's JVM failed (exit " + process.exitValue() + "):\n" + output);
    }
    long outside = outside0 >= 0 && outside1 >= 0 ? outside1 - outside0 : -1;
    return new Measurement(interval, values, outside);
  }

  /** {@code key=value key=value} with whole-number values. */
  static Map<String, Long> parse(String result) {
    Map<String, Long> out = new HashMap<>();
    for (String pair : result.strip().split("\\s+")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("not key=value: '" + pair + "' in '" + result + "'");
      }
      out.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
    }
    return out;
  }

  /**
   * A process's user and system CPU time from {@code /proc/PID/stat} (fields 14 and 15, in clock
   * ticks of 10 ms, the Linux {@code USER_HZ} on every architecture we run), or -1.
   */
  static long processCpuNanos(long pid) {
    long[] t = processTimes(pid);
    return t[0] < 0 ? -1 : t[0] + t[1];
  }

  /**
   * {@code {user, system}} CPU nanoseconds of a process from {@code /proc}, or {@code {-1, -1}}.
   */
  static long[] processTimes(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // f[0] is field 3 (state), so utime (14) is f[11] and stime (15) f[12].
      return new long[] {Long.parseLong(f[11]) * 10_000_000L, Long.parseLong(f[12]) * 10_000_000L};
    } catch (IOException | RuntimeException e) {
      return new long[] {-1, -1};
    }
  }
}
