package dev.lifeline.failover.internal;

import dev.lifeline.failover.Endpoint;
import dev.lifeline.failover.FailoverConfig;
import dev.lifeline.failover.FailoverConnectException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The connection level (seed 003): connects to the best endpoint, then the others in order, then
 * the seed address, each attempt bounded by {@code connectTimeout} and all of them by {@code
 * dialTimeout} and the caller's timeout.
 *
 * <p>A target is "the server" when it is the URL's host name (resolved or not), the URL's IP, an
 * address the seed resolved to, on the URL's port; or any known endpoint. Anything else connects
 * plainly. Thread-safe.
 */
final class FailoverDialer implements Dialer {

  /** What the dialer reports to the engine. */
  interface Events {
    void connected(Endpoint endpoint, long connectNanos);

    void connectFailed(Endpoint endpoint, IOException cause);

    void seedUsed(InetSocketAddress seed, boolean hadEndpoints);
  }

  /** The engine's first discovery, which a client's first connections wait for. */
  interface FirstDiscovery {
    /** A gate that never waits. */
    FirstDiscovery NONE = nanos -> {};

    /**
     * Waits at most {@code nanos} until the first discovery has listed the endpoints or failed.
     *
     * @throws InterruptedIOException when interrupted (the flag is restored)
     */
    void await(long nanos) throws InterruptedIOException;
  }

  private final FailoverConfig config;
  private final EndpointTable table;
  private final NameResolver resolver;
  private final LongSupplier clock;
  private final Events events;
  private final FirstDiscovery firstDiscovery;
  private final Set<InetAddress> seedAddresses = java.util.concurrent.ConcurrentHashMap.newKeySet();

  FailoverDialer(
      FailoverConfig config,
      EndpointTable table,
      NameResolver resolver,
      LongSupplier clock,
      Events events) {
    this(config, table, resolver, clock, events, FirstDiscovery.NONE);
  }

  FailoverDialer(
      FailoverConfig config,
      EndpointTable table,
      NameResolver resolver,
      LongSupplier clock,
      Events events,
      FirstDiscovery firstDiscovery) {
    this.config = config;
    this.table = table;
    this.resolver = resolver;
    this.clock = clock;
    this.events = events;
    this.firstDiscovery = firstDiscovery;
    config.hostAddress().ifPresent(seedAddresses::add);
  }

  /** Whether a connect to {@code target} is a connect to the server. */
  boolean isServer(InetSocketAddress target) {
    InetAddress address = target.isUnresolved() ? null : target.getAddress();
    if (target.getPort() == config.port()) {
      if (target.getHostString().equalsIgnoreCase(config.host())) {
        return true;
      }
      if (address != null && seedAddresses.contains(IpLiterals.withoutHostName(address))) {
        return true;
      }
    }
    return address != null && table.contains(new Endpoint(address, target.getPort()));
  }

  @Override
  public Dialed dial(InetSocketAddress target, int timeoutMillis, Attempts attempts)
      throws IOException {
    return dial(target, timeoutMillis, attempts, true);
  }

  /**
   * This dialer for the engine's own discovery client: its connections cannot wait for the
   * discovery they serve.
   */
  Dialer withoutDiscoveryWait() {
    return (target, timeoutMillis, attempts) -> dial(target, timeoutMillis, attempts, false);
  }

