package dev.lifeline.failover;

import dev.lifeline.client.KubeClient;
import dev.lifeline.failover.internal.RealFailoverEngine;
import java.io.Closeable;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import javax.net.SocketFactory;

/**
 * Keeps a client connected to a healthy apiserver: discovers the apiservers, probes them, orders
 * them, and plugs into clients at two levels.
 *
 * <ul>
 *   <li><b>Name level</b> ({@link #resolve}): answers lookups of the server's host name with the
 *       ordered endpoint addresses. Works for any client that resolves names through a hook, but
 *       not for IP hosts, not when the endpoints' port differs from the URL's, and it cannot close
 *       connections that are already open.
 *   <li><b>Connection level</b> ({@link #socketFactory}): makes the TCP connection itself, to the
 *       best endpoint, whatever the URL says (IP host, other port), and closes the connections it
 *       handed out when their endpoint dies. TLS stays the client's, verified against the URL's
 *       host.
 * </ul>
 *
 * <p>Thread-safe. Create with {@link #start}; {@link #close} stops every thread and probe promptly
 * (connections already handed out stay open and belong to the client).
 */
public interface FailoverEngine extends Closeable {

  /**
   * Starts an engine: reads the endpoints file if configured, starts discovery and the probes.
   * Returns at once; until discovery delivers, connections go to the seed address.
   */
  static FailoverEngine start(FailoverConfig config) {
    return RealFailoverEngine.start(config);
  }

  /** The configuration the engine was started with. */
  FailoverConfig config();

  /** Whether {@code host} is the server's host name, the one the engine answers for. */
  boolean owns(String host);

  /**
   * Resolves {@code host}: for the server's host name, the endpoint addresses in the engine's order
   * (same node, healthy, last working, fastest first); otherwise, or when the engine cannot answer
   * (no endpoints, port mismatch, nothing reachable for {@code timeout}), {@code fallback}'s
   * answer.
   *
   * @throws UnknownHostException from {@code fallback}
   */
  List<InetAddress> resolve(String host, HostResolver fallback) throws UnknownHostException;

  /**
   * The name-level answer for a client that also uses {@link #socketFactory()}: the server's host
   * name resolves to a single address (the first endpoint's, or while no endpoint is known the
   * seed's, from {@code seedResolver}), which the socket factory replaces with the best live
   * endpoint anyway. The client then makes one connect per connection instead of one per address,
   * and the name keeps resolving while DNS is down once an endpoint is known. Other names: {@code
   * fallback}'s answer.
   *
   * @throws UnknownHostException from {@code fallback}
   */
  List<InetAddress> resolveForSocketFactory(String host, HostResolver fallback)
      throws UnknownHostException;

  /**
   * The connection-level hook: sockets whose {@code connect()} to the server's address (its host
   * name, its IP, or any endpoint) dial the best endpoint instead, fall through the others and then
   * the seed address, and are tracked so that they can be evicted or drained. Sockets to any other
   * address connect normally and are not tracked.
   */
  SocketFactory socketFactory();

  /**
   * Wires a light client to this engine: its {@code Dns} answers the server's name through {@link
   * #resolveForSocketFactory} and its sockets come from {@link #socketFactory()}, so that its
   * connections fail over and are evicted like the engine's own. Returns {@code builder}.
   */
  default KubeClient.Builder configure(KubeClient.Builder builder) {
    return builder
        .dns(host -> resolveForSocketFactory(host, HostResolver.SYSTEM))
        .socketFactory(socketFactory());
  }

  /** Every known endpoint, in the order new connections try them. */
  List<EndpointStatus> endpoints();

  /** Adds a listener after start (e.g. a metrics binding). */
  void addListener(FailoverListener listener);

  /** Removes a listener added with {@link #addListener}. */
  void removeListener(FailoverListener listener);

  /** Whether {@link #close()} was called. */
  boolean isClosed();

  /** Stops discovery, probes and timers; waits at most about a second. Idempotent. */
  @Override
  void close();
}
