package dev.lifeline.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * A local TCP listener whose every accepted connection is forwarded to a port of a pod through the
 * API server, as {@code kubectl port-forward} does: each connection opens its own {@link
 * PortForwardConnection} (the kubelet makes one connection to the pod per WebSocket). Bound to the
 * loopback address unless told otherwise. See {@link KubeClient#portForwarder}.
 *
 * <p>A connection whose forward fails (refused by the API server, an error from the kubelet, a
 * broken WebSocket) is reset, so the local client sees the failure at once; the reason is kept in
 * {@link #lastFailure()}. Thread-safe.
 */
public interface PortForwarder extends AutoCloseable {
  /** The local address it listens on. */
  InetSocketAddress localAddress();

  /** The pod's namespace. */
  String namespace();

  /** The pod's name. */
  String pod();

  /** The pod's port. */
  int port();

  /** Whether it still accepts connections (until {@link #close()}). */
  boolean isOpen();

  /** Connections forwarded now. */
  int activeConnections();

  /** Connections forwarded so far. */
  long forwardedConnections();

  /** Why the most recent failed connection failed, if one did. */
  Optional<IOException> lastFailure();

  /** Stops listening and closes every forwarded connection. Idempotent. */
  @Override
  void close();
}
