package dev.lifeline.testkit.internal.control;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeline.testkit.ApiServerInstance;
import dev.lifeline.testkit.CertificateAuthority;
import dev.lifeline.testkit.FakeControlPlane;
import dev.lifeline.testkit.FakeStore;
import dev.lifeline.testkit.KubeconfigWriter;
import dev.lifeline.testkit.PodLogs;
import dev.lifeline.testkit.RequestRecord;
import dev.lifeline.testkit.RootRequirement;
import dev.lifeline.testkit.TestUser;
import dev.lifeline.testkit.internal.api.Json;
import dev.lifeline.testkit.internal.api.ResourceRegistry;
import dev.lifeline.testkit.internal.api.ResourceType;
import dev.lifeline.testkit.internal.auth.ServiceAccountTokens;
import dev.lifeline.testkit.internal.auth.UserRegistry;
import dev.lifeline.testkit.internal.faults.IptablesChain;
import dev.lifeline.testkit.internal.pki.Pki;
import dev.lifeline.testkit.internal.store.DisruptionController;
import dev.lifeline.testkit.internal.store.Eviction;
import dev.lifeline.testkit.internal.store.ObjectStore;
import dev.lifeline.testkit.internal.store.PodLogStore;
import dev.lifeline.testkit.internal.store.StoredObject;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The running fake control plane. Thread-safe. */
public final class RealControlPlane implements FakeControlPlane {
  private static final System.Logger LOG = System.getLogger(RealControlPlane.class.getName());
  private static final AtomicInteger IDS = new AtomicInteger();
  private static final int BIND_ATTEMPTS = 20;

  private final ControlPlaneSettings settings;
  private final String threadPrefix;
  private final Pki pki = new Pki();
  private final ObjectStore store;
  private final UserRegistry users;
  private final NamedThreads startupThreads;
  private final CompletableFuture<SslContext> servingTls;
  private final NamedThreads proxyThreads;
  private final NioEventLoopGroup proxyIo;
  private final NamedThreads controlThreads;
  private final ScheduledExecutorService scheduler;
  private final StoreEventDispatcher events;
  private final RealFakeStore facade;
  private final DisruptionController disruption;
  private final PodLogStore podLogs;
  private final List<RealInstance> instances = new ArrayList<>();
  private final ServiceListeners listeners;
  private volatile EndpointReconciler reconciler;
  private IptablesChain iptables;
  private int port;
  private volatile boolean closed;

  private RealControlPlane(ControlPlaneSettings settings) {
    this.settings = settings;
    this.threadPrefix = "lifeline-testkit-" + IDS.incrementAndGet();
    // The CA, the serving certificate and the TLS context take the larger part of a cold start;
    // they are made on a start-up thread while this one prepares the store and the event loops.
    this.startupThreads = new NamedThreads(threadPrefix + "-startup");
    this.servingTls = new CompletableFuture<>();
    startupThreads
        .newThread(
            () -> {
              try {
                servingTls.complete(servingTls());
              } catch (RuntimeException | Error e) {
                servingTls.completeExceptionally(e);
              }
            })
        .start();
    Random random =
        settings.randomSeed() == null ? new Random() : new Random(settings.randomSeed());
    this.store =
        new ObjectStore(
            ResourceRegistry.standard(),
            settings.clock(),
            settings.watchHistorySize(),
            settings.serviceCidr(),
            random);
    this.users = new UserRegistry(settings.users(), pki, settings.serviceAccountRules());
    // The ClusterIP listener and the load balancer stand for other processes (kube-proxy,
    // HAProxy): their own event loops, as each instance has its own.
    this.proxyThreads = new NamedThreads(threadPrefix + "-proxy");
    this.proxyIo = new NioEventLoopGroup(RealInstance.IO_THREADS, proxyThreads);
    this.controlThreads = new NamedThreads(threadPrefix + "-control");
    this.scheduler = Executors.newSingleThreadScheduledExecutor(controlThreads);
    this.events = new StoreEventDispatcher(store, threadPrefix + "-store-events");
    this.facade = new RealFakeStore(store, events);
    this.disruption = new DisruptionController(store, scheduler);
    this.podLogs = new PodLogStore(store);
    this.listeners = new ServiceListeners(settings, store, proxyIo);
  }

