package dev.lifeline.testkit.internal.control;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeline.testkit.ApiServerInstance;
import dev.lifeline.testkit.DropMode;
import dev.lifeline.testkit.Fault;
import dev.lifeline.testkit.KubeApiException;
import dev.lifeline.testkit.RequestRecord;
import dev.lifeline.testkit.RootRequirement;
import dev.lifeline.testkit.internal.api.Json;
import dev.lifeline.testkit.internal.api.ResourceType;
import dev.lifeline.testkit.internal.server.ApiLogic;
import dev.lifeline.testkit.internal.server.InstanceRuntime;
import dev.lifeline.testkit.internal.server.InstanceServer;
import dev.lifeline.testkit.internal.server.WatchSession;
import dev.lifeline.testkit.internal.store.ObjectStore;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One apiserver stand-in: its listener, lifecycle, faults, endpoint lease, identity lease and
 * request log. Lifecycle and fault changes are serialized by one lock; the request path reads
 * volatile state only.
 */
final class RealInstance implements ApiServerInstance, InstanceRuntime {
  private static final System.Logger LOG = System.getLogger(RealInstance.class.getName());

  /**
   * Event loop threads per instance. Each instance has its own group, as each real apiserver is its
   * own process: a burst on one (TLS handshakes, a restore's backlog) does not delay another's
   * answers. Two threads keep the footprint small while HTTP/2 and TLS of one connection never wait
   * behind another's.
   */
  static final int IO_THREADS =
      Math.min(2, Math.max(1, Runtime.getRuntime().availableProcessors()));

  private final int index;
  private final InetAddress address;
  private final String ip;
  private final SharedParts parts;
  private final NamedThreads ioThreads;
  private final NioEventLoopGroup io;
  private final InstanceServer server;
  private final Object lock = new Object();
  private final ArrayDeque<RequestRecord> log = new ArrayDeque<>();
  private final Set<WatchSession> watches = ConcurrentHashMap.newKeySet();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final CopyOnWriteArrayList<Fault> errorFaults = new CopyOnWriteArrayList<>();
  private final String identityLeaseName;
  private final String hostname;

  private volatile int port;
  private volatile State state = State.STOPPED;
  private volatile Fault connectionFault;
  private volatile boolean realDrops;
  private volatile Fault latency;
  private volatile CompletableFuture<Void> stopping;
  private volatile String holderIdentity;
  private ScheduledFuture<?> reconcileTask;
  private ScheduledFuture<?> identityTask;
  private ScheduledFuture<?> flapTask;
  private long flapGeneration;

