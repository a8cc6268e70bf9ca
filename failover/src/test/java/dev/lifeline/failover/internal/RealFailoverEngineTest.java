package dev.lifeline.failover.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeline.failover.Endpoint;
import dev.lifeline.failover.EndpointState;
import dev.lifeline.failover.EndpointStatus;
import dev.lifeline.failover.FailoverConfig;
import dev.lifeline.failover.FailoverListener;
import dev.lifeline.failover.HostResolver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RealFailoverEngineTest {
  @TempDir Path dir;

  final LoopbackServers servers = new LoopbackServers();
  final ManualScheduler scheduler = new ManualScheduler();
  final FakeProber prober = new FakeProber();
  final TestDiscovery discovery = new TestDiscovery();
  final RecordingListener events = new RecordingListener();
  final List<Socket> sockets = new ArrayList<>();
  final List<RealFailoverEngine> engines = new ArrayList<>();
  Endpoint a;
  Endpoint b;
  RealFailoverEngine engine;

  @BeforeEach
  void setUp() throws IOException {
    List<Endpoint> endpoints = servers.acceptingOnOnePort("127.0.0.2", "127.0.0.3");
    a = endpoints.get(0);
    b = endpoints.get(1);
  }

  @AfterEach
  void tearDown() throws IOException {
    for (Socket socket : sockets) {
      socket.close();
    }
    engines.forEach(RealFailoverEngine::close);
    servers.close();
  }

  FailoverConfig.Builder config() {
    return FailoverConfig.builder(URI.create("https://apiserver.test:" + a.port()))
        .discovery(discovery)
        .listener(events)
        .seedResolver(host -> List.of(InetAddress.getByName("127.0.0.9")))
        .environment(Map.of());
  }

  RealFailoverEngine start(FailoverConfig.Builder config) {
    RealFailoverEngine started =
        new RealFailoverEngine(config.build(), scheduler, prober, new Random(5), Set.of());
    engines.add(started);
    started.begin();
    return started;
  }

  Socket connect() throws IOException {
    Socket socket = engine.socketFactory().createSocket();
    sockets.add(socket);
    socket.connect(InetSocketAddress.createUnresolved("apiserver.test", a.port()), 1_000);
    scheduler.runPending();
    return socket;
  }

  Endpoint endpointOf(Socket socket) {
    return ((TrackedSocket) socket).endpoint();
  }

  Endpoint other(Endpoint endpoint) {
    return endpoint.equals(a) ? b : a;
  }

  void advance(long millis) {
    scheduler.advance(Duration.ofMillis(millis));
  }

  @Test
  void discoveredEndpointsAreProbedAndComeUp() {
    engine = start(config());
    discovery.publish(a, b);
    scheduler.runPending();

    assertThat(engine.endpoints()).extracting(EndpointStatus::state).containsOnly(EndpointState.UP);
    assertThat(events.events)
        .contains("endpoints " + List.of(a, b) + " from test slice", "up " + a, "up " + b);
  }

  @Test
  void aBlackholedEndpointInUseIsDownWithinASecondAndItsConnectionsAreClosedAtOnce()
      throws IOException {
    engine = start(config());
    discovery.publish(a, b);
    scheduler.runPending();
    Socket socket = connect();
    Endpoint used = endpointOf(socket);
    advance(600);
    assertThat(engine.monitor().hasSession(used)).isTrue();

    prober.set(used, FakeProber.Mode.BLACKHOLE);
    long blackholedAt = scheduler.nanoTime();
    advance(750);

    assertThat(socket.isClosed()).isTrue();
    assertThat(events.events)
        .contains(
            "down "
                + used
                + ": no HTTP/2 PING ack within 500 ms, and no answer to a new TCP connection"
                + " within 250 ms",
            "closed 1 EVICTED " + used);
    assertThat(scheduler.nanoTime() - blackholedAt).isLessThanOrEqualTo(750_000_000L);
    Socket next = connect();
    assertThat(endpointOf(next)).isEqualTo(other(used));
    assertThat(events.events).contains("failover " + used + " -> " + other(used));
  }

  @Test
  void aClientsFirstConnectionWaitsForDiscoveryAndGoesToAnEndpointNotTheSeed() throws Exception {
    Endpoint seed = servers.accepting("127.0.0.9", a.port());
    engine = start(config());
    CompletableFuture<Socket> connecting = new CompletableFuture<>();
    Thread client =
        new Thread(
            () -> {
              try {
                Socket socket = engine.socketFactory().createSocket();
                sockets.add(socket);
                socket.connect(
                    InetSocketAddress.createUnresolved("apiserver.test", a.port()), 5_000);
                connecting.complete(socket);
              } catch (IOException | RuntimeException e) {
                connecting.completeExceptionally(e);
              }
            });
    client.start();
    await().until(() -> client.getState() == Thread.State.TIMED_WAITING);

    discovery.publish(a, b);

    Socket socket = connecting.get(5, TimeUnit.SECONDS);
    assertThat(endpointOf(socket)).isIn(a, b).isNotEqualTo(seed);
    assertThat(((TrackedSocket) socket).viaSeed()).isFalse();
  }

  @Test
  void aFailedFirstDiscoveryLetsConnectionsGoToTheSeedAtOnce() throws IOException {
    Endpoint seed = servers.accepting("127.0.0.9", a.port());
    engine = start(config().initialDiscoveryWait(Duration.ofMinutes(10)));
    discovery.context.failed("test slice", "forbidden");

    Socket socket = connect();

    assertThat(endpointOf(socket)).isEqualTo(seed);
    assertThat(((TrackedSocket) socket).viaSeed()).isTrue();
  }

  @Test
  void aConnectionThroughTheSeedIsClosedWhenAnyEndpointDiesAndAllAreWatchedMeanwhile()
      throws IOException {
    Endpoint seed = servers.accepting("127.0.0.9", a.port());
    engine = start(config().initialDiscoveryWait(Duration.ZERO));
    Socket socket = connect();
    assertThat(endpointOf(socket)).isEqualTo(seed);
    discovery.publish(a, b);
    scheduler.runPending();
    advance(600);
    socket.getOutputStream().write(new byte[100]);
    assertThat(engine.monitor().hasSession(a)).isTrue();
    assertThat(engine.monitor().hasSession(b)).isTrue();

    prober.set(b, FakeProber.Mode.BLACKHOLE);
    advance(750);

    assertThat(socket.isClosed()).isTrue();
    assertThat(events.events)
        .anySatisfy(
            e -> assertThat(e).startsWith("down " + b + ": no HTTP/2 PING ack within 500 ms"));
    assertThat(events.events).contains("closed 1 EVICTED " + seed);
  }

  @Test
  void aSeedThatIsAnEndpointIsThatEndpointNotAnyApiserver() throws IOException {
    engine =
        start(
            config()
                .initialDiscoveryWait(Duration.ZERO)
                .seedResolver(host -> List.of(a.address())));
    Socket socket = connect();
    assertThat(endpointOf(socket)).isEqualTo(a);
    discovery.publish(a, b);
    scheduler.runPending();

    advance(1_500);
    prober.set(b, FakeProber.Mode.BLACKHOLE);
    advance(750);

    assertThat(socket.isClosed()).isFalse();
    assertThat(events.events).noneMatch(e -> e.startsWith("closed"));
  }

  @Test
  void aConnectionThroughTheSeedIsReplacedAtItsFirstQuietMomentOnceAnEndpointIsUp()
      throws IOException {
    Endpoint seed = servers.accepting("127.0.0.9", a.port());
    engine = start(config().initialDiscoveryWait(Duration.ZERO));
    Socket socket = connect();
    discovery.publish(a, b);
    scheduler.runPending();
    for (int i = 0; i < 5; i++) {
      socket.getOutputStream().write(1);
      advance(500);
      assertThat(socket.isClosed()).isFalse();
    }

    advance(1_500);

    assertThat(socket.isClosed()).isTrue();
    assertThat(events.events).contains("closed 1 DRAINED " + seed);
    assertThat(endpointOf(connect())).isIn(a, b);
  }

  @Test
  void anEndpointLeavingTheSliceDrainsItsQuietConnectionsAndNewOnesGoElsewhere()
      throws IOException {
    engine = start(config());
    discovery.publish(a, b);
    scheduler.runPending();
    Socket socket = connect();
    Endpoint leaving = endpointOf(socket);

    discovery.publish(other(leaving));
    scheduler.runPending();
    assertThat(events.events).contains("draining " + leaving + ": left test slice");
    assertThat(socket.isClosed()).isFalse();
    assertThat(endpointOf(connect())).isEqualTo(other(leaving));

    advance(1_200);

    assertThat(socket.isClosed()).isTrue();
    assertThat(events.events).contains("closed 1 DRAINED " + leaving);
    assertThat(engine.endpoints())
        .extracting(EndpointStatus::endpoint)
        .containsExactly(other(leaving));
  }

  @Test
  void aDrainingConnectionThatNeverFallsQuietIsClosedAtTheMaximumDrainTime() throws IOException {
    engine = start(config().maxDrainTime(Duration.ofSeconds(5)));
    discovery.publish(a, b);
    scheduler.runPending();
    Socket socket = connect();
    Endpoint leaving = endpointOf(socket);

    discovery.publish(other(leaving));
    for (int i = 0; i < 49; i++) {
      advance(100);
      socket.getOutputStream().write(1);
    }
    assertThat(socket.isClosed()).isFalse();
    advance(200);

    assertThat(socket.isClosed()).isTrue();
    assertThat(events.events).contains("closed 1 DRAIN_TIMEOUT " + leaving);
  }

  @Test
  void aRefusedConnectProbesTheEndpointAtOnce() throws IOException {
    Endpoint dead = servers.refusing("127.0.0.4");
    engine = start(config().environment(Map.of("HOST_IP", "127.0.0.4")));
    discovery.publish(a, dead);
    scheduler.runPending();
    advance(10);
    int pings = prober.channel(dead).pings.size();
    prober.set(dead, FakeProber.Mode.REFUSED);

    Socket socket = connect();

    assertThat(endpointOf(socket)).isEqualTo(a);
    assertThat(prober.channel(dead).pings).hasSize(pings + 1);
    advance(500);
    assertThat(events.events)
        .contains(
            "down "
                + dead
                + ": no HTTP/2 PING ack within 500 ms, and a new TCP connection failed: Connection"
                + " refused");
  }

  @Test
  void afterTheTimeoutWithNothingReachableTheResolverFallsBackAndTheSetIsCleared()
      throws Exception {
    engine = start(config().timeout(Duration.ofSeconds(30)));
    discovery.publish(a, b);
    scheduler.runPending();
    prober.set(a, FakeProber.Mode.BLACKHOLE);
    prober.set(b, FakeProber.Mode.BLACKHOLE);
    engine.monitor().probeNow(a);
    engine.monitor().probeNow(b);
    scheduler.runPending();
    HostResolver dns = host -> List.of(InetAddress.getByName("127.0.0.9"));
    assertThat(engine.resolve("apiserver.test", dns)).hasSize(2);

    advance(31_000);

    assertThat(engine.endpoints()).isEmpty();
    assertThat(engine.resolve("apiserver.test", dns))
        .containsExactly(InetAddress.getByName("127.0.0.9"));
    assertThat(events.events).contains("dns apiserver.test TIMEOUT");
  }

  @Test
  void theLastGoodSetIsPersistedAndBootstrapsTheNextProcess() throws Exception {
    Path file = dir.resolve("endpoints");
    engine = start(config().endpointsFile(file));
    discovery.publish(a, b);
    scheduler.runPending();

    assertThat(Files.readString(file)).contains(a.toString(), b.toString());

    TestDiscovery silent = new TestDiscovery();
    RealFailoverEngine restarted = start(config().discovery(silent).endpointsFile(file));
    scheduler.runPending();
    assertThat(restarted.endpoints())
        .extracting(EndpointStatus::endpoint)
        .containsExactlyInAnyOrder(a, b);
    assertThat(events.events).contains("endpoints " + List.of(a, b) + " from file " + file);
  }

  @Test
  void anEmptySetFromDiscoveryIsIgnored() {
    engine = start(config());
    discovery.publish(a, b);
    discovery.publish();
    discovery.context.failed("test slice", "403 Forbidden");
    scheduler.runPending();

    assertThat(engine.endpoints()).hasSize(2);
    assertThat(events.events).contains("discovery failed test slice: 403 Forbidden");
  }

  @Test
  void aNewEndpointTakesConnectionsOnlyAfterTheDebounce() throws IOException {
    Endpoint c = servers.accepting("127.0.0.4", a.port());
    engine = start(config().debounce(Duration.ofSeconds(5)));
    discovery.publish(a, b);
    scheduler.runPending();

    discovery.publish(a, b, c);
    scheduler.runPending();
    assertThat(engine.endpoints()).hasSize(2);
    advance(5_000);

    assertThat(engine.endpoints()).extracting(EndpointStatus::endpoint).contains(c);
  }

  @Test
  void hostIpMakesItsEndpointFirst() throws IOException {
    engine = start(config().environment(Map.of("HOST_IP", "127.0.0.3")));
    discovery.publish(a, b);
    scheduler.runPending();

    assertThat(engine.endpoints().get(0).endpoint()).isEqualTo(b);
    assertThat(engine.endpoints().get(0).sameNode()).isTrue();
    assertThat(endpointOf(connect())).isEqualTo(b);
  }

  @Test
  void aThrowingListenerDoesNotStopTheOthers() {
    engine =
        start(
            config()
                .listener(
                    new FailoverListener() {
                      @Override
                      public void endpointUp(Endpoint endpoint) {
                        throw new IllegalStateException("listener bug");
                      }
                    }));
    RecordingListener late = new RecordingListener();
    engine.addListener(late);
    discovery.publish(a);
    scheduler.runPending();

    assertThat(late.events).contains("up " + a);
  }

  @Test
  void closeStopsDiscoveryAndIsIdempotent() {
    engine = start(config());
    discovery.publish(a);

    engine.close();
    engine.close();

    assertThat(discovery.closed).isTrue();
    assertThat(scheduler.pendingTimers()).isZero();
  }

  @Test
  void statusShowsConnectionsLastWorkingAndLatency() throws IOException {
    engine = start(config());
    discovery.publish(a, b);
    scheduler.runPending();
    Endpoint used = endpointOf(connect());

    EndpointStatus status = engine.endpoints().get(0);

    assertThat(status.endpoint()).isEqualTo(used);
    assertThat(status.lastWorking()).isTrue();
    assertThat(status.connections()).isEqualTo(1);
    assertThat(status.latency()).isPresent();
  }

  @Test
  void goingAwayWithBrokenConnectionsIsDeathNotADrain() throws IOException {
    engine = start(config());
    discovery.publish(a, b);
    scheduler.runPending();
    Socket socket = connect();
    Endpoint used = endpointOf(socket);

    engine.connectionFailed(used, new java.net.SocketException("Connection reset"));
    engine.goingAway(used, "closed its connection with GOAWAY and refuses new ones");
    scheduler.runPending();

    assertThat(engine.table().stateOf(used)).contains(EndpointState.DOWN);
    assertThat(socket.isClosed()).isTrue();
  }

  @Test
  void aConnectionBreakingWhileGoingAwayIsDeath() throws IOException {
    engine = start(config());
    discovery.publish(a, b);
    scheduler.runPending();
    Socket socket = connect();
    Endpoint used = endpointOf(socket);

    engine.goingAway(used, "closed its connection with GOAWAY and refuses new ones");
    assertThat(engine.table().stateOf(used)).contains(EndpointState.DRAINING);
    engine.connectionFailed(used, new java.net.SocketException("Connection reset"));
    scheduler.runPending();

    assertThat(engine.table().stateOf(used)).contains(EndpointState.DOWN);
    assertThat(events.events).anyMatch(e -> e.startsWith("down " + used + ": a connection broke"));
  }

  @Test
  void anEndpointTheResolverAnsweredFirstIsPingedAndAChangeIsAFailover() throws Exception {
    engine = start(config());
    discovery.publish(a, b);
    scheduler.runPending();
    HostResolver dns = host -> List.of(InetAddress.getByName("127.0.0.9"));

    Endpoint answered = new Endpoint(engine.resolve("apiserver.test", dns).get(0), a.port());
    advance(300);
    assertThat(engine.monitor().hasSession(answered)).isTrue();

    prober.set(answered, FakeProber.Mode.BLACKHOLE);
    advance(800);
    assertThat(engine.resolve("apiserver.test", dns).get(0)).isEqualTo(other(answered).address());
    scheduler.runPending();
    assertThat(events.events).contains("failover " + answered + " -> " + other(answered));
  }
}
