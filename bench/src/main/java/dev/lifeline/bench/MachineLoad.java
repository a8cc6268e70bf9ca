package dev.lifeline.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.locks.LockSupport;

/**
 * Load on this JVM, as a busy production client sees it: threads that spin on the CPU, allocation
 * with a live set the collector must trace, explicit full collections (stop-the-world pauses), and
 * a CFS quota on the whole process (a throttled container is frozen for the rest of each 100 ms
 * period once it used its quota).
 *
 * <p>The CPU quota needs root and a cgroup {@code cpu} controller (v1 at {@code
 * /sys/fs/cgroup/cpu}, or v2); the process is moved into a cgroup of its own for the run and back
 * to where it was on {@link #close()}.
 */
final class MachineLoad implements AutoCloseable {

  /**
   * What to load the machine with.
   *
   * @param spinners threads that spin on the CPU
   * @param liveSetMegabytes retained small objects that each full collection traces (0: none)
   * @param gcEvery how often to call {@link System#gc()} (null: never)
   * @param cpuQuotaPercent CFS quota of the process in percent of one CPU per 100 ms (0: none)
   */
  record Settings(int spinners, int liveSetMegabytes, Duration gcEvery, int cpuQuotaPercent) {
    static final Settings NONE = new Settings(0, 0, null, 0);

    boolean isNone() {
      return spinners == 0 && liveSetMegabytes == 0 && gcEvery == null && cpuQuotaPercent == 0;
    }

    @Override
    public String toString() {
      if (isNone()) {
        return "no added load";
      }
      List<String> parts = new ArrayList<>();
      parts.add(spinners + " spinning threads");
      if (liveSetMegabytes > 0) {
        parts.add(liveSetMegabytes + " MB live set with allocation churn");
      }
      if (gcEvery != null) {
        parts.add("System.gc() every " + gcEvery.toMillis() + " ms");
      }
      if (cpuQuotaPercent > 0) {
        parts.add("CFS quota " + cpuQuotaPercent + " ms per 100 ms");
      }
      return String.join(", ", parts);
    }
  }

  private final List<Thread> threads = new ArrayList<>();
  private final AtomicLong gcCount = new AtomicLong();
  private final AtomicLong gcNanos = new AtomicLong();
  private final LongAccumulator gcMaxNanos = new LongAccumulator(Math::max, 0);
  private final CpuQuota quota;
  private volatile boolean stopped;

  private MachineLoad(Settings settings) throws IOException {
    for (int i = 0; i < settings.spinners(); i++) {
      start("bench-spinner-" + i, this::spin);
    }
    if (settings.liveSetMegabytes() > 0) {
      int megabytes = settings.liveSetMegabytes();
      start("bench-allocator", () -> allocate(megabytes));
    }
    if (settings.gcEvery() != null) {
      long periodNanos = settings.gcEvery().toNanos();
      start("bench-gc", () -> collect(periodNanos));
    }
    quota = settings.cpuQuotaPercent() > 0 ? CpuQuota.apply(settings.cpuQuotaPercent()) : null;
  }

  static MachineLoad start(Settings settings) throws IOException {
    return new MachineLoad(settings);
  }

  /** A line on the explicit collections so far: how many and how long they paused. */
  String collections() {
    long count = gcCount.get();
    if (count == 0) {
      return "no explicit collections";
    }
    return String.format(
        Locale.ROOT,
        "%d explicit full collections, mean %.0f ms, longest %.0f ms",
        count,
        gcNanos.get() / 1e6 / count,
        gcMaxNanos.get() / 1e6);
  }

  private void start(String name, Runnable task) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    thread.start();
    threads.add(thread);
  }

  private void spin() {
    long x = ThreadLocalRandom.current().nextLong();
    while (!stopped) {
      for (int i = 0; i < 1_000_000; i++) {
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
      }
    }
    if (x == 42) {
      System.out.print("");
    }
  }

  /** Keeps a live set of small linked nodes and replaces a slice of it continuously. */
  private void allocate(int megabytes) {
    int slots = 1024;
    Object[] live = new Object[slots];
    int nodesPerSlot = megabytes * 1024 * 1024 / 48 / slots;
    int slot = 0;
    while (!stopped) {
      Object[] head = null;
      for (int i = 0; i < nodesPerSlot; i++) {
        head = new Object[] {head, new byte[16]};
      }
      live[slot] = head;
      slot = (slot + 1) % slots;
      LockSupport.parkNanos(1_000_000);
    }
  }

  private void collect(long periodNanos) {
    while (!stopped) {
      LockSupport.parkNanos(periodNanos);
      if (stopped) {
        return;
      }
      long start = System.nanoTime();
      System.gc();
      long took = System.nanoTime() - start;
      gcCount.incrementAndGet();
      gcNanos.addAndGet(took);
      gcMaxNanos.accumulate(took);
    }
  }

  @Override
  public void close() throws IOException {
    stopped = true;
    for (Thread thread : threads) {
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (quota != null) {
      quota.close();
    }
  }

  /** A cgroup of this process alone with a CFS quota; closing moves the process back. */
  private record CpuQuota(Path group, Path previousProcs) implements AutoCloseable {
    private static final Path V1 = Path.of("/sys/fs/cgroup/cpu");
    private static final Path V2 = Path.of("/sys/fs/cgroup");

    static CpuQuota apply(int percent) throws IOException {
      long pid = ManagementFactory.getRuntimeMXBean().getPid();
      String name = "lifeline-bench-" + pid;
      if (Files.exists(V1.resolve("cpu.cfs_quota_us"))) {
        Path previous = V1.resolve(current("cpu"));
        Path group = Files.createDirectories(previous.resolve(name));
        write(group.resolve("cpu.cfs_period_us"), "100000");
        write(group.resolve("cpu.cfs_quota_us"), Long.toString(percent * 1000L));
        write(group.resolve("cgroup.procs"), Long.toString(pid));
        return new CpuQuota(group, previous.resolve("cgroup.procs"));
      }
      if (Files.exists(V2.resolve("cgroup.controllers"))) {
        Path previous = V2.resolve(current(""));
        Path group = Files.createDirectories(previous.resolve(name));
        write(group.resolve("cpu.max"), percent * 1000L + " 100000");
        write(group.resolve("cgroup.procs"), Long.toString(pid));
        return new CpuQuota(group, previous.resolve("cgroup.procs"));
      }
      throw new IOException(
          "--cpu-quota needs a cgroup cpu controller (v1 at /sys/fs/cgroup/cpu or v2); none found");
    }

    /** This process's cgroup path (relative) for {@code controller} ("" for v2). */
    private static String current(String controller) throws IOException {
      for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
        String[] parts = line.split(":", 3);
        if (parts.length == 3 && List.of(parts[1].split(",")).contains(controller)) {
          return parts[2].substring(1);
        }
        if (parts.length == 3 && controller.isEmpty() && parts[0].equals("0")) {
          return parts[2].substring(1);
        }
      }
      throw new IOException("no " + controller + " cgroup in /proc/self/cgroup");
    }

    private static void write(Path file, String value) throws IOException {
      try {
        Files.writeString(file, value, StandardCharsets.US_ASCII);
      } catch (IOException e) {
        throw new IOException(
            "--cpu-quota: cannot write " + value + " to " + file + " (root needed): " + e, e);
      }
    }

    @Override
    public void close() throws IOException {
      long pid = ManagementFactory.getRuntimeMXBean().getPid();
      write(previousProcs, Long.toString(pid));
      Files.deleteIfExists(group);
    }
  }
}
