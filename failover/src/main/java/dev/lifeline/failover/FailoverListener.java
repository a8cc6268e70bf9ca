package dev.lifeline.failover;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Receives the engine's events, in the order they happened, on one engine thread.
 *
 * <p>Every method has a no-op default, so a listener overrides only what it needs. A listener must
 * return quickly; one that throws is logged and otherwise ignored. Events carry no timestamp: they
 * are delivered within milliseconds of happening, so a listener that prints a timeline reads its
 * own clock.
 */
public interface FailoverListener {

  /** A listener that ignores every event. */
  FailoverListener NONE = new FailoverListener() {};

  /** Why the resolver answered with the system resolver's addresses instead of the endpoints. */
  enum FallbackReason {
    /** No endpoint is known yet, or the set was cleared after {@code timeout}. */
    NO_ENDPOINTS,
    /** The endpoints listen on another port than the server URL: a name cannot change the port. */
    PORT_MISMATCH,
    /** No endpoint was reachable for {@code timeout}; the engine cleared its endpoint set. */
    TIMEOUT
  }

  /** Why the engine closed connections it had handed out. */
  enum CloseReason {
    /** The endpoint is down: closed at once. */
    EVICTED,
    /** The endpoint is draining: closed at a quiet moment (no unanswered write, no bytes). */
    DRAINED,
    /** The endpoint was draining and {@code maxDrainTime} passed: closed regardless. */
    DRAIN_TIMEOUT
  }

  /**
   * The engine committed a new endpoint set.
   *
   * @param endpoints the endpoints now in use for new connections, unordered
   * @param source where they came from, e.g. {@code "EndpointSlice watch"} or {@code "file"}
   */
  default void endpointsChanged(List<Endpoint> endpoints, String source) {}

  /** The endpoint answered a probe and takes new connections (first probe, or re-admission). */
  default void endpointUp(Endpoint endpoint) {}

  /**
   * The endpoint is known dead; its connections are being closed.
   *
   * @param reason what was seen, e.g. {@code "no HTTP/2 PING ack within 500 ms, and no answer to a
   *     new TCP connection within 250 ms"}
   */
  default void endpointDown(Endpoint endpoint, String reason) {}

  /**
   * The endpoint is going away; new connections go elsewhere and its connections are drained.
   *
   * @param reason e.g. {@code "left the EndpointSlice"} or {@code "/readyz answered 500"}
   */
  default void endpointDraining(Endpoint endpoint, String reason) {}

  /** The engine closed {@code count} connections it had handed out to {@code endpoint}. */
  default void connectionsClosed(Endpoint endpoint, int count, CloseReason reason) {}

  /**
   * A new connection went to {@code to} although the last one had gone to {@code from}.
   *
   * @param from the endpoint of the previous successful connection
   * @param to the endpoint just connected
   */
  default void failover(Endpoint from, Endpoint to) {}

  /**
   * Every known endpoint failed to connect and the dialer connected to the seed address (the server
   * URL's own address) instead.
   */
  default void fallbackToSeed(InetSocketAddress seed) {}

  /**
   * The resolver answers {@code host} with the system resolver from now on, until the condition
   * clears. Sent once per change, not once per lookup.
   */
  default void fallbackToDns(String host, FallbackReason reason) {}

  /**
   * Discovery could not read the endpoints; the engine keeps its last good set.
   *
   * @param source what was being read, e.g. {@code "EndpointSlice watch"}
   * @param message what went wrong, without credentials
   */
  default void discoveryFailed(String source, String message) {}
}
