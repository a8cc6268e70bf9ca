package dev.lifeline.failover;

import dev.lifeline.failover.internal.FixedDiscovery;
import java.net.InetAddress;
import java.util.Collection;
import java.util.List;
import javax.net.SocketFactory;

/**
 * Where the engine learns the apiserver endpoints from.
 *
 * <p>The engine calls {@link #start} once, from the thread that creates the engine, and {@link
 * #close} once when it closes. A source publishes every complete set it observes; the engine keeps
 * the last good one, debounces churn and never replaces a set with an empty one, so a source need
 * not filter. Sources that talk to the apiserver must connect through {@link
 * Context#socketFactory()} so that discovery itself fails over.
 */
public interface EndpointDiscovery extends AutoCloseable {

  /** What the engine gives a discovery source. Thread-safe. */
  interface Context {

    /** Connections made through this factory fail over like every other connection. */
    SocketFactory socketFactory();

    /**
     * Answers the server's host name with the current endpoints, falling back to the system
     * resolver (for OkHttp's {@code Dns}).
     */
    HostResolver resolver();

    /**
     * Publishes a complete observed set.
     *
     * @param endpoints every endpoint of the source, with its conditions
     * @param source a short description for events and logs, e.g. {@code "EndpointSlice watch"}
     */
    void publish(Collection<DiscoveredEndpoint> endpoints, String source);

    /** Reports that the source could not read the endpoints; the engine keeps its set. */
    void failed(String source, String message);

    /**
     * Adds addresses of this node (e.g. read from the Node named by {@code NODE_NAME}) to those
     * that make an endpoint "same node".
     */
    void nodeAddresses(Collection<InetAddress> addresses);
  }

  /** Starts observing; must not block for long (start threads or watches and return). */
  void start(Context context);

  /** Stops observing and releases threads and connections. Idempotent; never throws. */
  @Override
  void close();

  /** A fixed set of ready endpoints: for tests, or a control plane whose addresses never change. */
  static EndpointDiscovery fixed(List<Endpoint> endpoints) {
    return new FixedDiscovery(endpoints);
  }

  /** No discovery: the engine dials the seed address only, until a set comes from the file. */
  static EndpointDiscovery none() {
    return FixedDiscovery.NONE;
  }
}
