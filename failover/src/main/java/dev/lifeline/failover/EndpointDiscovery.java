package dev.lifeline.failover;

import dev.lifeline.client.KubeConfig;
import dev.lifeline.failover.internal.ApiServerDiscovery;
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

    /** The engine's configuration (for {@code period}, {@code nodeName}...). */
    FailoverConfig config();

    /** Connections made through this factory fail over like every other connection. */
    SocketFactory socketFactory();

    /**
     * Resolves names for a client that connects through {@link #socketFactory()} (its OkHttp {@code
     * Dns}): see {@link FailoverEngine#resolveForSocketFactory}.
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

  /**
   * The apiservers as the cluster publishes them: a watch of the {@code kubernetes} EndpointSlices
   * in {@code default} with the light client, connecting through the engine; when the slices cannot
   * be read (403, 404), the {@code kubernetes} Endpoints object; when watches fail while reads
   * work, polling every {@code period}. With {@code NODE_NAME} set it also reads that Node's
   * addresses (if permitted) for the same-node preference.
   *
   * <p>Needs {@code get}, {@code list} and {@code watch} on {@code endpointslices} (group {@code
   * discovery.k8s.io}) or {@code endpoints} in {@code default}, and optionally {@code get} on
   * {@code nodes}: see {@code docs/failover.md}.
   */
  static EndpointDiscovery kubernetes(KubeConfig config) {
    return ApiServerDiscovery.create(config);
  }

  /** No discovery: the engine dials the seed address only, until a set comes from the file. */
  static EndpointDiscovery none() {
    return FixedDiscovery.NONE;
  }
}
