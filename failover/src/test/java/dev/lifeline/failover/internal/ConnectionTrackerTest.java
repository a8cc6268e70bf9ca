package dev.lifeline.failover.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.failover.Endpoint;
import dev.lifeline.failover.FailoverListener.CloseReason;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConnectionTrackerTest {
  final LoopbackServers servers = new LoopbackServers();
  final AtomicLong now = new AtomicLong(1_000_000);
  final ConnectionTracker tracker = new ConnectionTracker();
  final List<String> signals = new ArrayList<>();
  final List<Socket> sockets = new ArrayList<>();
  Endpoint endpoint;
  FailoverSocketFactory factory;

  @BeforeEach
  void setUp() throws IOException {
    endpoint = servers.accepting("127.0.0.2");
    Dialer dialer =
        (target, timeout, attempts) -> {
          Socket socket = new Socket();
          attempts.prepare(socket);
          socket.connect(target, timeout);
          return new Dialer.Dialed(
              socket, target.equals(endpoint.socketAddress()) ? endpoint : null);
        };
    factory = new FailoverSocketFactory(dialer, tracker, now::get);
    tracker.observer(
        new ConnectionTracker.Observer() {
          @Override
          public void inUseChanged() {
            signals.add("in use " + tracker.endpointsInUse());
          }

          @Override
          public void connectionFailed(Endpoint e, IOException cause) {
            signals.add("failed " + e);
          }
        });
  }

  @AfterEach
  void tearDown() throws IOException {
    for (Socket socket : sockets) {
      socket.close();
    }
    servers.close();
  }

  Socket connect() throws IOException {
    Socket socket = factory.createSocket();
    sockets.add(socket);
    socket.connect(endpoint.socketAddress(), 1_000);
    return socket;
  }

  void advanceMillis(long millis) {
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
  }

  Socket serverSide(int index) {
    org.awaitility.Awaitility.await().until(() -> servers.accepted.size() > index);
    return servers.accepted.get(index);
  }

  @Test
  void optionsSetBeforeConnectApplyToTheConnectedSocket() throws IOException {
    Socket socket = factory.createSocket();
    sockets.add(socket);
    socket.setSoTimeout(1234);
    socket.setTcpNoDelay(true);
    socket.setKeepAlive(true);
    assertThat(socket.getSoTimeout()).isEqualTo(1234);
    assertThat(socket.isConnected()).isFalse();

    socket.connect(endpoint.socketAddress(), 1_000);

    assertThat(socket.isConnected()).isTrue();
    assertThat(socket.getSoTimeout()).isEqualTo(1234);
    assertThat(socket.getTcpNoDelay()).isTrue();
    assertThat(socket.getKeepAlive()).isTrue();
    assertThat(socket.getInetAddress()).isEqualTo(InetAddress.getByName("127.0.0.2"));
    assertThat(socket.getPort()).isEqualTo(endpoint.port());
  }

  @Test
  void connectionsAreCountedByEndpointUntilClosed() throws IOException {
    Socket first = connect();
    Socket second = connect();
    assertThat(tracker.count(endpoint)).isEqualTo(2);
    assertThat(signals).containsExactly("in use [" + endpoint + "]");

    first.close();
    first.close();
    second.getOutputStream().close();

    assertThat(tracker.count(endpoint)).isZero();
    assertThat(tracker.endpointsInUse()).isEmpty();
    assertThat(signals).last().isEqualTo("in use []");
  }

  @Test
  void aConnectionToAnotherAddressIsNotTracked() throws IOException {
    Endpoint other = servers.accepting("127.0.0.3");
    Socket socket = factory.createSocket();
    sockets.add(socket);
    socket.connect(new InetSocketAddress(other.address(), other.port()));

    assertThat(tracker.count(other)).isZero();
    assertThat(signals).isEmpty();
  }

  @Test
  void evictionClosesEveryConnectionAtOnceAndABlockedReadFails() throws Exception {
    Socket socket = connect();
    connect();
    InputStream in = socket.getInputStream();
    var read =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              try {
                return in.read();
              } catch (IOException e) {
                return e;
              }
            });

    assertThat(tracker.evict(endpoint)).isEqualTo(2);

    assertThat(read.get(2, TimeUnit.SECONDS)).isInstanceOf(SocketException.class);
    assertThat(socket.isClosed()).isTrue();
    assertThat(tracker.count(endpoint)).isZero();
    assertThat(signals).doesNotContain("failed " + endpoint);
    assertThatThrownBy(socket::getInputStream).isInstanceOf(SocketException.class);
  }

  @Test
  void aResetSeenByTheClientIsReportedAsAPassiveSignal() throws Exception {
    Socket socket = connect();
    Socket server = serverSide(0);
    server.setSoLinger(true, 0);
    server.close();

    assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(IOException.class);
    assertThat(signals).contains("failed " + endpoint);
  }

  @Test
  void aWriteIsUnansweredUntilABytesComesBack() throws Exception {
    Socket socket = connect();
    Socket server = serverSide(0);
    TrackedSocket tracked = (TrackedSocket) socket;
    assertThat(tracked.hasUnansweredWrite()).isFalse();
    advanceMillis(100);

    socket.getOutputStream().write(new byte[] {1, 2});
    assertThat(tracked.hasUnansweredWrite()).isTrue();
    server.getOutputStream().write(3);
    assertThat(socket.getInputStream().read()).isEqualTo(3);

    assertThat(tracked.hasUnansweredWrite()).isFalse();
  }

  @Test
  void aSmallWriteRightAfterAReadIsAnAcknowledgementNotARequest() throws Exception {
    Socket socket = connect();
    Socket server = serverSide(0);
    TrackedSocket tracked = (TrackedSocket) socket;
    advanceMillis(100);
    server.getOutputStream().write(new byte[] {1});
    assertThat(socket.getInputStream().read()).isEqualTo(1);

    socket.getOutputStream().write(new byte[31]);
    assertThat(tracked.hasUnansweredWrite()).isFalse();

    advanceMillis(60);
    socket.getOutputStream().write(new byte[31]);
    assertThat(tracked.hasUnansweredWrite()).isTrue();
  }

  @Test
  void aStalledWriteIsReportedOnceAfterTheThreshold() throws Exception {
    Socket socket = connect();
    advanceMillis(100);
    socket.getOutputStream().write(1);

    advanceMillis(999);
    assertThat(tracker.stalled(now.get(), TimeUnit.SECONDS.toNanos(1))).isEmpty();
    advanceMillis(1);
    assertThat(tracker.stalled(now.get(), TimeUnit.SECONDS.toNanos(1))).containsExactly(endpoint);
    assertThat(tracker.stalled(now.get(), TimeUnit.SECONDS.toNanos(1))).isEmpty();

    socket.getOutputStream().write(2);
    advanceMillis(1_000);
    assertThat(tracker.stalled(now.get(), TimeUnit.SECONDS.toNanos(1))).containsExactly(endpoint);
  }

  @Test
  void drainingClosesQuietConnectionsAndWaitsForBusyOnes() throws Exception {
    Socket quiet = connect();
    Socket busy = connect();
    long quietNanos = TimeUnit.MILLISECONDS.toNanos(250);
    tracker.startDrain(endpoint, now.get() + TimeUnit.SECONDS.toNanos(30));

    advanceMillis(100);
    busy.getOutputStream().write(1);
    assertThat(tracker.drainPass(now.get(), quietNanos)).isEmpty();

    advanceMillis(200);
    List<ConnectionTracker.Closed> closed = tracker.drainPass(now.get(), quietNanos);

    assertThat(closed)
        .containsExactly(new ConnectionTracker.Closed(endpoint, 1, CloseReason.DRAINED));
    assertThat(quiet.isClosed()).isTrue();
    assertThat(busy.isClosed()).isFalse();
    assertThat(tracker.isDraining(endpoint)).isTrue();

    advanceMillis(2_000);
    assertThat(tracker.drainPass(now.get(), quietNanos)).isEmpty();
    assertThat(busy.isClosed()).isFalse();

    // Three seconds without an answer: not a request in flight but a write that wants none.
    advanceMillis(1_000);
    assertThat(tracker.drainPass(now.get(), quietNanos))
        .containsExactly(new ConnectionTracker.Closed(endpoint, 1, CloseReason.DRAINED));
    assertThat(busy.isClosed()).isTrue();
  }

  @Test
  void aBusyConnectionIsClosedAtTheDrainDeadline() throws Exception {
    Socket busy = connect();
    tracker.startDrain(endpoint, now.get() + TimeUnit.SECONDS.toNanos(3));
    for (int i = 0; i < 29; i++) {
      advanceMillis(100);
      busy.getOutputStream().write(1);
      assertThat(tracker.drainPass(now.get(), TimeUnit.MILLISECONDS.toNanos(250))).isEmpty();
    }
    advanceMillis(100);

    assertThat(tracker.drainPass(now.get(), 1))
        .containsExactly(new ConnectionTracker.Closed(endpoint, 1, CloseReason.DRAIN_TIMEOUT));
    assertThat(busy.isClosed()).isTrue();
    assertThat(tracker.isDraining(endpoint)).isFalse();
  }

  @Test
  void aConnectionThatAnsweredIsQuietOnceSilent() throws Exception {
    Socket socket = connect();
    Socket server = serverSide(0);
    advanceMillis(100);
    socket.getOutputStream().write(1);
    server.getOutputStream().write(2);
    assertThat(socket.getInputStream().read()).isEqualTo(2);
    tracker.startDrain(endpoint, now.get() + TimeUnit.SECONDS.toNanos(30));

    advanceMillis(300);

    assertThat(tracker.drainPass(now.get(), TimeUnit.MILLISECONDS.toNanos(250))).hasSize(1);
    assertThat(socket.isClosed()).isTrue();
  }
}
