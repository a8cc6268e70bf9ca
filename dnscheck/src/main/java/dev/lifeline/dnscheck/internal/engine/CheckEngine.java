package dev.lifeline.dnscheck.internal.engine;

import dev.lifeline.dnscheck.DnsCheckListener;
import dev.lifeline.dnscheck.DnsCheckListener.ProbeEvent;
import dev.lifeline.dnscheck.DnsCheckListener.VerdictEvent;
import dev.lifeline.dnscheck.DnsCheckReport;
import dev.lifeline.dnscheck.Transport;
import dev.lifeline.dnscheck.Verdict;
import dev.lifeline.dnscheck.internal.Target;
import dev.lifeline.dnscheck.internal.probe.ProbeRequest;
import dev.lifeline.dnscheck.internal.probe.ProbeResult;
import dev.lifeline.dnscheck.internal.verdict.StreamHealth;
import dev.lifeline.dnscheck.internal.verdict.StreamKey;
import dev.lifeline.dnscheck.internal.verdict.TargetHealth;
import dev.lifeline.dnscheck.internal.verdict.WindowPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * Probes every stream (target, check, transport) once per round and keeps each target's verdict.
 *
 * <p>Threading: every method must be called on the check loop's thread (the {@code loop} executor
 * given to the constructor, which must run tasks one at a time). Probe results come back on the
 * prober's thread and are handed to the loop. A stream whose previous probe has not ended is
 * skipped in a round, so that each stream's results stay in order and a slow server is not flooded.
 */
public final class CheckEngine {
  private static final System.Logger LOG = System.getLogger(CheckEngine.class.getName());

  private final ProbeExecutor executor;
  private final Executor loop;
  private final LongSupplier ticker;
  private final WindowPolicy policy;
  private final int attempts;
  private final DnsCheckListener listener;
  private final Runnable onVerdictChange;
  private final Map<String, TargetHealth> health = new LinkedHashMap<>();
  static final int MAX_PER_STREAM = 2;

  private final Map<String, Integer> inFlight = new HashMap<>();
  private int inFlightTotal;
  private List<ResolvedCheck> checks = List.of();
  private Runnable onIdle = () -> {};
  private long skipped;
  private long generation;

  /**
   * @param executor sends the probes
   * @param loop the check loop (one task at a time)
   * @param ticker nanoseconds
   * @param policy the verdict rules
   * @param retries attempts after a lost one
   * @param listener hears probes and verdicts
   * @param onVerdictChange runs on the loop after any target's verdict changed
   */
  public CheckEngine(
      ProbeExecutor executor,
      Executor loop,
      LongSupplier ticker,
      WindowPolicy policy,
      int retries,
      DnsCheckListener listener,
      Runnable onVerdictChange) {
    this.executor = executor;
    this.loop = loop;
    this.ticker = ticker;
    this.policy = policy;
    this.attempts = retries + 1;
    this.listener = listener;
    this.onVerdictChange = onVerdictChange;
  }

  /**
   * Sets what to probe. Targets that stay keep their windows (matched by id and address); targets
   * that left are forgotten; new targets start unknown.
   *
   * @return whether the set of targets changed
   */
  public boolean configure(List<Target> targets, List<ResolvedCheck> checks) {
    boolean checksChanged = !sameChecks(this.checks, checks);
    this.checks = List.copyOf(checks);
    Map<String, TargetHealth> next = new LinkedHashMap<>();
    long now = ticker.getAsLong();
    for (Target t : targets) {
      TargetHealth h = health.get(t.id());
      if (h == null || !h.target().equals(t) || checksChanged) {
        h = new TargetHealth(t, policy, now);
      }
      for (ResolvedCheck c : checks) {
        for (Transport tr : c.transports()) {
          if (t.transports().contains(tr)) {
            h.expect(new StreamKey(c.name(), tr));
          }
        }
      }
      next.put(t.id(), h);
    }
    boolean changed = !next.keySet().equals(health.keySet());
    health.clear();
    health.putAll(next);
    if (checksChanged) {
      generation++; // results of probes sent under the old checks are dropped
    }
    if (changed) {
      listener.targetsChanged(List.copyOf(health.keySet()));
    }
    return changed;
  }

