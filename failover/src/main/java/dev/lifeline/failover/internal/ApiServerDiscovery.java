package dev.lifeline.failover.internal;

import dev.lifeline.client.Informer;
import dev.lifeline.client.InformerListener;
import dev.lifeline.client.KubeApiException;
import dev.lifeline.client.KubeClient;
import dev.lifeline.client.KubeConfig;
import dev.lifeline.client.KubeException;
import dev.lifeline.client.ListOptions;
import dev.lifeline.client.ResourceHandler;
import dev.lifeline.client.ResourceType;
import dev.lifeline.client.TlsMaterial;
import dev.lifeline.client.model.EndpointSlice;
import dev.lifeline.client.model.Endpoints;
import dev.lifeline.client.model.GenericObject;
import dev.lifeline.failover.DiscoveredEndpoint;
import dev.lifeline.failover.EndpointDiscovery;
import dev.lifeline.failover.HostResolver;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Discovers the apiservers from the cluster with the light client, connecting through the engine.
 *
 * <p>Sources, in order: a watch of the {@code kubernetes} EndpointSlices in {@code default}; if
 * they cannot be read (403 or 404 before the first list), a watch of the {@code kubernetes}
 * Endpoints object; if neither can be read, nothing, retried every 5 minutes. While a source can be
 * listed but its watches keep failing with an answer from the server (a proxy that does not stream,
 * a missing watch permission), it is polled every {@code period} for 10 minutes, then watched
 * again. Connection failures never change the source: the engine is failing over and the informer
 * resumes from its last resource version.
 *
 * <p>Informer callbacks run on the informer's thread; source changes run on one discovery thread.
 */
public final class ApiServerDiscovery implements EndpointDiscovery {
  private static final System.Logger LOG = System.getLogger(ApiServerDiscovery.class.getName());
  private static final String NAMESPACE = "default";
  private static final String SERVICE = "kubernetes";
  private static final String SLICE_SELECTOR = EndpointSlice.SERVICE_NAME_LABEL + "=" + SERVICE;
  private static final Duration UNREADABLE_RETRY = Duration.ofMinutes(5);
  private static final Duration POLLING_SPELL = Duration.ofMinutes(10);
  private static final Duration GOOD_WATCH = Duration.ofSeconds(10);
  private static final int WATCH_ERRORS_BEFORE_POLLING = 3;
  private static final ResourceType<GenericObject> NODES =
      ResourceType.generic("", "v1", "nodes", "Node", false);
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  /** Where endpoints are read from. */
  private enum Kind {
    SLICES("EndpointSlice"),
    ENDPOINTS("Endpoints");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  private final KubeConfig kubeConfig;
  private final ForwardingSocketFactory sockets = new ForwardingSocketFactory();
  private volatile HostResolver dns = HostResolver.SYSTEM;
  private final KubeClient client;
  private final ScheduledExecutorService executor;

  private Context context;
  private Informer<?> informer;
  private Kind kind = Kind.SLICES;
  private boolean polling;
  private long pollingUntilNanos;
  private int generation;
  private boolean closed;