  private Dialed dial(
      InetSocketAddress target, int timeoutMillis, Attempts attempts, boolean waitForDiscovery)
      throws IOException {
    if (!isServer(target)) {
      return new Dialed(connectPlain(target, timeoutMillis, attempts), null);
    }
    long start = clock.getAsLong();
    long budget = config.dialTimeout().toNanos();
    if (timeoutMillis > 0) {
      budget = Math.min(budget, TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
    }
    long deadline = start + budget;
    List<IOException> failures = new ArrayList<>();
    List<String> tried = new ArrayList<>();
    Set<InetSocketAddress> triedAddresses = new HashSet<>();

    List<Endpoint> order = table.order();
    if (order.isEmpty() && waitForDiscovery && !config.initialDiscoveryWait().isZero()) {
      long left = deadline - clock.getAsLong();
      firstDiscovery.await(Math.min(config.initialDiscoveryWait().toNanos(), left));
      order = table.order();
    }
    for (Endpoint endpoint : order) {
      checkInterrupted(failures);
      long left = deadline - clock.getAsLong();
      if (left <= 0) {
        break;
      }
      InetSocketAddress address = endpoint.socketAddress();
      triedAddresses.add(address);
      long attemptStart = clock.getAsLong();
      try {
        Socket socket = attempt(address, left, attempts);
        events.connected(endpoint, clock.getAsLong() - attemptStart);
        return new Dialed(socket, endpoint);
      } catch (IOException e) {
        if (attempts.isClosed()
            || (e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException))) {
          throw e;
        }
        IOException described =
            describe("endpoint " + endpoint, e, clock.getAsLong() - attemptStart);
        failures.add(described);
        tried.add(endpoint.toString());
        events.connectFailed(endpoint, e);
      }
    }

    List<InetSocketAddress> seeds;
    try {
      seeds = seeds();
    } catch (UnknownHostException e) {
      failures.add(describe("seed " + config.host(), e, 0));
      tried.add("seed " + config.host());
      seeds = List.of();
    }
    for (InetSocketAddress seed : seeds) {
      if (triedAddresses.contains(seed)) {
        continue;
      }
      checkInterrupted(failures);
      long left = deadline - clock.getAsLong();
      if (left <= 0) {
        break;
      }
      long attemptStart = clock.getAsLong();
      try {
        Socket socket = attempt(seed, left, attempts);
        events.seedUsed(seed, !order.isEmpty());
        Endpoint asEndpoint = new Endpoint(seed.getAddress(), seed.getPort());
        return table.contains(asEndpoint)
            ? new Dialed(socket, asEndpoint)
            : new Dialed(socket, asEndpoint, true);
      } catch (IOException e) {
        if (attempts.isClosed()
            || (e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException))) {
          throw e;
        }
        failures.add(describe("seed " + format(seed), e, clock.getAsLong() - attemptStart));
        tried.add("seed " + format(seed));
      }
    }
    throw failure(target, tried, failures, clock.getAsLong() - start, order.size());
  }

  private Socket attempt(InetSocketAddress address, long leftNanos, Attempts attempts)
      throws IOException {
    long timeoutNanos = Math.min(config.connectTimeout().toNanos(), leftNanos);
    int timeoutMillis = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
    Socket socket = new Socket();
    try {
      attempts.prepare(socket);
      socket.connect(address, timeoutMillis);
      return socket;
    } catch (IOException | RuntimeException e) {
      closeQuietly(socket);
      throw e;
    }
  }

  private List<InetSocketAddress> seeds() throws UnknownHostException {
    List<InetSocketAddress> seeds = new ArrayList<>();
    for (InetAddress address : resolver.seedAddresses()) {
      InetAddress plain = IpLiterals.withoutHostName(address);
      seedAddresses.add(plain);
      seeds.add(new InetSocketAddress(plain, config.port()));
    }
    return seeds;
  }

  private static Socket connectPlain(InetSocketAddress target, int timeoutMillis, Attempts attempts)
      throws IOException {
    InetSocketAddress resolved =
        target.isUnresolved()
            ? new InetSocketAddress(target.getHostString(), target.getPort())
            : target;
    if (resolved.isUnresolved()) {
      throw new UnknownHostException(target.getHostString());
    }
    Socket socket = new Socket();
    try {
      attempts.prepare(socket);
      socket.connect(resolved, timeoutMillis);
      return socket;
    } catch (IOException | RuntimeException e) {
      closeQuietly(socket);
      throw e;
    }
  }

  private static void checkInterrupted(List<IOException> failures) throws InterruptedIOException {
    if (Thread.currentThread().isInterrupted()) {
      InterruptedIOException e = new InterruptedIOException("interrupted while connecting");
      failures.forEach(e::addSuppressed);
      throw e;
    }
  }

  private FailoverConnectException failure(
      InetSocketAddress target,
      List<String> tried,
      List<IOException> failures,
      long elapsedNanos,
      int endpoints) {
    String message =
        "cannot connect to the apiserver "
            + config.server()
            + " (asked for "
            + format(target)
            + "): "
            + (tried.isEmpty()
                ? "no attempt fitted in the dial timeout"
                : "tried " + String.join(", ", tried))
            + " in "
            + TimeUnit.NANOSECONDS.toMillis(elapsedNanos)
            + " ms"
            + (endpoints == 0 ? " (no endpoint known yet)" : "");
    FailoverConnectException exception = new FailoverConnectException(message);
    if (!failures.isEmpty()) {
      exception.initCause(failures.get(0));
      for (int i = 1; i < failures.size(); i++) {
        exception.addSuppressed(failures.get(i));
      }
    }
    return exception;
  }

  private static IOException describe(String what, IOException cause, long elapsedNanos) {
    String message =
        "connect to "
            + what
            + " failed after "
            + TimeUnit.NANOSECONDS.toMillis(elapsedNanos)
            + " ms: "
            + cause;
    IOException described;
    if (cause instanceof SocketTimeoutException) {
      described = new SocketTimeoutException(message);
    } else if (cause instanceof NoRouteToHostException) {
      described = new NoRouteToHostException(message);
    } else if (cause instanceof ConnectException) {
      described = new ConnectException(message);
    } else if (cause instanceof UnknownHostException) {
      described = new UnknownHostException(message);
    } else {
      described = new IOException(message);
    }
    described.initCause(cause);
    return described;
  }

  private static String format(InetSocketAddress address) {
    if (address.isUnresolved()) {
      return address.getHostString() + ":" + address.getPort();
    }
    String host = address.getAddress().getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // A socket that failed to connect has nothing left to release.
    }
  }
}
