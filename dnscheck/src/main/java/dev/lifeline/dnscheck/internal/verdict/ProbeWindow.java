package dev.lifeline.dnscheck.internal.verdict;

import dev.lifeline.dnscheck.Verdict;

/**
 * The latest results of one probe stream (one check, one transport, one target) and its verdict.
 * Not thread-safe: owned by the check loop.
 */
public final class ProbeWindow {
  private final WindowPolicy policy;
  private final boolean[] failed;
  private int next;
  private int size;
  private int failures;
  private int consecutiveFailures;

  public ProbeWindow(WindowPolicy policy) {
    this.policy = policy;
    this.failed = new boolean[policy.windowSize()];
  }

  /** Adds a result, dropping the oldest if the window is full. */
  public void record(boolean success) {
    if (size == failed.length) {
      if (failed[next]) {
        failures--;
      }
    } else {
      size++;
    }
    failed[next] = !success;
    if (!success) {
      failures++;
      consecutiveFailures++;
    } else {
      consecutiveFailures = 0;
    }
    next = (next + 1) % failed.length;
  }

  public Verdict verdict() {
    if (consecutiveFailures >= policy.consecutiveFailures()) {
      return Verdict.FAILING;
    }
    if (size < policy.minSamples()) {
      return Verdict.UNKNOWN;
    }
    // Compare counts, not a rounded ratio: 10 of 20 at 0.5 is failing.
    if (failures >= Math.max(1, Math.ceil(policy.failureRatio() * size - 1e-9))) {
      return Verdict.FAILING;
    }
    return Verdict.HEALTHY;
  }

  public int samples() {
    return size;
  }

  public int failures() {
    return failures;
  }

  public int consecutiveFailures() {
    return consecutiveFailures;
  }
}
