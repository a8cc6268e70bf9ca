package dev.lifeline.bench.dnscheck;

import dev.lifeline.dnscheck.DnsCheckListener;
import dev.lifeline.dnscheck.Transport;
import dev.lifeline.dnscheck.Verdict;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Hears the checker through its public listener and timestamps what it hears with {@code ticker} at
 * the moment it hears it (on the checker's loop thread, where verdicts are made). Verdicts,
 * remediation decisions and alerts are kept with their times; probes are only counted, by target
 * kind, transport, outcome and attempts, so that a ten-minute run stays small.
 *
 * <p>Thread-safe: the checker calls it on its threads, the benchmark reads it on its own.
 */
final class CheckerRecorder implements DnsCheckListener {
  /** Something heard, and when (nanoseconds of the ticker). */
  record Timed<T>(long atNanos, T event) {}

  /** How probes are counted. */
  record ProbeKey(String targetKind, Transport transport, String outcome, int attempts)
      implements Comparable<ProbeKey> {
    @Override
    public int compareTo(ProbeKey o) {
      return toString().compareTo(o.toString());
    }
  }

  private final LongSupplier ticker;
  private final List<Timed<VerdictEvent>> verdicts = new CopyOnWriteArrayList<>();
  private final List<Timed<RemediationEvent>> remediations = new CopyOnWriteArrayList<>();
  private final List<Timed<AlertEvent>> alerts = new CopyOnWriteArrayList<>();
  private final Map<ProbeKey, LongAdder> probes = new ConcurrentHashMap<>();
  private final Map<String, Long> lastSuccess = new ConcurrentHashMap<>();

  /**
   * @param ticker nanoseconds, the same clock the benchmark reads when it injects a fault
   */
  CheckerRecorder(LongSupplier ticker) {
    this.ticker = ticker;
  }

  @Override
  public void probeCompleted(ProbeEvent e) {
    probes
        .computeIfAbsent(
            new ProbeKey(e.targetKind(), e.transport(), e.outcome(), e.attempts()),
            k -> new LongAdder())
        .increment();
    if (e.success()) {
      lastSuccess.put(e.targetId(), ticker.getAsLong());
    }
  }

  @Override
  public void verdictChanged(VerdictEvent e) {
    verdicts.add(new Timed<>(ticker.getAsLong(), e));
  }

  @Override
  public void remediation(RemediationEvent e) {
    remediations.add(new Timed<>(ticker.getAsLong(), e));
  }

  @Override
  public void alert(AlertEvent e) {
    alerts.add(new Timed<>(ticker.getAsLong(), e));
  }

  /** The first verdict change at or after {@code since} that matches. */
  Optional<Timed<VerdictEvent>> firstVerdict(long since, Predicate<VerdictEvent> which) {
    return first(verdicts, since, which);
  }

  /** When {@code targetId} was first judged {@code verdict} at or after {@code since}. */
  OptionalLong firstVerdict(String targetId, Verdict verdict, long since) {
    return firstVerdict(since, v -> v.targetId().equals(targetId) && v.current() == verdict)
        .map(t -> OptionalLong.of(t.atNanos()))
        .orElse(OptionalLong.empty());
  }

  /** The first remediation decision at or after {@code since} that matches. */
  Optional<Timed<RemediationEvent>> firstRemediation(
      long since, Predicate<RemediationEvent> which) {
    return first(remediations, since, which);
  }

  /** The first alert at or after {@code since} that matches. */
  Optional<Timed<AlertEvent>> firstAlert(long since, Predicate<AlertEvent> which) {
    return first(alerts, since, which);
  }

  List<Timed<VerdictEvent>> verdictsSince(long since) {
    return verdicts.stream().filter(t -> t.atNanos() >= since).toList();
  }

  List<Timed<RemediationEvent>> remediationsSince(long since) {
    return remediations.stream().filter(t -> t.atNanos() >= since).toList();
  }

  List<Timed<AlertEvent>> alertsSince(long since) {
    return alerts.stream().filter(t -> t.atNanos() >= since).toList();
  }

  /** When a probe of {@code targetId} last succeeded (any check, any transport). */
  OptionalLong lastSuccess(String targetId) {
    Long at = lastSuccess.get(targetId);
    return at == null ? OptionalLong.empty() : OptionalLong.of(at);
  }

  /** The probes counted so far, sorted by key. */
  Map<ProbeKey, Long> probeCounts() {
    Map<ProbeKey, Long> out = new TreeMap<>();
    probes.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** The probes counted since {@code earlier} was taken with {@link #probeCounts()}. */
  Map<ProbeKey, Long> probeCountsSince(Map<ProbeKey, Long> earlier) {
    Map<ProbeKey, Long> out = probeCounts();
    earlier.forEach((k, v) -> out.merge(k, -v, Long::sum));
    out.values().removeIf(v -> v == 0);
    return out;
  }

  private static <T> Optional<Timed<T>> first(List<Timed<T>> list, long since, Predicate<T> which) {
    for (Timed<T> t : list) {
      if (t.atNanos() >= since && which.test(t.event())) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
