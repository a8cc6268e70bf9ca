package dev.lifeline.dnscheck.internal.verdict;

import dev.lifeline.dnscheck.Verdict;
import dev.lifeline.dnscheck.internal.probe.ProbeResult;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * A probe stream's window, its latest result and its latest failures (the evidence). Not
 * thread-safe: owned by the check loop.
 */
public final class StreamHealth {
  /** Failures kept as evidence for logs, events and reports. */
  static final int EVIDENCE = 5;

  private final StreamKey key;
  private final ProbeWindow window;
  private final Deque<ProbeResult> recentFailures = new ArrayDeque<>();
  private ProbeResult last;
  private long lastLatencyNanos = -1;
  private long successes;
  private long total;

  StreamHealth(StreamKey key, WindowPolicy policy) {
    this.key = key;
    this.window = new ProbeWindow(policy);
  }

  void record(ProbeResult r) {
    window.record(r.isSuccess());
    last = r;
    total++;
    if (r.isSuccess()) {
      successes++;
      lastLatencyNanos = r.latencyNanos();
    } else {
      if (recentFailures.size() == EVIDENCE) {
        recentFailures.removeFirst();
      }
      recentFailures.addLast(r);
    }
  }

  public StreamKey key() {
    return key;
  }

  public Verdict verdict() {
    return window.verdict();
  }

  public ProbeWindow window() {
    return window;
  }

  /** The latest result, or null before the first. */
  public ProbeResult last() {
    return last;
  }

  /** The latest successful round trip in nanoseconds, or -1 if none yet. */
  public long lastLatencyNanos() {
    return lastLatencyNanos;
  }

  /** The latest failures, oldest first. */
  public List<ProbeResult> recentFailures() {
    return List.copyOf(recentFailures);
  }

  /** Results since the stream began (not only the window). */
  public long total() {
    return total;
  }

  public long successes() {
    return successes;
  }
}
