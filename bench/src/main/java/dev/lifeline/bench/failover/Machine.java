package dev.lifeline.bench.failover;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** What the benchmark ran on, read from {@code /proc} and the JVM. */
final class Machine {
  private Machine() {}

  /** CPU model, cores, memory, kernel and JDK, one line. */
  static String describe() {
    String cpu =
        lines("/proc/cpuinfo").stream()
            .filter(l -> l.startsWith("model name"))
            .map(l -> l.substring(l.indexOf(':') + 1).strip())
            .findFirst()
            .orElse("unknown CPU");
    String memory =
        lines("/proc/meminfo").stream()
            .filter(l -> l.startsWith("MemTotal:"))
            .map(l -> l.replaceAll("\\D+", ""))
            .map(kb -> String.format(Locale.ROOT, "%.0f GB", Long.parseLong(kb) / 1024.0 / 1024.0))
            .findFirst()
            .orElse("unknown memory");
    String kernel =
        lines("/proc/sys/kernel/osrelease").stream()
            .findFirst()
            .orElse(System.getProperty("os.version"));
    return String.format(
        Locale.ROOT,
        "%s, %d cores, %s, Linux %s, %s %s",
        cpu,
        Runtime.getRuntime().availableProcessors(),
        memory,
        kernel,
        System.getProperty("java.vm.vendor"),
        System.getProperty("java.runtime.version"));
  }

  /** The 1-minute load average now, or NaN when unknown. */
  static double loadAverage() {
    return lines("/proc/loadavg").stream()
        .findFirst()
        .map(l -> Double.parseDouble(l.split(" ")[0]))
        .orElse(Double.NaN);
  }

  private static List<String> lines(String file) {
    try {
      return Files.readAllLines(Path.of(file));
    } catch (IOException | RuntimeException unreadable) {
      return List.of();
    }
  }
}
