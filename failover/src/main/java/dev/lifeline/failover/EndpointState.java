package dev.lifeline.failover;

/**
 * What the engine knows about an endpoint's health.
 *
 * <p>New connections prefer {@link #UP}, then {@link #UNKNOWN}, then {@link #DRAINING}, then {@link
 * #DOWN}: a failed endpoint is postponed, never banned, so that a control plane whose endpoints all
 * look bad is still tried.
 */
public enum EndpointState {
  /** Discovered or loaded from the endpoints file, not probed yet. */
  UNKNOWN,
  /** Answered its last probe (an HTTP/2 PING, a TLS handshake or {@code /readyz}). */
  UP,
  /**
   * Going away gracefully: it left the EndpointSlice, is not ready there, failed {@code /readyz},
   * or stopped accepting connections after a GOAWAY. New connections go elsewhere; its open
   * connections are closed at their first quiet moment.
   */
  DRAINING,
  /**
   * Known dead: an HTTP/2 PING went unanswered past its deadline, its connection was reset, or a
   * connect or TLS handshake failed. Its connections are closed at once.
   */
  DOWN
}
