package dev.lifeline.failover.internal;

import dev.lifeline.failover.DiscoveredEndpoint;
import dev.lifeline.failover.Endpoint;
import dev.lifeline.failover.EndpointDiscovery;
import dev.lifeline.failover.EndpointState;
import dev.lifeline.failover.EndpointStatus;
import dev.lifeline.failover.FailoverConfig;
import dev.lifeline.failover.FailoverEngine;
import dev.lifeline.failover.FailoverListener;
import dev.lifeline.failover.FailoverListener.CloseReason;
import dev.lifeline.failover.HostResolver;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.SocketFactory;

/**
 * Wires the engine: the endpoint table, discovery, the health monitor, the dialer, the resolver and
 * the connection tracker, and acts on what each reports.
 *
 * <p>Every change goes through the {@link EndpointTable} first; the engine then acts on the
 * returned changes outside the table's monitor: events, eviction of a down endpoint's connections,
 * draining of a leaving one's, probes, and the endpoints file.
 */
public final class RealFailoverEngine
    implements FailoverEngine,
        HealthMonitor.Verdicts,
        FailoverDialer.Events,
        ConnectionTracker.Observer {
  private static final System.Logger LOG = System.getLogger(RealFailoverEngine.class.getName());
  private static final long MAINTENANCE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /** A connection failure this recent makes "going away" a death: graceful stops close cleanly. */
  private static final long RESET_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(5);

  /**
   * How long an endpoint the resolver answered first counts as in use: name-level clients keep
   * their connections for minutes, and the engine cannot see them.
   */
  private static final long ANSWERED_IN_USE_NANOS = TimeUnit.MINUTES.toNanos(5);

  private final FailoverConfig config;
  private final Scheduler scheduler;
  private final Listeners listeners;
  private final EndpointTable table;
  private final ConnectionTracker tracker = new ConnectionTracker();
  private final HealthMonitor monitor;
  private final NameResolver resolver;
  private final FailoverDialer dialer;
  private final SocketFactory socketFactory;
  private final SocketFactory discoverySocketFactory;
  private final EndpointsFile file;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Map<Endpoint, Long> lastConnectionFailure = new ConcurrentHashMap<>();
  private final Map<Endpoint, Long> answeredFirst = new ConcurrentHashMap<>();
  private final Object maintenanceLock = new Object();
  private final CountDownLatch firstDiscovery = new CountDownLatch(1);
  private Scheduler.Cancellable maintenance = Scheduler.Cancellable.NONE;
  private long lastMaintenanceNanos;

  /** Starts an engine on real threads and the real network. */
  public static FailoverEngine start(FailoverConfig config) {
    SystemScheduler scheduler = new SystemScheduler();
    RealFailoverEngine engine =
        new RealFailoverEngine(
            config,
            scheduler,
            new TlsProber(config, scheduler::execute),
            new Random(),
            config.detectLocalAddresses() ? LocalAddresses.detect() : Set.of());
    engine.begin();
    return engine;
  }

  RealFailoverEngine(
      FailoverConfig config,
      Scheduler scheduler,
      Prober prober,
      Random random,
      Set<InetAddress> localAddresses) {
    this.config = config;
    this.scheduler = scheduler;
    this.listeners = new Listeners(scheduler, config.listeners());
    Set<InetAddress> sameNode = new HashSet<>(localAddresses);
    sameNode.addAll(config.sameNodeAddresses());
    config.hostIp().ifPresent(sameNode::add);
    this.table = new EndpointTable(scheduler::nanoTime, config.debounce(), random, sameNode);
    this.monitor = new HealthMonitor(config, scheduler, prober, this, random);
    this.resolver =
        new NameResolver(
            config, table, scheduler::nanoTime, listeners, this::clearAfterTimeout, this::answered);
    this.dialer =
        new FailoverDialer(
            config, table, resolver, scheduler::nanoTime, this, this::awaitFirstDiscovery);
    this.socketFactory = new FailoverSocketFactory(dialer, tracker, scheduler::nanoTime);
    this.discoverySocketFactory =
        new FailoverSocketFactory(dialer.withoutDiscoveryWait(), tracker, scheduler::nanoTime);
    this.file =
        config.endpointsFile().map(path -> new EndpointsFile(path, config.server())).orElse(null);
    tracker.observer(this);
  }

  /** Reads the endpoints file, starts the maintenance timer and discovery. */
  void begin() {
    if (file != null) {
      List<Endpoint> persisted = file.read();
      if (!persisted.isEmpty()) {
        LOG.log(
            Level.INFO, () -> "starting from " + persisted.size() + " endpoints in " + file.path());
        act(table.bootstrap(persisted, "file " + file.path()));
        firstDiscovery.countDown();
      }
    }
    scheduleMaintenance();
    try {
      config.discovery().start(new Context());
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "endpoint discovery " + config.discovery() + " failed to start", e);
      listeners.discoveryFailed(String.valueOf(config.discovery()), String.valueOf(e.getMessage()));
      firstDiscovery.countDown();
    }
    if (config.discovery() instanceof FixedDiscovery) {
      // A fixed list publishes in start() or never.
      firstDiscovery.countDown();
    }
  }

  /** Waits at most {@code nanos} for discovery's first answer (a list, a failure, or close). */
  private void awaitFirstDiscovery(long nanos) throws InterruptedIOException {
    try {
      firstDiscovery.await(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the apiserver endpoints");
    }
  }

  // ---- FailoverEngine

  @Override
  public FailoverConfig config() {
    return config;
  }

  @Override
  public boolean owns(String host) {
    return resolver.owns(host);
  }

  @Override
  public List<InetAddress> resolve(String host, HostResolver fallback) throws UnknownHostException {
    return resolver.resolve(host, fallback);
  }

  @Override
  public List<InetAddress> resolveForSocketFactory(String host, HostResolver fallback)
      throws UnknownHostException {
    return resolver.resolveForDialer(host, fallback);
  }

  @Override
  public SocketFactory socketFactory() {
    return socketFactory;
  }

  @Override
  public List<EndpointStatus> endpoints() {
    return table.snapshot(tracker::count);
  }

  @Override
  public void addListener(FailoverListener listener) {
    listeners.add(listener);
  }

  @Override
  public void removeListener(FailoverListener listener) {
    listeners.remove(listener);
  }

  @Override
  public boolean isClosed() {
    return closed.get();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    firstDiscovery.countDown();
    try {
      config.discovery().close();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "endpoint discovery failed to close", e);
    }
    synchronized (maintenanceLock) {
      maintenance.cancel();
    }
    monitor.close();
    scheduler.close();
  }

  @Override
  public String toString() {
    return "FailoverEngine{" + config.server() + ", " + table.order() + "}";
  }

  // ---- discovery

  private final class Context implements EndpointDiscovery.Context {
    @Override
    public FailoverConfig config() {
      return config;
    }

    @Override
    public SocketFactory socketFactory() {
      return discoverySocketFactory;
    }

    @Override
    public HostResolver resolver() {
      return host -> resolveForSocketFactory(host, HostResolver.SYSTEM);
    }

    @Override
    public void publish(Collection<DiscoveredEndpoint> endpoints, String source) {
      if (closed.get()) {
        return;
      }
      EndpointTable.Changes changes = table.applyDiscovered(endpoints, source);
      if (changes == EndpointTable.Changes.NONE && !endpoints.isEmpty()) {
        boolean anyReady = endpoints.stream().anyMatch(DiscoveredEndpoint::ready);
        if (!anyReady) {
          LOG.log(
              Level.WARNING,
              () ->
                  source + " lists no ready endpoint; keeping the last good set " + table.listed());
        }
      } else if (endpoints.isEmpty()) {
        LOG.log(
            Level.WARNING, () -> source + " is empty; keeping the last good set " + table.listed());
      }
      act(changes);
      scheduleAdmission();
      firstDiscovery.countDown();
    }

    @Override
    public void failed(String source, String message) {
      LOG.log(
          Level.WARNING,
          () -> source + " failed: " + message + "; keeping the last good set " + table.listed());
      listeners.discoveryFailed(source, message);
      firstDiscovery.countDown();
    }

    @Override
    public void nodeAddresses(Collection<InetAddress> addresses) {
      table.addSameNodeAddresses(addresses);
      refresh();
    }
  }

  private void scheduleAdmission() {
    long delay = table.nanosUntilNextAdmission();
    if (delay >= 0) {
      scheduler.schedule(delay, () -> act(table.admitDue()));
    }
  }

  // ---- acting on changes

  private void act(EndpointTable.Changes changes) {
    if (changes.isEmpty()) {
      return;
    }
    for (EndpointTable.Transition transition : changes.transitions()) {
      onTransition(transition);
    }
    if (changes.setChanged()) {
      LOG.log(
          Level.INFO,
          () -> "apiserver endpoints from " + changes.source() + ": " + changes.listed());
      listeners.endpointsChanged(changes.listed(), changes.source());
      persist(changes.listed());
    }
    refresh();
  }

  private void onTransition(EndpointTable.Transition t) {
    Endpoint endpoint = t.endpoint();
    switch (t.to()) {
      case UP -> {
        tracker.stopDrain(endpoint);
        LOG.log(Level.INFO, () -> "apiserver endpoint " + endpoint + " is up");
        listeners.endpointUp(endpoint);
      }
      case DOWN -> {
        LOG.log(Level.WARNING, () -> "apiserver endpoint " + endpoint + " is down: " + t.reason());
        listeners.endpointDown(endpoint, t.reason());
        int evicted = tracker.evict(endpoint);
        if (evicted > 0) {
          LOG.log(Level.INFO, () -> "closed " + evicted + " connections to " + endpoint);
          listeners.connectionsClosed(endpoint, evicted, CloseReason.EVICTED);
        }
        evictSeedConnections(endpoint);
      }
      case DRAINING -> {
        LOG.log(Level.INFO, () -> "apiserver endpoint " + endpoint + " is draining: " + t.reason());
        listeners.endpointDraining(endpoint, t.reason());
        tracker.startDrain(endpoint, scheduler.nanoTime() + config.maxDrainTime().toNanos());
      }
      case UNKNOWN -> tracker.stopDrain(endpoint);
    }
  }

  /**
   * Seed addresses with open connections that may lead to any apiserver. A seed address that is
   * itself a known endpoint (a name resolving to one apiserver) is not: its connections are that
   * endpoint's, evicted and drained with it.
   */
  private Set<Endpoint> seedsInUse() {
    Set<Endpoint> seeds = tracker.seedsInUse();
    seeds.removeIf(table::contains);
    return seeds;
  }

  /**
   * Closes the connections made through the seed: the seed (a Service IP, a load balancer) may
   * forward them to {@code dead}, and nothing tells which apiserver they reached. One needless
   * reconnect for those that reached another costs less than a client stuck on a dead one.
   */
  private void evictSeedConnections(Endpoint dead) {
    for (Endpoint seed : seedsInUse()) {
      int evicted = tracker.evict(seed);
      if (evicted > 0) {
        LOG.log(
            Level.INFO,
            () ->
                "closed "
                    + evicted
                    + " connections made through the seed "
                    + seed
                    + ": they may lead to "
                    + dead);
        listeners.connectionsClosed(seed, evicted, CloseReason.EVICTED);
      }
    }
  }

  /**
   * Once an endpoint answers directly, connections made through the seed are replaced: they close
   * at their first quiet moment (no deadline: a busy one stays, and is still closed if any
   * apiserver dies).
   */
  private void drainSeedConnections(long now) {
    if (!table.anyUp()) {
      return;
    }
    for (Endpoint seed : seedsInUse()) {
      if (!tracker.isDraining(seed)) {
        tracker.startDrain(seed, now + Long.MAX_VALUE / 2);
      }
    }
  }

  private void persist(List<Endpoint> listed) {
    if (file == null || !table.isTrusted() || listed.isEmpty()) {
      return;
    }
    scheduler.execute(
        () -> {
          try {
            file.write(listed);
          } catch (IOException e) {
            if (!closed.get()) {
              LOG.log(Level.WARNING, () -> "cannot write endpoints file " + file.path() + ": " + e);
            }
          }
        });
  }

  /** Re-aligns the probes with the endpoints, their states and which are in use. */
  private void refresh() {
    if (closed.get()) {
      return;
    }
    Map<Endpoint, EndpointState> states = new LinkedHashMap<>();
    for (EndpointStatus status : table.snapshot(e -> 0)) {
      states.put(status.endpoint(), status.state());
    }
    Set<Endpoint> inUse = tracker.endpointsInUse();
    if (!seedsInUse().isEmpty()) {
      // A connection through the seed may lead to any of them: watch them all as closely.
      inUse.addAll(states.keySet());
    }
    table.preferred().ifPresent(inUse::add);
    long now = scheduler.nanoTime();
    answeredFirst.entrySet().removeIf(e -> now - e.getValue() > ANSWERED_IN_USE_NANOS);
    inUse.addAll(answeredFirst.keySet());
    inUse.retainAll(states.keySet());
    monitor.track(states, inUse);
  }

  private void clearAfterTimeout() {
    List<Endpoint> cleared = table.clear();
    if (!cleared.isEmpty()) {
      LOG.log(
          Level.WARNING,
          () ->
              "no apiserver endpoint reachable for "
                  + config.timeout().toSeconds()
                  + " s; forgot "
                  + cleared
                  + " and fall back to "
                  + config.host()
                  + " until discovery reads the endpoints again");
      refresh();
    }
  }

  private void scheduleMaintenance() {
    synchronized (maintenanceLock) {
      if (closed.get()) {
        return;
      }
      maintenance = scheduler.schedule(MAINTENANCE_NANOS, this::maintain);
    }
  }

  /** Drains, stall checks, forgetting drained endpoints, the timeout, the in-use linger. */
  private void maintain() {
    long now = scheduler.nanoTime();
    drainSeedConnections(now);
    for (ConnectionTracker.Closed closedConnections :
        tracker.drainPass(now, config.drainQuietPeriod().toNanos())) {
      listeners.connectionsClosed(
          closedConnections.endpoint(), closedConnections.count(), closedConnections.reason());
    }
    for (Endpoint stalled : tracker.stalled(now, config.stallThreshold().toNanos())) {
      probeNow(stalled);
    }
    boolean removed = false;
    for (Endpoint endpoint : table.order()) {
      if (tracker.count(endpoint) == 0 && !tracker.isDraining(endpoint)) {
        removed |= table.removeIfUnlisted(endpoint);
      }
    }
    resolver.checkTimeout();
    if (table.nanosUntilNextAdmission() == 0) {
      act(table.admitDue());
    }
    if (removed || now - lastMaintenanceNanos >= TimeUnit.SECONDS.toNanos(1)) {
      lastMaintenanceNanos = now;
      refresh();
    }
    scheduleMaintenance();
  }

  // ---- verdicts from the health monitor

  @Override
  public void reachable(Endpoint endpoint, long latencyNanos) {
    table.probeSucceeded(endpoint, latencyNanos);
    EndpointState state = table.stateOf(endpoint).orElse(null);
    if (state == EndpointState.UNKNOWN) {
      transition(table.up(endpoint));
    } else if (state == EndpointState.DOWN || state == EndpointState.DRAINING) {
      monitor.readmit(endpoint, true);
    }
  }

  @Override
  public void dead(Endpoint endpoint, String reason) {
    transition(table.down(endpoint, reason));
  }

  @Override
  public void goingAway(Endpoint endpoint, String reason) {
    Long failed = lastConnectionFailure.get(endpoint);
    if (failed != null && scheduler.nanoTime() - failed < RESET_WINDOW_NANOS) {
      // A graceful shutdown lets connections finish; one that also broke them has crashed.
      dead(endpoint, reason + ", and its connections were broken");
      return;
    }
    transition(table.draining(endpoint, reason));
  }

  @Override
  public void ready(Endpoint endpoint) {
    transition(table.up(endpoint));
  }

  @Override
  public void broken(Endpoint endpoint, IOException cause) {
    connectionFailed(endpoint, cause);
  }

  private void transition(EndpointTable.Transition t) {
    if (t != null) {
      onTransition(t);
      refresh();
    }
  }

  // ---- events from the resolver, the dialer and the tracked sockets

  /** The resolver answered with {@code endpoint} first: name-level clients will use it. */
  private void answered(Endpoint endpoint) {
    Long before = answeredFirst.put(endpoint, scheduler.nanoTime());
    Endpoint previous = table.answered(endpoint);
    if (previous != null && !previous.equals(endpoint)) {
      LOG.log(
          Level.INFO, () -> "failover: lookups now answer " + endpoint + " first, not " + previous);
      listeners.failover(previous, endpoint);
    }
    if (before == null) {
      refresh();
    }
  }

  @Override
  public void connected(Endpoint endpoint, long connectNanos) {
    Endpoint previous = table.connected(endpoint, connectNanos);
    if (previous != null && !previous.equals(endpoint)) {
      LOG.log(
          Level.INFO, () -> "failover: new connections go to " + endpoint + ", not " + previous);
      listeners.failover(previous, endpoint);
    }
    if (table.stateOf(endpoint).orElse(null) == EndpointState.DOWN) {
      // Postponed, not banned: a client needed it and it answered; check at once if it may come
      // back.
      monitor.readmit(endpoint, false);
    }
  }

  @Override
  public void connectFailed(Endpoint endpoint, IOException cause) {
    table.connectFailed(endpoint);
    monitor.probeNow(endpoint);
  }

  @Override
  public void seedUsed(InetSocketAddress seed, boolean hadEndpoints) {
    if (hadEndpoints) {
      LOG.log(
          Level.WARNING, () -> "every apiserver endpoint failed; connected to the seed " + seed);
      listeners.fallbackToSeed(seed);
    }
  }

  @Override
  public void inUseChanged() {
    refresh();
  }

  @Override
  public void connectionFailed(Endpoint endpoint, IOException cause) {
    if (tracker.isSeed(endpoint) && !table.contains(endpoint)) {
      probeNow(endpoint);
      return;
    }
    if (cause instanceof SocketTimeoutException) {
      // A client's read timeout: the server was slow to answer, or this process was too busy to
      // read in time. Nothing broke; the PING session tells whether the endpoint still answers.
      monitor.probeNow(endpoint);
      return;
    }
    lastConnectionFailure.put(endpoint, scheduler.nanoTime());
    if (table.stateOf(endpoint).orElse(null) == EndpointState.DRAINING) {
      dead(endpoint, "a connection broke while it was going away: " + cause.getMessage());
      return;
    }
    monitor.probeNow(endpoint);
  }

  /** Probes {@code endpoint} at once; for a seed address, every endpoint it may lead to. */
  private void probeNow(Endpoint endpoint) {
    if (tracker.isSeed(endpoint) && !table.contains(endpoint)) {
      table.order().forEach(monitor::probeNow);
    } else {
      monitor.probeNow(endpoint);
    }
  }

  // ---- for tests

  HealthMonitor monitor() {
    return monitor;
  }

  ConnectionTracker tracker() {
    return tracker;
  }

  EndpointTable table() {
    return table;
  }
}