  /**
   * Starts a control plane.
   *
   * @throws IllegalStateException when it cannot start, with the reason
   */
  public static FakeControlPlane start(ControlPlaneSettings settings) {
    RealControlPlane cp = new RealControlPlane(settings);
    try {
      cp.startUp();
      return cp;
    } catch (RuntimeException e) {
      try {
        cp.close();
      } catch (RuntimeException closeFailure) {
        e.addSuppressed(closeFailure);
      }
      throw e;
    }
  }

  private void startUp() {
    if (!new dev.lifeline.testkit.internal.store.ClusterIpAllocator(
            settings.serviceCidr(), new Random())
        .contains(settings.clusterIp())) {
      throw new IllegalStateException(
          "clusterIp "
              + settings.clusterIp()
              + " is not inside serviceCidr "
              + settings.serviceCidr());
    }
    if (RootRequirement.isRoot() && RootRequirement.hasCommand("iptables")) {
      IptablesChain.removeStaleChains();
    }
    bootstrapObjects();
    disruption.start();
    SslContext tls = awaitServingTls();
    SharedParts parts =
        new SharedParts(
            settings,
            store,
            users,
            new Eviction(store),
            podLogs,
            new ServiceAccountTokens(store),
            threadPrefix,
            tls,
            scheduler,
            () -> reconciler,
            this::iptables);
    for (int i = 0; i < settings.addresses().size(); i++) {
      instances.add(new RealInstance(i, settings.addresses().get(i), parts));
    }
    this.port = bindAll(settings.port());
    this.reconciler =
        new EndpointReconciler(
            store, settings.clock(), settings.leaseTtl(), port, settings.clusterIp());
    for (RealInstance i : instances) {
      i.start();
    }
    listeners.start();
    // Seeds come after the instances created the kubernetes Service, so a seeded Service cannot
    // take its IP.
    for (Path p : settings.seedFiles()) {
      facade.seed(p);
    }
    for (String text : settings.seedTexts()) {
      facade.seed(text);
    }
    LOG.log(
        System.Logger.Level.DEBUG,
        () -> "fake control plane up: " + instances + " on port " + port);
  }

