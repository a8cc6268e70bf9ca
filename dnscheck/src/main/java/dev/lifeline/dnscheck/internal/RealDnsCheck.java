package dev.lifeline.dnscheck.internal;

import dev.lifeline.client.KubeClient;
import dev.lifeline.client.model.ObjectReference;
import dev.lifeline.dnscheck.DeploymentMode;
import dev.lifeline.dnscheck.DnsCheck;
import dev.lifeline.dnscheck.DnsCheckConfig;
import dev.lifeline.dnscheck.DnsCheckException;
import dev.lifeline.dnscheck.DnsCheckListener;
import dev.lifeline.dnscheck.DnsCheckReport;
import dev.lifeline.dnscheck.internal.cluster.ApiEventSink;
import dev.lifeline.dnscheck.internal.cluster.ApiLeaseStore;
import dev.lifeline.dnscheck.internal.cluster.ApiPodRestarter;
import dev.lifeline.dnscheck.internal.cluster.ClusterDiscovery;
import dev.lifeline.dnscheck.internal.cluster.DiscoveryException;
import dev.lifeline.dnscheck.internal.cluster.DnsTopology;
import dev.lifeline.dnscheck.internal.engine.CheckLoop;
import dev.lifeline.dnscheck.internal.engine.ModeSetup;
import dev.lifeline.dnscheck.internal.engine.SafeListener;
import dev.lifeline.dnscheck.internal.leader.LeaderElector;
import dev.lifeline.dnscheck.internal.metrics.MetricsServer;
import dev.lifeline.dnscheck.internal.metrics.PrometheusMetrics;
import dev.lifeline.dnscheck.internal.mode.ClientForwarder;
import dev.lifeline.dnscheck.internal.mode.HelperPods;
import dev.lifeline.dnscheck.internal.mode.ModeSelector;
import dev.lifeline.dnscheck.internal.mode.PodNetworkProbe;
import dev.lifeline.dnscheck.internal.mode.PortForwards;
import dev.lifeline.dnscheck.internal.probe.DnsProber;
import dev.lifeline.dnscheck.internal.remediation.EventSink;
import dev.lifeline.dnscheck.internal.remediation.PodRestarter;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * The checker assembled: prober, discovery, mode, check loop, remediation, leader election and
 * metrics, started in that order and closed in the reverse.
 */
public final class RealDnsCheck implements DnsCheck {
  private static final System.Logger LOG = System.getLogger(RealDnsCheck.class.getName());
  private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(30);

  private final Deque<AutoCloseable> resources;
  private final CheckLoop loop;
  private final ModeSetup mode;
  private final BooleanSupplier leader;
  private final MetricsServer metricsServer;

  private RealDnsCheck(
      Deque<AutoCloseable> resources,
      CheckLoop loop,
      ModeSetup mode,
      BooleanSupplier leader,
      MetricsServer metricsServer) {
    this.resources = resources;
    this.loop = loop;
    this.mode = mode;
    this.leader = leader;
    this.metricsServer = metricsServer;
  }

  public static DnsCheck start(
      DnsCheckConfig config, KubeClient client, DnsCheckListener listener) {
    Deque<AutoCloseable> resources = new ArrayDeque<>();
    try {
      Parts parts = parts(config, client, resources);
      PrometheusMetrics metrics = new PrometheusMetrics();
      metrics.worstCaseDetectionSeconds(config.worstCaseSilentDetection().toNanos() / 1e9);
      DnsCheckListener listeners = new SafeListener(List.of(metrics, listener));
      ExecutorService remediation = singleThread("lifeline-dnscheck-remediation");
      resources.push(remediation::shutdownNow);
      LeaderElector elector = null;
      BooleanSupplier leads = () -> true;
      if (config.leaderElect() && parts.mode.remediationAllowed()) {
        elector =
            new LeaderElector(
                new ApiLeaseStore(client, config.leaseNamespace(), config.leaseName()),
                config.identity(),
                config.leaseDuration(),
                config.renewDeadline(),
                config.retryPeriod(),
                System::nanoTime,
                Clock.systemUTC(),
                metrics::leader);
        resources.push(elector);
        leads = elector::isLeader;
      } else {
        metrics.leader(true);
      }
      ClusterDiscovery discovery = parts.discovery;
      PodRestarter restarter =
          new ApiPodRestarter(client, config.restartMethod(), remediation, leads);
      EventSink events =
          new ApiEventSink(
              client,
              remediation,
              config.identity(),
              Clock.systemUTC(),
              () -> serviceReference(discovery.current().service()));
      CheckLoop loop =
          new CheckLoop(
              config,
              false,
              parts.mode,
              discovery::current,
              restarter,
              events,
              leads,
              listeners,
              System::nanoTime,
              Clock.systemUTC());
      resources.push(loop);
      MetricsServer server = null;
      if (config.metricsAddress().isPresent()) {
        server = MetricsServer.start(config.metricsAddress().get(), metrics.registry());
        resources.push(server);
      }
      if (elector != null) {
        elector.start();
      }
      loop.start();
      LOG.log(
          System.Logger.Level.INFO,
          "dnscheck started in mode "
              + parts.mode.mode().label()
              + " ("
              + parts.mode.reason()
              + "); a silent pod is judged failing within "
              + config.worstCaseSilentDetection().toMillis()
              + " ms"
              + (config.dryRun() ? "; dry run: nothing is restarted" : ""));
      return new RealDnsCheck(resources, loop, parts.mode, leads, server);
    } catch (RuntimeException | Error e) {
      closeAll(resources, e);
      throw translate(e);
    }
  }

