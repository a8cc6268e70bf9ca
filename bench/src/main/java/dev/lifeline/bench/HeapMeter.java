package dev.lifeline.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Measures the live heap: forces full collections until the used heap stops shrinking, then reads
 * it from the {@link MemoryMXBean}. Run with {@code -XX:+UseSerialGC} so that {@code System.gc()}
 * is a synchronous, compacting full collection and what remains used is what is reachable.
 */
public final class HeapMeter {
  private HeapMeter() {}

  /** The heap still used after full collections, in bytes. */
  public static long usedAfterFullGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long previous = Long.MAX_VALUE;
    long used = 0;
    for (int i = 0; i < 10; i++) {
      System.gc();
      used = memory.getHeapMemoryUsage().getUsed();
      if (previous - used < 64 * 1024) {
        break;
      }
      previous = used;
    }
    return used;
  }
}
