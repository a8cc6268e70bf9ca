package dev.lifeline.dnscheck.internal.engine;

import dev.lifeline.dnscheck.DnsCheckConfig;
import dev.lifeline.dnscheck.DnsCheckListener;
import dev.lifeline.dnscheck.DnsCheckReport;
import dev.lifeline.dnscheck.Transport;
import dev.lifeline.dnscheck.internal.cluster.DnsTopology;
import dev.lifeline.dnscheck.internal.remediation.EventSink;
import dev.lifeline.dnscheck.internal.remediation.PodRestarter;
import dev.lifeline.dnscheck.internal.remediation.RemediationController;
import dev.lifeline.dnscheck.internal.remediation.RemediationPolicy;
import dev.lifeline.dnscheck.internal.remediation.RemediationRules;
import dev.lifeline.dnscheck.internal.verdict.WindowPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The check loop: one thread that, every {@code interval}, takes the latest topology, probes every
 * stream, and lets the remediation decide. All verdict and remediation state lives on this thread
 * (see {@code CONCURRENCY.md}).
 */
public final class CheckLoop implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(CheckLoop.class.getName());
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final DnsCheckConfig config;
  private final ModeSetup mode;
  private final Supplier<DnsTopology> topologies;
  private final ScheduledExecutorService loop;
  private final LongSupplier ticker;
  private final Clock clock;
  private final CheckEngine engine;
  private final RemediationController remediation;
  private final RandomGenerator random = RandomGenerator.of("L64X128MixRandom");
  private final Set<Transport> transports;
  private DnsTopology topology;
  private int ticksSincePlanning;
  private RuntimeException lastTopologyError;
  private String lastBatchError;
  private ScheduledFuture<?> ticking;

  /**
   * @param config the settings
   * @param mode the chosen deployment mode
   * @param topologies the latest topology (the discovery's watch); throws when there is none
   * @param restarter restarts pods (never called in a dry run)
   * @param events records Events ({@link EventSink#NONE} in a dry run)
   * @param leader whether this replica holds the lease
   * @param listener hears everything
   * @param ticker nanoseconds
   * @param clock wall time for reports
   * @param reportOnly decide nothing but report (a one-shot run): as a dry run, whatever the
   *     configuration says
   */
  public CheckLoop(
      DnsCheckConfig config,
      boolean reportOnly,
      ModeSetup mode,
      Supplier<DnsTopology> topologies,
      PodRestarter restarter,
      EventSink events,
      BooleanSupplier leader,
      DnsCheckListener listener,
      LongSupplier ticker,
      Clock clock) {
    this.config = config;
    this.mode = mode;
    this.topologies = topologies;
    this.ticker = ticker;
    this.clock = clock;
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "lifeline-dnscheck-loop-" + THREADS.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
    this.loop = executor;
    Set<Transport> ts = EnumSet.copyOf(config.transports());
    ts.retainAll(mode.transports());
    if (ts.isEmpty()) {
      throw new IllegalStateException(
          "mode "
              + mode.mode().label()
              + " carries only "
              + mode.transports()
              + " but transports is "
              + config.transports());
    }
    this.transports = ts;
    WindowPolicy window =
        new WindowPolicy(
            config.windowSize(),
            config.minSamples(),
            config.failureRatio(),
            config.consecutiveFailures());
    RemediationRules rules =
        new RemediationRules(
            config.dryRun() || reportOnly,
            config.podCooldown(),
            config.evictionRetry(),
            config.maxRestarts(),
            config.restartPeriod(),
            config.backoffInitial(),
            config.backoffMax(),
            config.maxFailingShare(),
            config.restartDelay());
    this.remediation =
        new RemediationController(
            new RemediationPolicy(rules),
            config.restartMethod(),
            mode.remediationAllowed(),
            restarter,
            config.dryRun() || reportOnly ? EventSink.NONE : events,
            loop,
            ticker,
            leader,
            listener,
            Duration.ofMinutes(10));
    this.engine =
        new CheckEngine(
            mode.executor(), loop, ticker, window, config.retries(), listener, this::evaluate);
  }

  /**
   * Starts probing every interval until {@link #close()}; in batch mode (a helper pod), batches of
   * {@code once-rounds} rounds follow each other one interval apart.
   */
  public void start() {
    if (mode.isBatch()) {
      loop.execute(this::batchCycle);
      return;
    }
    ticking =
        loop.scheduleAtFixedRate(
            this::tickSafely, 0, config.interval().toNanos(), TimeUnit.NANOSECONDS);
  }

  private void batchCycle() {
    if (loop.isShutdown()) {
      return;
    }
    runBatch(config.onceRounds())
        .whenComplete(
            (ok, error) -> {
              if (error != null) {
                LOG.log(
                    System.Logger.Level.ERROR, "a helper pod batch failed: " + rootMessage(error));
              }
              if (!loop.isShutdown()) {
                loop.schedule(this::batchCycle, config.interval().toNanos(), TimeUnit.NANOSECONDS);
              }
            });
  }

  /** One batch on the loop: refresh, run elsewhere, record, evaluate. Completes on the loop. */
  private CompletableFuture<Void> runBatch(int rounds) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      refreshTopology();
    } catch (RuntimeException e) {
      done.completeExceptionally(e);
      return done;
    }
    List<dev.lifeline.dnscheck.internal.Target> targets = new ArrayList<>();
    engine.targets().forEach(h -> targets.add(h.target()));
    mode.batch()
        .run(targets, engine.checks(), rounds)
        .whenComplete(
            (results, error) ->
                loop.execute(
                    () -> {
                      if (error != null) {
                        lastBatchError = rootMessage(error);
                        done.completeExceptionally(error);
                        return;
                      }
                      lastBatchError = null;
                      engine.recordBatch(results);
                      evaluate();
                      done.complete(null);
                    }));
    return done;
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while ((c instanceof java.util.concurrent.CompletionException
            || c instanceof ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c.getMessage() == null ? c.toString() : c.getMessage();
  }

  /**
   * Probes {@code rounds} times, one interval apart, waits for the last probes and reports.
   *
   * @return completes with the report, or exceptionally when no topology could be read
   */
  public CompletableFuture<DnsCheckReport> runOnce(int rounds) {
    CompletableFuture<DnsCheckReport> done = new CompletableFuture<>();
    if (mode.isBatch()) {
      loop.execute(
          () ->
              runBatch(rounds)
                  .whenComplete(
                      (ok, error) -> {
                        if (error != null) {
                          done.completeExceptionally(error);
                        } else {
                          done.complete(snapshot());
                        }
                      }));
      return done;
    }
    AtomicInteger left = new AtomicInteger(rounds);
    Runnable[] round = new Runnable[1];
    round[0] =
        () -> {
          try {
            tick();
          } catch (RuntimeException e) {
            done.completeExceptionally(e);
            return;
          }
          if (left.decrementAndGet() > 0) {
            loop.schedule(round[0], config.interval().toNanos(), TimeUnit.NANOSECONDS);
          } else if (engine.inFlight() == 0) {
            evaluate();
            done.complete(snapshot());
          } else {
            engine.onIdle(
                () -> {
                  evaluate();
                  done.complete(snapshot());
                });
          }
        };
    loop.execute(round[0]);
    return done;
  }

  /** The current state, taken on the loop thread. */
  public DnsCheckReport report() {
    try {
      return loop.submit(this::snapshot).get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while taking a report", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the check loop did not report", e);
    }
  }

  /** Runs {@code task} on the loop thread (for tests that inspect state). */
  public <T> T onLoop(java.util.concurrent.Callable<T> task) throws Exception {
    return loop.submit(task).get(10, TimeUnit.SECONDS);
  }

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      // A daemon keeps going: the next tick may find the topology again.
      LOG.log(System.Logger.Level.ERROR, "a check round failed: " + e.getMessage(), e);
    }
  }

  private void tick() {
    refreshTopology();
    engine.runRound();
    evaluate();
  }

  private void refreshTopology() {
    DnsTopology next;
    try {
      next = topologies.get();
      if (lastTopologyError != null) {
        LOG.log(System.Logger.Level.INFO, "the DNS topology can be read again");
        lastTopologyError = null;
      }
    } catch (RuntimeException e) {
      if (topology == null) {
        throw e;
      }
      if (lastTopologyError == null
          || !Objects.equals(lastTopologyError.getMessage(), e.getMessage())) {
        LOG.log(
            System.Logger.Level.WARNING, "keeping the last known DNS topology: " + e.getMessage());
      }
      lastTopologyError = e;
      return;
    }
    // Plan again when the topology changed, and every 20 ticks anyway: a port-forward that died
    // is opened again even when no pod came or went.
    if (!next.equals(topology) || ++ticksSincePlanning >= 20) {
      ticksSincePlanning = 0;
      topology = next;
      engine.configure(
          mode.planner().targets(next), ResolvedCheck.resolve(config, next, random, transports));
    }
  }

  private void evaluate() {
    if (topology != null) {
      remediation.evaluate(engine.targets(), topology);
    }
  }

  private DnsCheckReport snapshot() {
    List<String> notes = new ArrayList<>(mode.notes());
    if (topology != null) {
      for (DnsTopology.DnsPod p : topology.pods()) {
        if (p.ip() == null) {
          notes.add("pod " + p.ref() + " has no IP yet (" + p.phase() + "): not probed");
        } else if (p.port() <= 0 && config.dnsPort().isEmpty()) {
          notes.add(
              "pod "
                  + p.ref()
                  + " declares no container port named '"
                  + topology.service().targetPortName()
                  + "': it is no endpoint of the Service, not probed");
        } else if (!p.ready()) {
          notes.add("pod " + p.ref() + " is not Ready: probed anyway, clients do not reach it");
        }
        if (p.terminating()) {
          notes.add("pod " + p.ref() + " is terminating");
        }
      }
      topology
          .nodeLocalDns()
          .ifPresent(
              n ->
                  notes.add(
                      "NodeLocal DNSCache runs ("
                          + n.source()
                          + ", binds "
                          + String.join(", ", n.bindAddresses())
                          + "): clients ask their node's cache; the pods are probed directly"));
    }
    if (lastTopologyError != null) {
      notes.add("the topology could not be refreshed: " + lastTopologyError.getMessage());
    }
    if (lastBatchError != null) {
      notes.add("the last helper pod batch failed: " + lastBatchError);
    }
    return new DnsCheckReport(
        clock.instant(),
        mode.mode(),
        mode.reason(),
        mode.selection(),
        topology == null ? "" : topology.clusterDomain(),
        topology == null ? "" : topology.clusterDomainSource(),
        engine.checkDescriptions(),
        engine.targetReports(),
        remediation.activeAlerts(),
        notes);
  }

  /** The nanosecond ticker of this loop (for tests). */
  public long now() {
    return ticker.getAsLong();
  }

  /** Stops probing and the loop thread; waits up to five seconds. Idempotent. */
  @Override
  public void close() {
    if (ticking != null) {
      ticking.cancel(false);
    }
    loop.shutdownNow();
    try {
      if (!loop.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.log(System.Logger.Level.WARNING, "the check loop did not stop within 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