  RealInstance(int index, InetAddress address, SharedParts parts) {
    this.index = index;
    this.address = address;
    this.ip = address.getHostAddress();
    this.parts = parts;
    this.hostname = "lifeline-apiserver-" + index;
    this.identityLeaseName = "apiserver-" + sha256(hostname).substring(0, 26);
    ApiLogic logic =
        new ApiLogic(
            parts.store(),
            parts.users(),
            parts.settings(),
            parts.eviction(),
            parts.podLogs(),
            parts.tokens(),
            this,
            () -> ip + ":" + port);
    // Threads start on first use, so an instance that is never bound costs only its selectors.
    this.ioThreads = new NamedThreads(parts.threadPrefix() + "-apiserver-" + index);
    this.io = new NioEventLoopGroup(IO_THREADS, ioThreads);
    this.server = new InstanceServer(address, io, parts.tls(), logic);
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  // ------------------------------------------------------------------ lifecycle

  /** Binds the listener; 0 picks a port. */
  int bind(int requested) throws BindException {
    int bound = server.bind(requested);
    this.port = bound;
    return bound;
  }

  void unbindQuietly() {
    server.unbind();
  }

  /** Starts serving after every instance has bound: joins the endpoints at once. */
  void start() {
    synchronized (lock) {
      state = State.RUNNING;
      holderIdentity = identityLeaseName + "_" + UUID.randomUUID();
      Duration interval = parts.settings().reconcileInterval();
      reconcileTask =
          parts
              .scheduler()
              .scheduleAtFixedRate(
                  this::reconcileTick,
                  interval.toNanos(),
                  interval.toNanos(),
                  TimeUnit.NANOSECONDS);
      if (parts.settings().identityLeases()) {
        Duration renew = parts.settings().identityLeaseRenewInterval();
        identityTask =
            parts
                .scheduler()
                .scheduleAtFixedRate(
                    this::identityTick, renew.toNanos(), renew.toNanos(), TimeUnit.NANOSECONDS);
      }
    }
    reconcileTick();
    identityTick();
  }

  @Override
  public Optional<Instant> endpointLeaseExpiry() {
    return parts.reconciler().leaseExpiry(ip);
  }

  private boolean renewsLease() {
    Fault c = connectionFault;
    return state == State.RUNNING && (c == null || c.kind() != Fault.Kind.BLACKHOLE);
  }

  private void reconcileTick() {
    try {
      if (renewsLease()) {
        parts.reconciler().renewAndReconcile(ip);
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "endpoint reconcile of " + ip + " failed", e);
    }
  }

  private void identityTick() {
    if (!parts.settings().identityLeases() || !renewsLease()) {
      return;
    }
    try {
      ObjectStore store = parts.store();
      ResourceType leases =
          store.registry().byKind("coordination.k8s.io/v1", "Lease").orElseThrow();
      ObjectNode lease = Json.object();
      lease.put("apiVersion", "coordination.k8s.io/v1");
      lease.put("kind", "Lease");
      ObjectNode meta = lease.putObject("metadata");
      meta.put("name", identityLeaseName);
      meta.put("namespace", "kube-system");
      ObjectNode labels = meta.putObject("labels");
      labels.put("apiserver.kubernetes.io/identity", "kube-apiserver");
      labels.put("kubernetes.io/hostname", hostname);
      ObjectNode spec = lease.putObject("spec");
      spec.put("holderIdentity", holderIdentity);
      spec.put("leaseDurationSeconds", 3600);
      spec.put(
          "renewTime",
          DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
              .withZone(java.time.ZoneOffset.UTC)
              .format(parts.settings().clock().instant().truncatedTo(ChronoUnit.MICROS)));
      if (store.get(leases, "kube-system", identityLeaseName).isPresent()) {
        store.update(
            leases, "kube-system", identityLeaseName, lease, ObjectStore.Scope.WHOLE, false);
      } else {
        store.create(leases, "kube-system", lease, false);
      }
    } catch (KubeApiException | IllegalStateException e) {
      LOG.log(System.Logger.Level.DEBUG, "identity lease of " + ip + " not renewed", e);
    }
  }

  @Override
  public void crash() {
    synchronized (lock) {
      if (state == State.CRASHED || state == State.STOPPED) {
        return;
      }
      state = State.CRASHED;
      server.unbind();
      server.resetConnections();
    }
  }

  @Override
  public void stopGracefully() {
    CompletableFuture<Void> f = stopGracefullyAsync();
    Duration limit =
        parts
            .settings()
            .shutdownDelay()
            .plus(parts.settings().shutdownGracePeriod())
            .plusSeconds(10);
    try {
      f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while instance " + index + " was stopping", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "graceful stop of instance " + index + " failed", e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "instance "
              + index
              + " did not stop within "
              + limit
              + " (shutdown delay + grace + 10 s)",
          e);
    }
  }