  private SslContext awaitServingTls() {
    try {
      return servingTls.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  private SslContext servingTls() {
    Set<String> dns = new LinkedHashSet<>();
    dns.add(settings.serverName());
    dns.add("kubernetes");
    dns.add("kubernetes.default");
    dns.add("kubernetes.default.svc");
    dns.add("kubernetes.default.svc.cluster.local");
    dns.add("localhost");
    Set<String> ips = new LinkedHashSet<>();
    for (InetAddress a : settings.addresses()) {
      ips.add(a.getHostAddress());
    }
    ips.add(settings.clusterIp());
    ips.addAll(ServiceListeners.certificateAddresses(settings));
    for (String extra : settings.extraCertificateNames()) {
      if (extra.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
        ips.add(extra);
      } else {
        dns.add(extra);
      }
    }
    dns.removeAll(settings.omittedCertificateNames());
    ips.removeAll(settings.omittedCertificateNames());
    Pki.ServingIdentity id = pki.issueServing("kube-apiserver", List.copyOf(dns), List.copyOf(ips));
    return dev.lifeline.testkit.internal.server.ServerTls.context(
        id.key(), id.certificate(), pki.certificate());
  }

  private void bootstrapObjects() {
    ResourceType ns = store.registry().byKind("v1", "Namespace").orElseThrow();
    for (String name : List.of("default", "kube-system", "kube-public", "kube-node-lease")) {
      ObjectNode n = Json.object();
      n.put("apiVersion", "v1");
      n.put("kind", "Namespace");
      n.putObject("metadata").put("name", name);
      store.create(ns, "", n, true);
    }
  }

  private int bindAll(int requested) {
    IllegalStateException failure = null;
    for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
      int bound = -1;
      try {
        bound = instances.get(0).bind(requested);
        for (int i = 1; i < instances.size(); i++) {
          instances.get(i).bind(bound);
        }
        listeners.bindLoadBalancer(settings.addresses(), bound);
        return bound;
      } catch (BindException e) {
        instances.forEach(RealInstance::unbindQuietly);
        listeners.unbindLoadBalancer();
        IllegalStateException attemptFailure =
            new IllegalStateException(
                "could not bind every instance on port "
                    + (bound < 0 ? requested : bound)
                    + ": "
                    + e.getMessage(),
                e);
        if (failure == null) {
          failure = attemptFailure;
        } else {
          failure.addSuppressed(attemptFailure);
        }
        if (requested != 0) {
          break;
        }
      }
    }
    throw new IllegalStateException(
        "the fake control plane could not listen on "
            + settings.addresses()
            + " port "
            + (requested == 0 ? "(ephemeral)" : requested)
            + "; is another control plane or process using it? Use ephemeralPort() in tests",
        failure);
  }

  private synchronized IptablesChain iptables() {
    if (iptables == null) {
      iptables = new IptablesChain();
    }
    return iptables;
  }

  // ------------------------------------------------------------------ FakeControlPlane

  @Override
  public List<ApiServerInstance> instances() {
    return List.copyOf(instances);
  }

  @Override
  public ApiServerInstance instance(int index) {
    if (index < 0 || index >= instances.size()) {
      throw new IndexOutOfBoundsException(
          "instance "
              + index
              + " does not exist; this control plane has "
              + instances.size()
              + " instances (0 to "
              + (instances.size() - 1)
              + ")");
    }
    return instances.get(index);
  }

  @Override
  public FakeStore store() {
    return facade;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public String serverName() {
    return settings.serverName();
  }

  @Override
  public String clusterIp() {
    return settings.clusterIp();
  }

  @Override
  public InetSocketAddress serviceAddress() {
    return listeners
        .serviceAddress()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "this control plane has no ClusterIP listener; build it with"
                        + " clusterIpListener(ClusterIpListener.CLUSTER_IP) or LOOPBACK"));
  }

