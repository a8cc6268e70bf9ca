package dev.lifeline.failover.internal;

import dev.lifeline.failover.Endpoint;
import java.io.IOException;

/** The probes' network I/O; every method blocks and is called on the scheduler's I/O lane. */
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
   * Opens a connection that PINGs the endpoint (TCP, TLS with ALPN h2, the HTTP/2 preface).
   *
   * @throws NoHttp2Exception when the endpoint speaks HTTP/1.1 only
   */
  PingChannel openPingChannel(Endpoint endpoint, PingChannel.Listener listener) throws IOException;

  /** Connects and completes a TLS handshake, then closes; returns the TCP connect time in nanos. */
  long handshake(Endpoint endpoint) throws IOException;

  /** {@code GET /readyz} over its own TLS connection. */
  Readyz readyz(Endpoint endpoint) throws IOException;
}