  @Override
  public CompletableFuture<Void> stopGracefullyAsync() {
    CompletableFuture<Void> f;
    synchronized (lock) {
      if (state == State.TERMINATING) {
        return stopping;
      }
      if (state != State.RUNNING) {
        return CompletableFuture.completedFuture(null);
      }
      state = State.TERMINATING;
      f = new CompletableFuture<>();
      stopping = f;
    }
    try {
      parts.reconciler().removeAndReconcile(ip);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "removing " + ip + " from the endpoints failed", e);
    }
    parts
        .scheduler()
        .schedule(() -> drain(f), parts.settings().shutdownDelay().toNanos(), TimeUnit.NANOSECONDS);
    return f;
  }

  private void drain(CompletableFuture<Void> f) {
    try {
      synchronized (lock) {
        if (state != State.TERMINATING) {
          f.complete(null);
          return;
        }
        server.unbind();
        server.goAway();
      }
      for (WatchSession w : List.copyOf(watches)) {
        w.end(true);
      }
      long deadline = System.nanoTime() + parts.settings().shutdownGracePeriod().toNanos();
      waitForInFlight(f, deadline);
    } catch (RuntimeException e) {
      f.completeExceptionally(e);
    }
  }

  private void waitForInFlight(CompletableFuture<Void> f, long deadline) {
    if (inFlight.get() > 0 && System.nanoTime() < deadline) {
      parts.scheduler().schedule(() -> waitForInFlight(f, deadline), 10, TimeUnit.MILLISECONDS);
      return;
    }
    synchronized (lock) {
      server.closeConnections();
      if (state == State.TERMINATING) {
        state = State.STOPPED;
      }
    }
    f.complete(null);
  }

  @Override
  public void restart() {
    synchronized (lock) {
      if (state != State.CRASHED && state != State.STOPPED) {
        throw new IllegalStateException(
            "instance "
                + index
                + " ("
                + ip
                + ") is "
                + state
                + "; only a crashed or stopped instance can restart");
      }
      Fault c = connectionFault;
      if (c == null || c.kind() != Fault.Kind.RESET) {
        rebind();
      }
      state = State.RUNNING;
      holderIdentity = identityLeaseName + "_" + UUID.randomUUID();
    }
    reconcileTick();
    identityTick();
  }

  private void rebind() {
    BindException last = null;
    for (int attempt = 0; attempt < 50; attempt++) {
      try {
        server.bind(port);
        return;
      } catch (BindException e) {
        last = e;
        try {
          Thread.sleep(20);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    throw new IllegalStateException(
        "instance " + index + " could not listen on " + ip + ":" + port + " again", last);
  }

  /** Stops everything for good (control plane close). */
  void shutdown() {
    synchronized (lock) {
      stopFlapping();
      if (reconcileTask != null) {
        reconcileTask.cancel(false);
      }
      if (identityTask != null) {
        identityTask.cancel(false);
      }
      clearConnectionFault(false);
      server.unbind();
      for (WatchSession w : List.copyOf(watches)) {
        w.end(true);
      }
      server.closeConnections();
      state = State.STOPPED;
    }
    io.shutdownGracefully(0, 2, TimeUnit.SECONDS);
  }

  /**
   * Waits until the event loops stopped by {@link #shutdown()} have terminated and their threads
   * exited, at most {@code limit}.
   *
   * @return whether they did
   */
  boolean awaitShutdown(Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    io.terminationFuture().awaitUninterruptibly(limit.toMillis());
    // Termination is reported from inside the last thread; close() promises the threads are gone.
    return ioThreads.awaitExit(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
  }

  // ------------------------------------------------------------------ faults

  @Override
  public void inject(Fault fault) {
    Objects.requireNonNull(fault, "fault");
    synchronized (lock) {
      apply(fault);
    }
  }

  private void apply(Fault fault) {
    switch (fault.kind()) {
      case BLACKHOLE -> {
        boolean real = useRealDrops(fault.dropMode());
        clearConnectionFault(true);
        if (real) {
          parts.iptables().drop(ip, port);
          realDrops = true;
        } else {
          server.setUserSpaceBlackhole(true);
        }
        connectionFault = fault;
      }
      case RESET -> {
        clearConnectionFault(true);
        connectionFault = fault;
        server.unbind();
        server.resetConnections();
      }
      case LATENCY -> latency = fault;
      case ERRORS -> errorFaults.add(fault);
      default -> throw new IllegalArgumentException("unknown fault " + fault);
    }
  }

  private static boolean useRealDrops(DropMode mode) {
    return switch (mode) {
      case REAL_DROPS_REQUIRED -> {
        RootRequirement.require(
            "dropping packets with iptables (blackhole with DropMode.REAL_DROPS_REQUIRED)",
            "iptables");
        yield true;
      }
      case BEST_AVAILABLE -> RootRequirement.isRoot() && RootRequirement.hasCommand("iptables");
      case USER_SPACE -> false;
    };
  }

  private void clearConnectionFault(boolean rebindAfterReset) {
    Fault c = connectionFault;
    if (c == null) {
      return;
    }
    connectionFault = null;
    if (c.kind() == Fault.Kind.BLACKHOLE) {
      if (realDrops) {
        parts.iptables().undrop(ip, port);
        realDrops = false;
      } else {
        server.setUserSpaceBlackhole(false);
      }
    } else if (c.kind() == Fault.Kind.RESET
        && rebindAfterReset
        && (state == State.RUNNING || state == State.TERMINATING)) {
      rebind();
    }
  }

  private void remove(Fault fault) {
    switch (fault.kind()) {
      case BLACKHOLE, RESET -> {
        if (connectionFault == fault) {
          clearConnectionFault(true);
        }
      }
      case LATENCY -> {
        if (latency == fault) {
          latency = null;
        }
      }
      case ERRORS -> errorFaults.remove(fault);
      default -> throw new IllegalArgumentException("unknown fault " + fault);
    }
  }

  @Override
  public List<Fault> activeFaults() {
    List<Fault> out = new ArrayList<>();
    Fault c = connectionFault;
    if (c != null) {
      out.add(c);
    }
    Fault l = latency;
    if (l != null) {
      out.add(l);
    }
    out.addAll(errorFaults);
    return out;
  }

  @Override
  public boolean isDroppingPackets() {
    return realDrops;
  }

  @Override
  public void flap(Duration up, Duration down, Fault downFault) {
    Objects.requireNonNull(downFault, "downFault");
    if (up == null || up.isNegative() || up.isZero()) {
      throw new IllegalArgumentException("flap up duration must be positive, was " + up);
    }
    if (down == null || down.isNegative() || down.isZero()) {
      throw new IllegalArgumentException("flap down duration must be positive, was " + down);
    }
    if (downFault.kind() == Fault.Kind.BLACKHOLE
        && downFault.dropMode() == DropMode.REAL_DROPS_REQUIRED) {
      RootRequirement.require("flapping with real packet drops", "iptables");
    }
    synchronized (lock) {
      stopFlapping();
      long generation = ++flapGeneration;
      scheduleDown(generation, up, down, downFault);
    }
  }

  private void scheduleDown(long generation, Duration up, Duration down, Fault downFault) {
    flapTask =
        parts
            .scheduler()
            .schedule(
                () -> {
                  synchronized (lock) {
                    if (generation != flapGeneration) {
                      return;
                    }
                    apply(downFault);
                    flapTask =
                        parts
                            .scheduler()
                            .schedule(
                                () -> {
                                  synchronized (lock) {
                                    if (generation != flapGeneration) {
                                      return;
                                    }
                                    remove(downFault);
                                    scheduleDown(generation, up, down, downFault);
                                  }
                                },
                                down.toNanos(),
                                TimeUnit.NANOSECONDS);
                  }
                },
                up.toNanos(),
                TimeUnit.NANOSECONDS);
  }

  private void stopFlapping() {
    flapGeneration++;
    if (flapTask != null) {
      flapTask.cancel(false);
      flapTask = null;
    }
  }

  @Override
  public void restore() {
    synchronized (lock) {
      stopFlapping();
      clearConnectionFault(true);
      latency = null;
      errorFaults.clear();
    }
  }

  // ------------------------------------------------------------------ InstanceRuntime

  @Override
  public boolean isTerminating() {
    return state == State.TERMINATING;
  }

  @Override
  public Duration responseDelay() {
    Fault l = latency;
    return l == null ? Duration.ZERO : l.delay();
  }

  @Override
  public Duration watchEventDelay() {
    Fault l = latency;
    return l == null || !l.delaysWatchEvents() ? Duration.ZERO : l.delay();
  }

  @Override
  public Optional<Fault> errorFaultFor(String path) {
    for (Fault f : errorFaults) {
      boolean pathMatches = f.pathPattern() == null || f.pathPattern().matcher(path).find();
      if (pathMatches && (f.share() >= 1 || ThreadLocalRandom.current().nextDouble() < f.share())) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  @Override
  public void record(RequestRecord record) {
    synchronized (log) {
      if (log.size() >= parts.settings().requestLogCapacity()) {
        log.removeFirst();
      }
      log.addLast(record);
    }
  }

  @Override
  public void requestStarted() {
    inFlight.incrementAndGet();
  }

  @Override
  public void requestFinished() {
    inFlight.decrementAndGet();
  }

  @Override
  public void watchStarted(WatchSession session) {
    watches.add(session);
  }

  @Override
  public void watchEnded(WatchSession session) {
    watches.remove(session);
  }

  // ------------------------------------------------------------------ ApiServerInstance

  @Override
  public int index() {
    return index;
  }

  @Override
  public InetAddress address() {
    return address;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public InetSocketAddress socketAddress() {
    return new InetSocketAddress(address, port);
  }

  @Override
  public URI url() {
    return URI.create("https://" + ip + ":" + port);
  }

  @Override
  public State state() {
    return state;
  }

  @Override
  public boolean isReady() {
    return state == State.RUNNING;
  }

  @Override
  public List<RequestRecord> requestLog() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  @Override
  public void clearRequestLog() {
    synchronized (log) {
      log.clear();
    }
  }

  @Override
  public int openConnections() {
    return server.connectionCount();
  }

  @Override
  public int openWatches() {
    return watches.size();
  }

  @Override
  public int inFlightRequests() {
    return inFlight.get();
  }

  @Override
  public List<InetSocketAddress> connectedClients() {
    return server.clients();
  }

  boolean servesClientPort(int port) {
    return server.servesClientPort(port);
  }

  @Override
  public String toString() {
    return "apiserver " + index + " at " + ip + ":" + port + " (" + state + ")";
  }
}
