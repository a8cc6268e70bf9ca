package dev.lifeline.failover.internal;

import dev.lifeline.failover.Endpoint;
import java.io.IOException;
import java.net.SocketTimeoutException;

/**
 * The probes' network I/O; every method but {@link #startConnect} blocks and is called on the
 * scheduler's I/O lane.
 */
interface Prober {

  /** An endpoint answered {@code /readyz} with {@code status}; {@code body} is its start. */
  record Readyz(int status, String body) {
    boolean isReady() {
      return status == 200;
    }

    /** 401 and 403: the server is up but will not tell us; readiness is then unknown, not bad. */
    boolean isForbidden() {
      return status == 401 || status == 403;
    }
  }

  /** Thrown when an endpoint does not negotiate HTTP/2, so it cannot be PINGed. */
  final class NoHttp2Exception extends IOException {
    private static final long serialVersionUID = 1L;

    NoHttp2Exception(String message) {
      super(message);
    }
  }

  /**
   * Thrown when the TCP connect succeeded but the TLS handshake did not finish in time: the
   * endpoint's host answers, its server process is slow or hung, and no packet was lost on the way.
   * Not a sign of death on its own.
   */
  final class HandshakeTimeoutException extends SocketTimeoutException {
    private static final long serialVersionUID = 1L;

    HandshakeTimeoutException(String message) {
      super(message);
    }
  }

  /**
   * A plain TCP connect in progress, whose outcome is read from the kernel when asked: what the
   * kernel knows does not depend on whether this process was running when the answer came.
   */
  interface ConnectCheck {
    /**
     * Whether the connect completed. Never blocks.
     *
     * @return true when connected, false while the handshake is pending
     * @throws IOException when it failed (refused, unreachable)
     */
    boolean isConnected() throws IOException;

    /** Closes the socket. Idempotent. */
    void close();
  }

  /**
   * Starts a plain TCP connect to the endpoint and returns without waiting for it. Nothing is sent
   * on the connection: it only asks the endpoint's host whether it answers at all.
   *
   * @throws IOException when the connect failed at once (refused, unreachable)
   */
  ConnectCheck startConnect(Endpoint endpoint) throws IOException;

  /**
   * Opens a connection that PINGs the endpoint (TCP, TLS with ALPN h2, the HTTP/2 preface).
   *
   * @throws NoHttp2Exception when the endpoint speaks HTTP/1.1 only
   * @throws HandshakeTimeoutException when the TCP connect succeeded and the TLS handshake timed
   *     out
   */
  PingChannel openPingChannel(Endpoint endpoint, PingChannel.Listener listener) throws IOException;

  /**
   * Connects and completes a TLS handshake, then closes; returns the TCP connect time in nanos.
   *
   * @throws HandshakeTimeoutException when the TCP connect succeeded and the TLS handshake timed
   *     out
   */
  long handshake(Endpoint endpoint) throws IOException;

  /** {@code GET /readyz} over its own TLS connection. */
  Readyz readyz(Endpoint endpoint) throws IOException;
}
