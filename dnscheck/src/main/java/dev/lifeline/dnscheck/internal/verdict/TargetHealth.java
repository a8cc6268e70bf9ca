package dev.lifeline.dnscheck.internal.verdict;

import dev.lifeline.dnscheck.Verdict;
import dev.lifeline.dnscheck.internal.Target;
import dev.lifeline.dnscheck.internal.probe.ProbeResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A target's streams and its verdict: failing if any stream is failing, healthy if every stream is
 * healthy, unknown otherwise. Not thread-safe: owned by the check loop.
 */
public final class TargetHealth {
  private final Target target;
  private final WindowPolicy policy;
  private final Map<StreamKey, StreamHealth> streams = new TreeMap<>();
  private Verdict verdict = Verdict.UNKNOWN;
  private long verdictSinceNanos;

  public TargetHealth(Target target, WindowPolicy policy, long nowNanos) {
    this.target = target;
    this.policy = policy;
    this.verdictSinceNanos = nowNanos;
  }

  /** Declares a stream, so that a stream without results yet keeps the verdict unknown. */
  public void expect(StreamKey key) {
    streams.computeIfAbsent(key, k -> new StreamHealth(k, policy));
  }

  /**
   * Adds a result.
   *
   * @return the previous verdict if this result changed the target's verdict, else null
   */
  public Verdict record(StreamKey key, ProbeResult r, long nowNanos) {
    streams.computeIfAbsent(key, k -> new StreamHealth(k, policy)).record(r);
    Verdict now = Verdict.HEALTHY;
    for (StreamHealth s : streams.values()) {
      now = now.worse(s.verdict());
    }
    if (now != verdict) {
      Verdict before = verdict;
      verdict = now;
      verdictSinceNanos = nowNanos;
      return before;
    }
    return null;
  }

  public Target target() {
    return target;
  }

  public Verdict verdict() {
    return verdict;
  }

  /** When the current verdict began (the check loop's ticker). */
  public long verdictSinceNanos() {
    return verdictSinceNanos;
  }

  public List<StreamHealth> streams() {
    return List.copyOf(streams.values());
  }

  /** The latest failures of the failing streams (or of every stream if none fails), newest last. */
  public List<ProbeResult> evidence() {
    List<ProbeResult> out = new ArrayList<>();
    for (StreamHealth s : streams.values()) {
      if (s.verdict() == Verdict.FAILING) {
        out.addAll(s.recentFailures());
      }
    }
    if (out.isEmpty()) {
      for (StreamHealth s : streams.values()) {
        out.addAll(s.recentFailures());
      }
    }
    out.sort((a, b) -> Long.compare(a.finishedNanos(), b.finishedNanos()));
    return out.size() <= StreamHealth.EVIDENCE
        ? out
        : List.copyOf(out.subList(out.size() - StreamHealth.EVIDENCE, out.size()));
  }
}
