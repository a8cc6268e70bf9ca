package dev.lifeline.bench.dnscheck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The machine a run happened on, as the results must state it: CPU model, cores, memory, kernel,
 * JDK, and the load average (other builds share the machine).
 *
 * @param cpu the CPU model from {@code /proc/cpuinfo}
 * @param cores processors available to the JVM
 * @param memoryBytes total memory from {@code /proc/meminfo}
 * @param kernel the kernel release
 * @param jdk the JDK's vendor version
 */
record Machine(String cpu, int cores, long memoryBytes, String kernel, String jdk) {

  static Machine describe() {
    String cpu = "unknown CPU";
    long memory = -1;
    for (String line : lines("/proc/cpuinfo")) {
      if (line.startsWith("model name")) {
        cpu = line.substring(line.indexOf(':') + 1).strip();
        break;
      }
    }
    for (String line : lines("/proc/meminfo")) {
      if (line.startsWith("MemTotal:")) {
        memory = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    String vendorVersion = System.getProperty("java.vendor.version");
    String jdk =
        (vendorVersion != null ? vendorVersion : System.getProperty("java.vm.vendor"))
            + " (Java "
            + System.getProperty("java.runtime.version")
            + ")";
    return new Machine(
        cpu,
        Runtime.getRuntime().availableProcessors(),
        memory,
        System.getProperty("os.name") + " " + System.getProperty("os.version"),
        jdk);
  }

  /** The 1, 5 and 15 minute load averages, or {@code unknown}. */
  static String loadAverage() {
    List<String> l = lines("/proc/loadavg");
    if (l.isEmpty()) {
      return "unknown";
    }
    String[] f = l.get(0).split(" ");
    return f.length < 3 ? "unknown" : f[0] + " " + f[1] + " " + f[2];
  }

  String line() {
    return String.format(
        Locale.ROOT, "%s, %d cores, %.1f GB, %s, %s", cpu, cores, memoryBytes / 1e9, kernel, jdk);
  }

  private static List<String> lines(String file) {
    try {
      return Files.readAllLines(Path.of(file));
    } catch (IOException e) {
      return List.of();
    }
  }
}