  @Override
  public InetSocketAddress loadBalancerAddress() {
    return listeners
        .loadBalancerAddress()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "this control plane has no load balancer; build it with"
                        + " loadBalancer(LoadBalancerSpec.on(\"127.0.0.1\"))"));
  }

  @Override
  public PodLogs podLogs() {
    return podLogs;
  }

  @Override
  public CertificateAuthority ca() {
    return pki;
  }

  @Override
  public TestUser admin() {
    return user("admin");
  }

  @Override
  public TestUser user(String name) {
    return users
        .user(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no user " + name + "; the users are " + users.names()));
  }

  @Override
  public List<TestUser> users() {
    return users.all();
  }

  @Override
  public KubeconfigWriter kubeconfig() {
    return new KubeconfigWriter(this);
  }

  @Override
  public Optional<ApiServerInstance> instanceUsedBy(String userAgentPart) {
    ApiServerInstance best = null;
    Instant bestTime = Instant.MIN;
    for (RealInstance i : instances) {
      List<RequestRecord> log = i.requestLog();
      for (int k = log.size() - 1; k >= 0; k--) {
        RequestRecord r = log.get(k);
        if (r.userAgent().contains(userAgentPart)) {
          if (r.time().isAfter(bestTime)) {
            bestTime = r.time();
            best = i;
          }
          break;
        }
      }
    }
    return Optional.ofNullable(best);
  }

  @Override
  public Optional<ApiServerInstance> instanceServingClientPort(int clientPort) {
    for (RealInstance i : instances) {
      if (i.servesClientPort(clientPort)) {
        return Optional.of(i);
      }
    }
    Optional<InetSocketAddress> backend = listeners.backendOf(clientPort);
    if (backend.isPresent()) {
      for (RealInstance i : instances) {
        if (i.socketAddress().equals(backend.get())) {
          return Optional.of(i);
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public List<String> endpointAddresses() {
    ResourceType slices =
        store.registry().byKind("discovery.k8s.io/v1", "EndpointSlice").orElseThrow();
    Optional<StoredObject> slice =
        store.get(slices, EndpointReconciler.NAMESPACE, EndpointReconciler.SERVICE);
    List<String> out = new ArrayList<>();
    slice.ifPresent(
        s ->
            s.toTree()
                .path("endpoints")
                .forEach(e -> e.path("addresses").forEach(a -> out.add(a.asText()))));
    out.sort(Comparator.naturalOrder());
    return out;
  }

  @Override
  public ObjectNode setLoadBalancerIngress(String namespace, String service, String... ips) {
    for (String ip : ips) {
      if (ip == null || !(ip.matches("\\d{1,3}(\\.\\d{1,3}){3}") || ip.contains(":"))) {
        throw new IllegalArgumentException(
            "load balancer ingress must be IP literals, got '" + ip + "'");
      }
    }
    ResourceType services = store.registry().byKind("v1", "Service").orElseThrow();
    return store
        .patch(
            services,
            namespace,
            service,
            current -> {
              String type = current.path("spec").path("type").asText("ClusterIP");
              if (!type.equals("LoadBalancer")) {
                throw new IllegalArgumentException(
                    "service "
                        + namespace
                        + "/"
                        + service
                        + " is of type "
                        + type
                        + "; only a LoadBalancer Service gets a load balancer ingress");
              }
              ObjectNode balancer = current.withObjectProperty("status").putObject("loadBalancer");
              if (ips.length > 0) {
                var ingress = balancer.putArray("ingress");
                for (String ip : ips) {
                  ingress.addObject().put("ip", ip).put("ipMode", "VIP");
                }
              }
              return current;
            },
            ObjectStore.Scope.STATUS)
        .toTree();
  }

  @Override
  public void restoreAll() {
    for (RealInstance i : instances) {
      i.restore();
      if (i.state() == ApiServerInstance.State.TERMINATING) {
        i.stopGracefully();
      }
      if (i.state() == ApiServerInstance.State.CRASHED
          || i.state() == ApiServerInstance.State.STOPPED) {
        i.restart();
      }
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    RuntimeException failure = null;
    try {
      listeners.close();
    } catch (RuntimeException e) {
      failure = e;
    }
    for (RealInstance i : instances) {
      try {
        i.shutdown();
      } catch (RuntimeException e) {
        failure = accumulate(failure, e);
      }
    }
    disruption.stop();
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    proxyIo.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    events.close();
    // The instances' groups were stopped together by shutdown(); wait for them all at once.
    boolean exited = true;
    for (RealInstance i : instances) {
      exited &= i.awaitShutdown(Duration.ofSeconds(10));
    }
    // Termination is reported from inside the last thread; close() promises the threads are gone.
    if (!exited
        || !proxyThreads.awaitExit(Duration.ofSeconds(5))
        || !controlThreads.awaitExit(Duration.ofSeconds(5))
        || !startupThreads.awaitExit(Duration.ofSeconds(5))) {
      LOG.log(System.Logger.Level.WARNING, "some threads of " + threadPrefix + " did not exit");
    }
    synchronized (this) {
      if (iptables != null) {
        try {
          iptables.close();
        } catch (RuntimeException e) {
          failure = accumulate(failure, e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static RuntimeException accumulate(RuntimeException first, RuntimeException next) {
    if (first == null) {
      return next;
    }
    first.addSuppressed(next);
    return first;
  }

  @Override
  public String toString() {
    return "FakeControlPlane" + instances;
  }
}
