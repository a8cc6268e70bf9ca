package dev.lifeline.testkit;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One apiserver stand-in of a {@link FakeControlPlane}: its own loopback address, the shared port,
 * the shared store. Faults and lifecycle changes apply at once and are safe to call from any
 * thread.
 */
public interface ApiServerInstance {
  /** Lifecycle states. */
  enum State {
    /** Serving. */
    RUNNING,
    /**
     * Graceful shutdown in progress: out of the endpoints, {@code /readyz} failing, still serving.
     */
    TERMINATING,
    /** Stopped gracefully; {@link #restart()} brings it back. */
    STOPPED,
    /** Crashed; {@link #restart()} brings it back. */
    CRASHED
  }

  /** The position in {@link FakeControlPlane#instances()}, from 0. */
  int index();

  /** The instance's address, for example 127.0.0.2. */
  InetAddress address();

  /** The port every instance shares. */
  int port();

  /** {@code address:port}. */
  InetSocketAddress socketAddress();

  /** {@code https://<address>:<port>}. */
  URI url();

  /** The current lifecycle state. */
  State state();

  /** Whether {@code /readyz} passes (running and not shutting down). */
  boolean isReady();

  /**
   * When this instance's lease in the lease endpoint reconciler expires (it renews it every
   * reconcile interval while running and not blackholed), or empty while it holds none.
   */
  Optional<Instant> endpointLeaseExpiry();

  /**
   * Injects a fault. A blackhole or reset replaces a previous blackhole or reset; latency and error
   * responses add to what is active. Faults stay until {@link #restore()}.
   *
   * @throws org.opentest4j.TestAbortedException for {@link DropMode#REAL_DROPS_REQUIRED} without
   *     root, unless {@code LIFELINE_REQUIRE_ROOT_TESTS=1}, in which case an {@link AssertionError}
   */
  void inject(Fault fault);

  /** The faults in effect, oldest first. */
  List<Fault> activeFaults();

  /** Whether packets to and from this instance are being dropped by iptables right now. */
  boolean isDroppingPackets();

  /**
   * Flaps: healthy for {@code up}, then {@code downFault} for {@code down}, repeatedly, until
   * {@link #restore()}. Starts with the up phase.
   */
  void flap(Duration up, Duration down, Fault downFault);

  /**
   * Removes every fault and stops flapping. A crashed or stopped instance stays down (see {@link
   * #restart()}).
   */
  void restore();

  /**
   * Crashes: the listener closes, every connection is reset as by {@link Fault#reset()} (no GOAWAY,
   * no close_notify), the endpoint lease is left to expire.
   */
  void crash();

  /**
   * Stops gracefully, as a kube-apiserver on SIGTERM: removes itself from the {@code kubernetes}
   * endpoints, fails {@code /readyz}, keeps serving for the shutdown delay, then stops accepting,
   * sends GOAWAY, ends watches, lets in-flight requests finish and closes. Returns when closed.
   */
  void stopGracefully();

  /**
   * Starts a graceful stop and returns at once; the future completes when the instance is closed.
   */
  CompletableFuture<Void> stopGracefullyAsync();

  /**
   * Starts a crashed or stopped instance again on the same address and port; it rejoins the
   * endpoints.
   */
  void restart();

  /** The requests answered, oldest first (bounded; see the builder's request log capacity). */
  List<RequestRecord> requestLog();

  /** Forgets the request log. */
  void clearRequestLog();

  /** Open client connections (TCP). */
  int openConnections();

  /** Open watch streams. */
  int openWatches();

  /** Requests being answered now (watches not counted). */
  int inFlightRequests();

  /** The remote addresses of the open client connections. */
  List<InetSocketAddress> connectedClients();
}