  private static boolean sameChecks(List<ResolvedCheck> a, List<ResolvedCheck> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).name().equals(b.get(i).name())
          || !a.get(i).description().equals(b.get(i).description())
          || !a.get(i).transports().equals(b.get(i).transports())) {
        return false;
      }
    }
    return true;
  }

  /**
   * Sends one probe per stream whose previous probe has ended.
   *
   * @return how many probes were sent
   */
  public int runRound() {
    int sent = 0;
    for (TargetHealth h : health.values()) {
      Target t = h.target();
      for (ResolvedCheck c : checks) {
        for (Transport tr : c.transports()) {
          if (!t.transports().contains(tr)) {
            continue;
          }
          StreamKey key = new StreamKey(c.name(), tr);
          String id = t.id() + "|" + key;
          int out = inFlight.getOrDefault(id, 0);
          if (out >= MAX_PER_STREAM) {
            skipped++;
            continue;
          }
          inFlight.put(id, out + 1);
          inFlightTotal++;
          sent++;
          ProbeRequest req =
              new ProbeRequest(
                  c.name(),
                  t.address(),
                  tr,
                  c.qname().get(),
                  c.qtype(),
                  c.expectation(),
                  c.timeout(),
                  attempts);
          long gen = generation;
          executor
              .probe(req)
              .whenComplete((r, e) -> loop.execute(() -> completed(t, key, id, gen, r, e)));
        }
      }
    }
    return sent;
  }

  /** Runs {@code action} on the loop each time the last probe in flight ends. */
  public void onIdle(Runnable action) {
    this.onIdle = action;
  }

  private void completed(
      Target t, StreamKey key, String id, long gen, ProbeResult r, Throwable error) {
    try {
      inFlight.computeIfPresent(id, (k, n) -> n == 1 ? null : n - 1);
      inFlightTotal--;
      apply(t, key, gen, r, error);
    } finally {
      if (inFlightTotal == 0) {
        onIdle.run();
      }
    }
  }

  private void apply(Target t, StreamKey key, long gen, ProbeResult r, Throwable error) {
    if (error != null) {
      LOG.log(System.Logger.Level.DEBUG, "probe of " + t.id() + " ended without a result", error);
      return;
    }
    TargetHealth h = health.get(t.id());
    if (h == null || !h.target().equals(t) || gen != generation) {
      return; // the target left, or changed, while the probe was out
    }
    listener.probeCompleted(
        new ProbeEvent(
            t.id(),
            t.kind().label(),
            key.check(),
            key.transport(),
            r.outcome().label(),
            r.latencyNanos() >= 0
                ? Optional.of(Duration.ofNanos(r.latencyNanos()))
                : Optional.empty(),
            r.attempts()));
    Verdict before = h.record(key, r, ticker.getAsLong());
    if (before != null) {
      Verdict now = h.verdict();
      List<String> evidence = h.evidence().stream().map(ProbeResult::evidence).toList();
      if (now == Verdict.FAILING) {
        LOG.log(
            System.Logger.Level.WARNING,
            t.id() + " (" + t.endpoint() + ") is failing: " + String.join(" | ", evidence));
      } else {
        LOG.log(System.Logger.Level.INFO, t.id() + " (" + t.endpoint() + ") is " + now.label());
      }
      listener.verdictChanged(new VerdictEvent(t.id(), before, now, evidence));
      onVerdictChange.run();
    }
  }

  /**
   * Records results that were probed elsewhere (a helper pod's batch); results of targets that left
   * are dropped.
   */
  public void recordBatch(List<BatchProber.Result> results) {
    for (BatchProber.Result r : results) {
      TargetHealth h = health.get(r.targetId());
      if (h != null) {
        apply(h.target(), r.stream(), generation, r.result(), null);
      }
    }
  }

  /** The checks in use. */
  public List<ResolvedCheck> checks() {
    return checks;
  }

  /** Probes sent and not yet ended. */
  public int inFlight() {
    return inFlightTotal;
  }

  /** Probes skipped because the stream had its most probes out. */
  public long skipped() {
    return skipped;
  }

  /** Every target's health, in the order given to {@link #configure}. */
  public List<TargetHealth> targets() {
    return List.copyOf(health.values());
  }

  /** The checks in use, one line each. */
  public List<String> checkDescriptions() {
    List<String> out = new ArrayList<>();
    for (ResolvedCheck c : checks) {
      List<String> ts = c.transports().stream().sorted().map(Transport::label).toList();
      out.add(c.name() + ": " + c.description() + " (" + String.join(", ", ts) + ")");
    }
    return out;
  }

  /** The targets as report rows. */
  public List<DnsCheckReport.TargetReport> targetReports() {
    List<DnsCheckReport.TargetReport> out = new ArrayList<>();
    for (TargetHealth h : health.values()) {
      Target t = h.target();
      List<DnsCheckReport.StreamReport> streams = new ArrayList<>();
      for (StreamHealth s : h.streams()) {
        ProbeResult last = s.last();
        streams.add(
            new DnsCheckReport.StreamReport(
                s.key().check(),
                s.key().transport(),
                s.verdict(),
                s.window().samples(),
                s.window().failures(),
                last == null ? "" : last.outcome().label(),
                s.lastLatencyNanos() >= 0
                    ? Optional.of(Duration.ofNanos(s.lastLatencyNanos()))
                    : Optional.empty()));
      }
      out.add(
          new DnsCheckReport.TargetReport(
              t.id(),
              t.kind().label(),
              t.displayName(),
              t.endpoint(),
              t.pod().map(p -> p.node()).orElse(""),
              h.verdict(),
              streams,
              h.evidence().stream().map(ProbeResult::evidence).toList(),
              t.note()));
    }
    return out;
  }
}
