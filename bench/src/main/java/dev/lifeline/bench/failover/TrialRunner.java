package dev.lifeline.bench.failover;

import dev.lifeline.testkit.ApiServerInstance;
import dev.lifeline.testkit.FakeControlPlane;
import dev.lifeline.testkit.Fault;
import dev.lifeline.testkit.RequestRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Runs one trial: a fresh client JVM of one configuration against a healthy control plane, a fault
 * on the apiserver its GETs use, observation until it has recovered (or the cap), then the control
 * plane restored. Trials are independent: every trial starts a new JVM (no pooled connection, no
 * engine state and no DNS cache carries over) on a control plane with every instance serving and
 * listed.
 *
 * <p>A trial ends at the earliest moment E after the fault F when all of these hold: E - F is at
 * least {@code minObserve}; the fault has fully happened (a graceful stop has closed the instance);
 * the GETs ran clean for the last {@code settle} (none failed, none waited over 1 s for a success);
 * the watch delivered every change committed up to a second before. Or at F + cap.
 *
 * <p>With lanes side by side, a trial holds the {@link QuietWindow} while its client JVM starts and
 * from the fault until its client recovered (see {@link #isPastCriticalPart}).
 */
final class TrialRunner {
  static final String NAMESPACE = "failover-bench";
  static final String OBJECT = "target";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration HEALTHY_TIMEOUT = Duration.ofSeconds(90);
  private static final long WARMUP_MAX_INTERVAL = 500_000_000L;
  private static final long SETTLED_MAX_INTERVAL = 1_000_000_000L;
  private static final long POLL = 100_000_000L;
  private static final long CRITICAL_MIN = 2_000_000_000L;
  private static final long CRITICAL_MAX = 5_000_000_000L;
  private static final long CRITICAL_AFTER_RECOVERY = 1_000_000_000L;

  private final FakeControlPlane cp;
  private final ChangeWriter writer;
  private final BenchOptions options;
  private final Function<Configuration, Path> kubeconfigs;
  private final String classPath;
  private final Path logs;
  private final QuietWindow quiet;

  TrialRunner(
      FakeControlPlane cp,
      ChangeWriter writer,
      BenchOptions options,
      Function<Configuration, Path> kubeconfigs,
      String classPath,
      Path logs,
      QuietWindow quiet) {
    this.cp = cp;
    this.writer = writer;
    this.options = options;
    this.kubeconfigs = kubeconfigs;
    this.classPath = classPath;
    this.logs = logs;
    this.quiet = quiet;
  }

  /** What is known of the faulted apiserver just before the fault. */
  private record Victim(
      ApiServerInstance instance, boolean watchToo, String protocol, int trackedConnections) {
    String endpoint() {
      return instance.address().getHostAddress() + ":" + instance.port();
    }
  }

  /** When the observation ended, and whether at the cap. */
  private record Ending(long end, boolean capped) {}

  /** Runs one trial and restores the control plane afterwards. */
  TrialResult run(Configuration configuration, Scenario scenario, int trial)
      throws InterruptedException {
    String id = configuration.id() + "-" + scenario.id() + "-" + trial;
    try {
      awaitHealthy();
    } catch (IllegalStateException e) {
      return TrialResult.notRun(configuration.id(), scenario.id(), trial, e.getMessage());
    }
    long trialStart = System.nanoTime();
    writer.forgetBefore(trialStart);
    String userAgent = "failover-bench/" + id + "/" + Long.toHexString(trialStart);
    ScenarioSetup setup =
        new ScenarioSetup(
            kubeconfigs.apply(configuration), NAMESPACE, OBJECT, userAgent, Optional.empty());
    CompletableFuture<Void> fault = null;
    QuietWindow.Hold quietStart = quiet.hold();
    QuietWindow.Hold quietFault = null;
    try (quietStart;
        ClientProcess client =
            ClientProcess.start(configuration, setup, classPath, logs.resolve(id + ".log"))) {
      client.awaitReady(READY_TIMEOUT);
      quietStart.close();
      settle(configuration, client, userAgent, trialStart);
      quietFault = quiet.hold();
      // Settled before the wait for the window; the apiserver in use is read again after it.
      Victim victim = victim(configuration, client, userAgent);
      long versionBefore = cp.store().resourceVersion();
      long faultAt = System.nanoTime();
      double load = Machine.loadAverage();
      client.note(
          "fault "
              + scenario.id()
              + " on "
              + victim.endpoint()
              + " (watch there too: "
              + victim.watchToo()
              + ", "
              + victim.protocol()
              + ", connections the engine tracks to it: "
              + victim.trackedConnections()
              + ") after resourceVersion "
              + versionBefore);
      fault = scenario.inject(victim.instance());
      Ending ending = observe(client, fault, faultAt, quietFault, trialStart);
      writer.check();
      TrialAnalysis.Measures m =
          TrialAnalysis.measure(
              client.gets(),
              client.deliveries(),
              writer.commitsSince(trialStart),
              faultAt,
              ending.end(),
              ending.capped(),
              versionBefore);
      client.note(summary(m, faultAt, ending));
      return new TrialResult(
          configuration.id(),
          scenario.id(),
          trial,
          victim.instance().address().getHostAddress(),
          victim.watchToo(),
          victim.protocol(),
          millis(m.gapNanos()),
          ending.capped(),
          m.getsRecovered(),
          m.failed(),
          m.requests(),
          m.expectedChanges(),
          m.lost(),
          m.repeated(),
          millis(m.watchDelayNanos()),
          victim.trackedConnections(),
          detection(client, victim, faultAt),
          millis(ending.end() - faultAt),
          load,
          firstFailure(client, faultAt, ending.end()));
    } catch (IOException | IllegalStateException e) {
      return TrialResult.notRun(configuration.id(), scenario.id(), trial, e.getMessage());
    } finally {
      if (quietFault != null) {
        quietFault.close();
      }
      restore(scenario, fault);
    }
  }

  /** The apiserver the client's GETs use now, and what else is known of it. */
  private Victim victim(Configuration configuration, ClientProcess client, String userAgent) {
    ApiServerInstance instance =
        cp.instanceUsedBy(userAgent)
            .orElseThrow(() -> new IllegalStateException("the client's apiserver is unknown"));
    boolean watchToo =
        lastRequest(userAgent, r -> r.pathAndQuery().contains("watch="))
            .map(i -> i == instance)
            .orElse(false);
    String protocol =
        instance.requestLog().reversed().stream()
            .filter(r -> r.userAgent().contains(userAgent))
            .map(RequestRecord::protocol)
            .findFirst()
            .orElse("?");
    String endpoint = instance.address().getHostAddress() + ":" + instance.port();
    int tracked =
        configuration.lifeline()
            ? client
                .freshEndpoints(Duration.ofSeconds(2))
                .map(e -> e.connectionsTo(endpoint))
                .orElse(-1)
            : -1;
    return new Victim(instance, watchToo, protocol, tracked);
  }

  /**
   * Watches the client after the fault until the trial ends (see the class comment); gives the
   * quiet window back once the critical part is over.
   */
  private Ending observe(
      ClientProcess client,
      CompletableFuture<Void> fault,
      long faultAt,
      QuietWindow.Hold quietFault,
      long trialStart) {
    long capAt = faultAt + options.cap().toNanos();
    while (true) {
      LockSupport.parkNanos(POLL);
      long now = System.nanoTime();
      if (quietFault.isHeld() && isPastCriticalPart(client.gets(), faultAt, now)) {
        quietFault.close();
      }
      if (now >= capAt) {
        return new Ending(capAt, true);
      }
      if (now - faultAt >= options.minObserve().toNanos()
          && fault.isDone()
          && TrialAnalysis.isClean(
              client.gets(), now, options.settle().toNanos(), SETTLED_MAX_INTERVAL)
          && TrialAnalysis.isCaughtUp(client.deliveries(), writer.commitsSince(trialStart), now)) {
        return new Ending(now, false);
      }
    }
  }

  /** From the fault to the engine's first down or draining event for the victim; -1 if none. */
  private static double detection(ClientProcess client, Victim victim, long faultAt) {
    return client.engineEvents().stream()
        .filter(e -> e.nanos() >= faultAt && e.endpoint().equals(victim.endpoint()))
        .filter(e -> e.kind().equals("down") || e.kind().equals("draining"))
        .findFirst()
        .map(e -> millis(e.nanos() - faultAt))
        .orElse(-1.0);
  }

  /** What the first GET that failed after the fault threw, or empty. */
  private static String firstFailure(ClientProcess client, long faultAt, long end) {
    return client.gets().stream()
        .filter(g -> !g.ok() && g.endNanos() >= faultAt && g.endNanos() <= end)
        .map(ClientRecord.Get::detail)
        .findFirst()
        .orElse("");
  }

  /** The trial's line in the client's log. */
  private static String summary(TrialAnalysis.Measures m, long faultAt, Ending ending) {
    TrialAnalysis.Commit slowest = m.slowestChange();
    return String.format(
        Locale.ROOT,
        "end after %.3f s%s: gap %.3f s, %d failed, %d of %d changes lost, %d repeated,"
            + " slowest change %s (%.3f s)",
        (ending.end() - faultAt) / 1e9,
        ending.capped() ? " (cap)" : "",
        m.gapNanos() / 1e9,
        m.failed(),
        m.lost(),
        m.expectedChanges(),
        m.repeated(),
        slowest == null
            ? "none"
            : String.format(
                Locale.ROOT,
                "%s@%d committed at fault+%.3f s",
                slowest.name(),
                slowest.resourceVersion(),
                (slowest.nanos() - faultAt) / 1e9),
        m.watchDelayNanos() / 1e9);
  }

  /**
   * Whether the sub-second part of a trial is over: 2 s after the fault, and a second after the
   * client's first successful GET since, or 5 s after the fault at the latest.
   */
  static boolean isPastCriticalPart(List<ClientRecord.Get> gets, long faultAt, long now) {
    long since = now - faultAt;
    if (since >= CRITICAL_MAX) {
      return true;
    }
    if (since < CRITICAL_MIN) {
      return false;
    }
    for (ClientRecord.Get g : gets) {
      if (g.ok() && g.endNanos() >= faultAt) {
        return now - g.endNanos() >= CRITICAL_AFTER_RECOVERY;
      }
    }
    return false;
  }

  /**
   * Waits until the client has run clean for the warm-up, its watch caught up, its engine (if any)
   * has every endpoint up, and the apiserver it uses is known.
   */
  private void settle(
      Configuration configuration, ClientProcess client, String userAgent, long trialStart) {
    long readyAt = System.nanoTime();
    long deadline = readyAt + SETTLE_TIMEOUT.toNanos();
    String why;
    do {
      if (!client.isAlive()) {
        throw new IllegalStateException(
            "the client exited while settling: " + String.join("; ", client.fatal()));
      }
      if (configuration.lifeline()) {
        client.requestStatus();
      }
      LockSupport.parkNanos(2 * POLL);
      long now = System.nanoTime();
      boolean warm =
          now - readyAt >= options.warmup().toNanos()
              && TrialAnalysis.isClean(
                  client.gets(), now, options.warmup().toNanos(), WARMUP_MAX_INTERVAL);
      boolean caughtUp =
          TrialAnalysis.isCaughtUp(client.deliveries(), writer.commitsSince(trialStart), now);
      boolean engineUp =
          !configuration.lifeline()
              || client.endpoints().map(e -> e.up() == cp.instances().size()).orElse(false);
      Optional<ApiServerInstance> active = cp.instanceUsedBy(userAgent);
      if (warm && caughtUp && engineUp && active.isPresent()) {
        return;
      }
      why =
          "GETs clean for the warm-up: "
              + warm
              + ", watch caught up: "
              + caughtUp
              + ", engine endpoints: "
              + client.endpoints().map(ClientRecord.EndpointStates::states).orElse("none reported");
    } while (System.nanoTime() < deadline);
    throw new IllegalStateException(
        "the client did not settle within " + SETTLE_TIMEOUT.toSeconds() + " s (" + why + ")");
  }

  /** The instance that answered the latest request of this user agent matching {@code filter}. */
  private Optional<ApiServerInstance> lastRequest(
      String userAgent, Predicate<RequestRecord> filter) {
    ApiServerInstance best = null;
    RequestRecord latest = null;
    for (ApiServerInstance instance : cp.instances()) {
      for (RequestRecord r : instance.requestLog()) {
        if (r.userAgent().contains(userAgent)
            && filter.test(r)
            && (latest == null || r.time().isAfter(latest.time()))) {
          latest = r;
          best = instance;
        }
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * Restores every instance. After a blackhole, also waits until the restored instance has renewed
   * its endpoint lease (at its next reconcile tick, at most one interval later): until then its old
   * lease may expire and take it out of the EndpointSlice for a moment, which would disturb the
   * next trial.
   */
  private void restore(Scenario scenario, CompletableFuture<Void> fault)
      throws InterruptedException {
    if (fault != null) {
      try {
        // A graceful stop still under way finishes before the instance restarts.
        fault.get(options.shutdownDelay().toSeconds() + 30, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        System.err.println("warning: the fault did not complete cleanly: " + e);
      }
    }
    Map<ApiServerInstance, Optional<Instant>> blackholed = new HashMap<>();
    for (ApiServerInstance instance : cp.instances()) {
      if (instance.activeFaults().stream().anyMatch(f -> f.kind() == Fault.Kind.BLACKHOLE)) {
        blackholed.put(instance, instance.endpointLeaseExpiry());
      }
    }
    cp.restoreAll();
    long deadline = System.nanoTime() + BenchControlPlane.RECONCILE_INTERVAL.toNanos() * 2;
    for (Map.Entry<ApiServerInstance, Optional<Instant>> e : blackholed.entrySet()) {
      while (!renewedSince(e.getKey(), e.getValue()) && System.nanoTime() < deadline) {
        if (Thread.interrupted()) {
          throw new InterruptedException("waiting for a restored apiserver's lease");
        }
        LockSupport.parkNanos(POLL);
      }
    }
  }

  /** Whether the instance renewed its endpoint lease since it stood at {@code before}. */
  private static boolean renewedSince(ApiServerInstance instance, Optional<Instant> before) {
    Optional<Instant> now = instance.endpointLeaseExpiry();
    return now.isPresent() && (before.isEmpty() || now.get().isAfter(before.get()));
  }

  /** Waits until every instance runs, is ready and is listed in the EndpointSlice. */
  void awaitHealthy() {
    long deadline = System.nanoTime() + HEALTHY_TIMEOUT.toNanos();
    while (true) {
      List<ApiServerInstance> instances = cp.instances();
      boolean serving =
          instances.stream()
              .allMatch(
                  i ->
                      i.state() == ApiServerInstance.State.RUNNING
                          && i.isReady()
                          && !i.isDroppingPackets()
                          && i.activeFaults().isEmpty());
      if (serving && cp.endpointAddresses().size() == instances.size()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the control plane did not recover within "
                + HEALTHY_TIMEOUT.toSeconds()
                + " s: endpoints "
                + cp.endpointAddresses());
      }
      LockSupport.parkNanos(POLL);
    }
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }
}
