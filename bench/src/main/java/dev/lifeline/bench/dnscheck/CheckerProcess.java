package dev.lifeline.bench.dnscheck;

import dev.lifeline.bench.HeapMeter;
import dev.lifeline.client.KubeClient;
import dev.lifeline.client.KubeConfig;
import dev.lifeline.dnscheck.DnsCheck;
import dev.lifeline.dnscheck.DnsCheckConfig;
import dev.lifeline.dnscheck.DnsCheckReport;
import dev.lifeline.dnscheck.Transport;
import dev.lifeline.dnscheck.Verdict;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The JVM that runs only the checker, for the CPU measurement (started by {@link CpuScenario}; its
 * arguments are the kubeconfig, the number of targets, the interval, the warm-up and the measured
 * time). It starts the checker at its defaults but the interval, waits until every target is judged
 * healthy, runs the warm-up, then measures its own process CPU time over the measured time, the CPU
 * time of each of its Java threads (grouped), the bytes allocated, the collections, and at the end
 * the heap left after full collections and the resident set.
 *
 * <p>Prints {@code MEASURE start} and {@code MEASURE end} around the measured time (so that the
 * parent can read this process's CPU from outside as well) and one {@code RESULT key=value ...}
 * line; exits 1 with a message on failure.
 */
public final class CheckerProcess {
  private CheckerProcess() {}

  /** Thread groups, by name. */
  private static String group(String thread) {
    if (thread.startsWith("lifeline-dnscheck-prober")) {
      return "prober";
    }
    if (thread.startsWith("lifeline-dnscheck-loop")) {
      return "loop";
    }
    if (thread.startsWith("lifeline-dnscheck-")) {
      return "checkerOther";
    }
    return "javaOther";
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 6) {
      System.err.println(
          "usage: CheckerProcess KUBECONFIG TARGETS INTERVAL WARMUP DURATION TRANSPORTS"
              + " (durations: 500ms, 30s, 1m; transports: udp,tcp)");
      System.exit(2);
    }
    Path kubeconfig = Path.of(args[0]);
    int targets = Integer.parseInt(args[1]);
    Duration interval =
        BenchOptions.duration("interval", args[2], Duration.ofMillis(50), Duration.ofMinutes(10));
    Duration warmup = BenchOptions.duration("warmup", args[3], Duration.ZERO, Duration.ofHours(1));
    Duration measured =
        BenchOptions.duration("duration", args[4], Duration.ofSeconds(1), Duration.ofHours(24));
    Set<Transport> transports = EnumSet.noneOf(Transport.class);
    for (String t : args[5].split(",")) {
      transports.add(Transport.parse(t));
    }
    try {
      System.out.println(
          "RESULT " + format(measure(kubeconfig, targets, interval, transports, warmup, measured)));
    } catch (RuntimeException e) {
      System.out.println("the checker's JVM failed: " + e.getMessage());
      System.exit(1);
    }
  }

  private static Map<String, Object> measure(
      Path kubeconfig,
      int targets,
      Duration interval,
      Set<Transport> transports,
      Duration warmup,
      Duration measured)
      throws IOException {
    DnsCheckConfig.Builder settings =
        DnsCheckConfig.builder(Map.of())
            .interval(interval)
            .metricsAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    if (!transports.equals(EnumSet.allOf(Transport.class))) {
      settings.transports(transports);
    }
    DnsCheckConfig config = settings.build();
    CheckerRecorder rec = new CheckerRecorder(System::nanoTime);
    Map<String, Object> out = new LinkedHashMap<>();
    try (KubeClient client =
            KubeClient.builder(
                    KubeConfig.loader()
                        .environment(Map.of())
                        .homeDirectory(kubeconfig.getParent())
                        .kubeconfig(kubeconfig)
                        .load())
                .build();
        DnsCheck check = DnsCheck.start(config, client, rec)) {
      Await.until(
          () -> healthy(check.report()) == targets,
          Duration.ofSeconds(60).plus(interval.multipliedBy(config.minSamples() * 2L)),
          () ->
              targets
                  + " targets judged healthy; the checker reports:\n"
                  + check.report().toTable());
      System.out.println("READY");
      Await.pass(warmup);

      var os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      var probeCounts0 = rec.probeCounts();
      long failing0 = rec.verdictsSince(0).size();
      System.out.println("MEASURE start");
      long wall0 = System.nanoTime();
      long cpu0 = os.getProcessCpuTime();
      long[] times0 = CpuScenario.processTimes(ProcessHandle.current().pid());
      Map<Long, Long> threadCpu0 = threadCpu(threads);
      Map<Long, Long> threadUser0 = threadUser(threads);
      long alloc0 = threads.getTotalThreadAllocatedBytes();
      long[] gc0 = gc();

      Await.pass(measured);

      long alloc1 = threads.getTotalThreadAllocatedBytes();
      long[] gc1 = gc();
      Map<Long, Long> threadCpu1 = threadCpu(threads);
      Map<Long, Long> threadUser1 = threadUser(threads);
      long[] times1 = CpuScenario.processTimes(ProcessHandle.current().pid());
      long cpu1 = os.getProcessCpuTime();
      long wall1 = System.nanoTime();
      System.out.println("MEASURE end");

      Map<String, Long> groups = new LinkedHashMap<>();
      for (String g : new String[] {"prober", "loop", "checkerOther", "javaOther"}) {
        groups.put(g, 0L);
      }
      long javaThreads = 0;
      long proberUser = 0;
      for (ThreadInfo info : threads.getThreadInfo(toArray(threadCpu1.keySet()))) {
        if (info == null) {
          continue;
        }
        long id = info.getThreadId();
        long delta = threadCpu1.get(id) - threadCpu0.getOrDefault(id, 0L);
        groups.merge(group(info.getThreadName()), delta, Long::sum);
        javaThreads += delta;
        if (group(info.getThreadName()).equals("prober")) {
          proberUser += threadUser1.getOrDefault(id, 0L) - threadUser0.getOrDefault(id, 0L);
        }
      }
      var probes = rec.probeCountsSince(probeCounts0);
      long probeTotal = probes.values().stream().mapToLong(Long::longValue).sum();
      long probeFailed =
          probes.entrySet().stream()
              .filter(e -> !e.getKey().outcome().equals("ok"))
              .mapToLong(Map.Entry::getValue)
              .sum();
      DnsCheckReport report = check.report();
      out.put("targets", report.targets().size());
      out.put("healthy", healthy(report));
      out.put("intervalMs", interval.toMillis());
      out.put("wallNanos", wall1 - wall0);
      out.put("processCpuNanos", cpu1 - cpu0);
      out.put("processSystemNanos", times0[1] < 0 ? -1 : times1[1] - times0[1]);
      groups.forEach((g, n) -> out.put(g + "CpuNanos", n));
      out.put("proberSystemNanos", groups.get("prober") - proberUser);
      out.put("jvmCpuNanos", (cpu1 - cpu0) - javaThreads);
      out.put("allocatedBytes", alloc1 - alloc0);
      out.put("gcCount", gc1[0] - gc0[0]);
      out.put("gcMillis", gc1[1] - gc0[1]);
      out.put("probes", probeTotal);
      out.put("failedProbes", probeFailed);
      out.put(
          "failingVerdicts",
          rec.verdictsSince(0).stream()
              .skip(failing0)
              .filter(t -> t.event().current() == Verdict.FAILING)
              .count());
    }
    out.put("heapAfterGcBytes", HeapMeter.usedAfterFullGc());
    out.put("rssBytes", residentSetBytes());
    return out;
  }

  private static int healthy(DnsCheckReport r) {
    return (int) r.targets().stream().filter(t -> t.verdict() == Verdict.HEALTHY).count();
  }

  private static Map<Long, Long> threadCpu(java.lang.management.ThreadMXBean threads) {
    Map<Long, Long> out = new HashMap<>();
    for (long id : threads.getAllThreadIds()) {
      long cpu = threads.getThreadCpuTime(id);
      if (cpu >= 0) {
        out.put(id, cpu);
      }
    }
    return out;
  }

  private static Map<Long, Long> threadUser(java.lang.management.ThreadMXBean threads) {
    Map<Long, Long> out = new HashMap<>();
    for (long id : threads.getAllThreadIds()) {
      long user = threads.getThreadUserTime(id);
      if (user >= 0) {
        out.put(id, user);
      }
    }
    return out;
  }

  private static long[] toArray(java.util.Set<Long> ids) {
    return ids.stream().mapToLong(Long::longValue).toArray();
  }

  private static long[] gc() {
    long count = 0;
    long millis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, gc.getCollectionCount());
      millis += Math.max(0, gc.getCollectionTime());
    }
    return new long[] {count, millis};
  }

  private static long residentSetBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return -1;
  }

  private static String format(Map<String, Object> values) {
    StringBuilder sb = new StringBuilder();
    values.forEach((k, v) -> sb.append(k).append('=').append(v).append(' '));
    return sb.toString().strip();
  }
}