  private ApiServerDiscovery(KubeConfig kubeConfig) {
    this.kubeConfig = kubeConfig;
    KubeClient.Builder builder = KubeClient.builder(kubeConfig);
    if (kubeConfig.proxyUrl() == null) {
      builder.socketFactory(sockets).dns(host -> dns.resolve(host));
    }
    this.client = builder.build();
    int id = INSTANCES.incrementAndGet();
    ScheduledThreadPoolExecutor pool =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread thread = new Thread(runnable, "lifeline-discovery-" + id);
              thread.setDaemon(true);
              return thread;
            });
    pool.setRemoveOnCancelPolicy(true);
    pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.executor = pool;
  }

  /** Builds the discovery client for {@code config} (connections go nowhere until started). */
  public static ApiServerDiscovery create(KubeConfig config) {
    return new ApiServerDiscovery(config);
  }

  /** The TLS the discovery client uses: the probes use exactly the same. */
  public TlsMaterial tls() {
    return client.tls();
  }

  @Override
  public void start(Context context) {
    synchronized (this) {
      this.context = context;
    }
    if (kubeConfig.proxyUrl() != null) {
      LOG.log(
          Level.INFO,
          () ->
              "proxy-url is set: endpoint discovery goes through the proxy, which chooses the"
                  + " apiserver; connection-level failover does not apply to it");
    } else {
      sockets.delegate(context.socketFactory());
      dns = context.resolver();
    }
    execute(() -> watch(Kind.SLICES));
    context.config().nodeName().ifPresent(node -> execute(() -> readNodeAddresses(node)));
  }

  @Override
  public void close() {
    Informer<?> running;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      generation++;
      running = informer;
      informer = null;
    }
    executor.shutdownNow();
    if (running != null) {
      running.close();
    }
    client.close();
  }

  @Override
  public String toString() {
    return "kubernetes EndpointSlices of " + kubeConfig.server();
  }

  // ---- watching

  private void watch(Kind watched) {
    Informer<?> previous;
    int current;
    synchronized (this) {
      if (closed) {
        return;
      }
      previous = informer;
      informer = null;
      kind = watched;
      polling = false;
      current = ++generation;
    }
    if (previous != null) {
      previous.close();
    }
    Watcher watcher = new Watcher(watched, current);
    Informer<?> started =
        watched == Kind.SLICES
            ? client
                .informer(ResourceType.ENDPOINT_SLICE)
                .namespace(NAMESPACE)
                .labelSelector(SLICE_SELECTOR)
                .name("kubernetes EndpointSlices")
                .handler(watcher.handler())
                .listener(watcher)
                .start()
            : client
                .informer(ResourceType.ENDPOINTS)
                .namespace(NAMESPACE)
                .fieldSelector("metadata.name=" + SERVICE)
                .name("kubernetes Endpoints")
                .handler(watcher.handler())
                .listener(watcher)
                .start();
    watcher.informer = started;
    boolean stale;
    synchronized (this) {
      stale = closed || generation != current;
      if (!stale) {
        informer = started;
      }
    }
    if (stale) {
      started.close();
    }
  }

  /** Follows one informer; ignores everything once a newer source took over. */
  private final class Watcher implements InformerListener {
    final Kind watched;
    final int id;
    volatile Informer<?> informer;
    volatile boolean synced;
    final AtomicInteger watchErrors = new AtomicInteger();

    Watcher(Kind watched, int id) {
      this.watched = watched;
      this.id = id;
    }

    <T> ResourceHandler<T> handler() {
      return new ResourceHandler<>() {
        @Override
        public void onAdd(T object, boolean isInInitialList) {
          if (!isInInitialList) {
            publish();
          }
        }

        @Override
        public void onUpdate(T oldObject, T newObject) {
          publish();
        }

        @Override
        public void onDelete(T object, boolean finalStateUnknown) {
          publish();
        }

        @Override
        public void onSynced() {
          synced = true;
          publish();
        }
      };
    }

    private boolean isCurrent() {
      synchronized (ApiServerDiscovery.this) {
        return !closed && generation == id;
      }
    }

    @SuppressWarnings("unchecked")
    private void publish() {
      Informer<?> running = informer;
      if (running == null || !synced || !isCurrent()) {
        return;
      }
      List<DiscoveredEndpoint> endpoints;
      if (watched == Kind.SLICES) {
        endpoints =
            EndpointTranslation.fromSlices(((Informer<EndpointSlice>) running).store().list());
      } else {
        endpoints = new ArrayList<>();
        for (Endpoints object : ((Informer<Endpoints>) running).store().list()) {
          endpoints.addAll(EndpointTranslation.fromEndpoints(object));
        }
      }
      context.publish(endpoints, watched.label + " watch");
    }

    @Override
    public void watchEnded(String name, int events, Duration lasted) {
      if (lasted.compareTo(GOOD_WATCH) >= 0) {
        watchErrors.set(0);
      }
    }

    @Override
    public void failed(String name, Throwable error) {
      if (!isCurrent()) {
        return;
      }
      if (!(error instanceof KubeApiException api)) {
        // No answer: the engine is failing over; the informer resumes where it was.
        LOG.log(Level.DEBUG, () -> name + " failed without an answer: " + error.getMessage());
        return;
      }
      String source = watched.label + " watch";
      context.failed(source, describe(api));
      if (!synced && (api.isForbidden() || api.isNotFound())) {
        execute(() -> unreadable(watched, api));
      } else if (synced && watchErrors.incrementAndGet() >= WATCH_ERRORS_BEFORE_POLLING) {
        execute(() -> startPolling(watched, id));
      }
    }
  }

  private void unreadable(Kind watched, KubeApiException error) {
    if (watched == Kind.SLICES) {
      LOG.log(
          Level.INFO,
          () ->
              "cannot read the kubernetes EndpointSlices in default ("
                  + error.code()
                  + "); reading the kubernetes Endpoints instead");
      watch(Kind.ENDPOINTS);
      return;
    }
    Informer<?> previous;
    synchronized (this) {
      if (closed) {
        return;
      }
      previous = informer;
      informer = null;
      generation++;
    }
    if (previous != null) {
      previous.close();
    }
    String message =
        "cannot read the kubernetes EndpointSlices nor Endpoints in namespace default ("
            + error.code()
            + "): grant get, list and watch on them (docs/failover.md, RBAC); until then"
            + " connections go to "
            + kubeConfig.server()
            + "; retrying in "
            + UNREADABLE_RETRY.toMinutes()
            + " min";
    LOG.log(Level.WARNING, message);
    context.failed("endpoint discovery", message);
    schedule(UNREADABLE_RETRY, () -> watch(Kind.SLICES));
  }

  // ---- polling

  private void startPolling(Kind polled, int watcherId) {
    Informer<?> previous;
    int current;
    synchronized (this) {
      if (closed || generation != watcherId) {
        return;
      }
      previous = informer;
      informer = null;
      polling = true;
      kind = polled;
      pollingUntilNanos = System.nanoTime() + POLLING_SPELL.toNanos();
      current = ++generation;
    }
    if (previous != null) {
      previous.close();
    }
    LOG.log(
        Level.WARNING,
        () ->
            "watching the kubernetes "
                + polled.label
                + " keeps failing while reading works; polling every "
                + context.config().period().toSeconds()
                + " s for "
                + POLLING_SPELL.toMinutes()
                + " min");
    poll(current);
  }

  private void poll(int pollId) {
    Kind polled;
    synchronized (this) {
      if (closed || generation != pollId || !polling) {
        return;
      }
      if (System.nanoTime() - pollingUntilNanos >= 0) {
        polled = kind;
        execute(() -> watch(polled));
        return;
      }
      polled = kind;
    }
    String source = polled.label + " poll";
    try {
      List<DiscoveredEndpoint> endpoints =
          polled == Kind.SLICES
              ? EndpointTranslation.fromSlices(
                  client
                      .list(
                          ResourceType.ENDPOINT_SLICE,
                          ListOptions.inNamespace(NAMESPACE).labelSelector(SLICE_SELECTOR))
                      .items())
              : client
                  .find(ResourceType.ENDPOINTS, NAMESPACE, SERVICE)
                  .map(EndpointTranslation::fromEndpoints)
                  .orElse(List.of());
      context.publish(endpoints, source);
    } catch (KubeApiException e) {
      context.failed(source, describe(e));
    } catch (KubeException e) {
      LOG.log(Level.DEBUG, () -> source + " failed without an answer: " + e.getMessage());
    }
    long period = context.config().period().toNanos();
    long jittered = (long) (period * (0.9 + 0.2 * ThreadLocalRandom.current().nextDouble()));
    schedule(Duration.ofNanos(jittered), () -> poll(pollId));
  }

  // ---- node addresses

  private void readNodeAddresses(String node) {
    try {
      Optional<GenericObject> found = client.find(NODES, null, node);
      if (found.isEmpty()) {
        LOG.log(
            Level.WARNING,
            () ->
                "NODE_NAME="
                    + node
                    + " but no such Node exists; same-node preference uses local"
                    + " addresses and HOST_IP only");
        return;
      }
      List<InetAddress> addresses = new ArrayList<>();
      Object list = found.get().at("status", "addresses");
      if (list instanceof List<?> items) {
        for (Object item : items) {
          if (item instanceof Map<?, ?> entry && entry.get("address") instanceof String text) {
            IpLiterals.parse(text).ifPresent(addresses::add);
          }
        }
      }
      LOG.log(Level.DEBUG, () -> "Node " + node + " has addresses " + addresses);
      context.nodeAddresses(addresses);
    } catch (KubeApiException e) {
      if (e.isForbidden() || e.isUnauthorized()) {
        LOG.log(
            Level.INFO,
            () ->
                "NODE_NAME="
                    + node
                    + " is set but reading that Node is not permitted ("
                    + e.code()
                    + "); same-node preference uses local addresses and HOST_IP only (grant get"
                    + " on nodes, or set HOST_IP from status.hostIP)");
      } else {
        schedule(context.config().period(), () -> readNodeAddresses(node));
      }
    } catch (KubeException e) {
      schedule(context.config().period(), () -> readNodeAddresses(node));
    }
  }

  // ---- helpers

  private void execute(Runnable task) {
    try {
      executor.execute(guarded(task));
    } catch (java.util.concurrent.RejectedExecutionException closedAlready) {
      // Closing: nothing more to discover.
    }
  }

  private void schedule(Duration delay, Runnable task) {
    try {
      executor.schedule(guarded(task), delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException closedAlready) {
      // Closing: nothing more to discover.
    }
  }

  private static Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.log(Level.ERROR, "endpoint discovery task failed; discovery carries on", e);
      }
    };
  }

  private static String describe(KubeApiException e) {
    String message = e.getMessage();
    return message == null ? "HTTP " + e.code() : message;
  }
}