  public static DnsCheckReport once(
      DnsCheckConfig config, KubeClient client, DnsCheckListener listener) {
    Deque<AutoCloseable> resources = new ArrayDeque<>();
    try {
      Parts parts = parts(config, client, resources);
      CheckLoop loop =
          new CheckLoop(
              config,
              true,
              parts.mode,
              parts.discovery::current,
              pod -> {
                throw new IllegalStateException("a one-shot run restarts nothing");
              },
              EventSink.NONE,
              () -> false,
              new SafeListener(List.of(listener)),
              System::nanoTime,
              Clock.systemUTC());
      resources.push(loop);
      Duration limit =
          parts.mode.isBatch()
              ? config.helperTimeout().plusSeconds(30)
              : config
                  .interval()
                  .multipliedBy(config.onceRounds())
                  .plus(config.timeout().multipliedBy(2L * (config.retries() + 1)))
                  .plusSeconds(10);
      try {
        return loop.runOnce(config.onceRounds()).get(limit.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        while (cause instanceof java.util.concurrent.CompletionException
            && cause.getCause() != null) {
          cause = cause.getCause();
        }
        if (cause instanceof DnsCheckException || cause instanceof DiscoveryException) {
          throw (RuntimeException) cause;
        }
        throw new DnsCheckException(
            DnsCheckException.Kind.FAILED,
            cause.getMessage() == null ? cause.toString() : cause.getMessage(),
            cause);
      } catch (TimeoutException e) {
        throw new DnsCheckException(
            DnsCheckException.Kind.FAILED,
            "the probes did not finish within " + limit.toSeconds() + " s",
            e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DnsCheckException(DnsCheckException.Kind.FAILED, "interrupted", e);
      }
    } catch (RuntimeException | Error e) {
      throw translate(e);
    } finally {
      closeAll(resources, null);
    }
  }

  /** What both modes share: the prober, the discovery and the chosen mode. */
  private record Parts(ClusterDiscovery discovery, ModeSetup mode) {}

  private static Parts parts(
      DnsCheckConfig config, KubeClient client, Deque<AutoCloseable> resources) {
    DnsProber prober;
    try {
      prober = DnsProber.start();
    } catch (IOException e) {
      throw new DnsCheckException(
          DnsCheckException.Kind.FAILED, "cannot open a selector: " + e.getMessage(), e);
    }
    resources.push(prober);
    ClusterDiscovery discovery = ClusterDiscovery.start(client, config, SYNC_TIMEOUT);
    resources.push(discovery);
    ExecutorService helper = singleThread("lifeline-dnscheck-helper-pod");
    resources.push(helper::shutdownNow);
    PortForwards forwards = new PortForwards(config, prober, new ClientForwarder(client));
    resources.push(forwards);
    DnsTopology topology = discovery.current();
    ModeSetup mode =
        new ModeSelector(
                config,
                client,
                prober,
                ModeSelector.runsInPod(System.getenv()),
                new PodNetworkProbe(config, prober),
                new HelperPods(config, client, helper),
                forwards)
            .select(topology);
    for (String line : mode.selection()) {
      LOG.log(System.Logger.Level.INFO, "mode selection: " + line);
    }
    return new Parts(discovery, mode);
  }

  private static ObjectReference serviceReference(DnsTopology.DnsService s) {
    return new ObjectReference(
        "Service", s.namespace(), s.name(), s.uid().isEmpty() ? null : s.uid(), "v1", null, null);
  }

  private static ExecutorService singleThread(String name) {
    return Executors.newSingleThreadExecutor(
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }

  private static RuntimeException translate(Throwable e) {
    if (e instanceof DnsCheckException d) {
      return d;
    }
    if (e instanceof DiscoveryException d) {
      DnsCheckException.Kind kind =
          switch (d.kind()) {
            case NOT_FOUND -> DnsCheckException.Kind.NOT_FOUND;
            case FORBIDDEN -> DnsCheckException.Kind.FORBIDDEN;
            case UNREACHABLE -> DnsCheckException.Kind.UNREACHABLE;
            case API_ERROR -> DnsCheckException.Kind.FAILED;
          };
      return new DnsCheckException(kind, d.getMessage(), d);
    }
    if (e instanceof java.io.UncheckedIOException u) {
      return new DnsCheckException(DnsCheckException.Kind.FAILED, u.getMessage(), u);
    }
    if (e instanceof RuntimeException r) {
      return r;
    }
    throw (Error) e;
  }

  private static void closeAll(Deque<AutoCloseable> resources, Throwable primary) {
    while (!resources.isEmpty()) {
      AutoCloseable c = resources.pop();
      try {
        c.close();
      } catch (Exception e) {
        if (primary != null) {
          primary.addSuppressed(e);
        } else {
          LOG.log(System.Logger.Level.WARNING, "closing " + c + " failed", e);
        }
      }
    }
  }

  @Override
  public DnsCheckReport report() {
    return loop.report();
  }

  @Override
  public DeploymentMode mode() {
    return mode.mode();
  }

  @Override
  public boolean isLeader() {
    return leader.getAsBoolean();
  }

  @Override
  public OptionalInt metricsPort() {
    return metricsServer == null ? OptionalInt.empty() : OptionalInt.of(metricsServer.port());
  }

  @Override
  public synchronized void close() {
    closeAll(resources, null);
  }
}
