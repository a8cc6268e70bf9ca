package dev.lifeline.failover.internal;

import dev.lifeline.failover.Endpoint;
import dev.lifeline.failover.FailoverConfig;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Opens the probes' TLS connections: to an endpoint's address, with the client's trust, verifying
 * (and sending as SNI) the configured server name, never the endpoint's address.
 */
final class TlsConnector {

  /**
   * A TLS connection, the TCP socket beneath it (whose kernel buffer tells what arrived before the
   * TLS layer read it), and how long its TCP connect took.
   */
  record Connection(SSLSocket socket, Socket tcp, long connectNanos) {}

  private final FailoverConfig config;

  TlsConnector(FailoverConfig config) {
    this.config = config;
  }

  Connection connect(Endpoint endpoint, List<String> protocols, int timeoutMillis)
      throws IOException {
    Socket raw = new Socket();
    try {
      raw.setTcpNoDelay(true);
      long start = System.nanoTime();
      raw.connect(endpoint.socketAddress(), timeoutMillis);
      long connectNanos = System.nanoTime() - start;
      raw.setSoTimeout(timeoutMillis);
      SSLSocket tls =
          (SSLSocket)
              config
                  .sslSocketFactory()
                  .createSocket(raw, config.tlsServerName(), config.port(), true);
      SSLParameters parameters = tls.getSSLParameters();
      parameters.setApplicationProtocols(protocols.toArray(String[]::new));
      if (config.verifyServerName()) {
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
      }
      tls.setSSLParameters(parameters);
      try {
        tls.startHandshake();
      } catch (SocketTimeoutException e) {
        tls.close();
        // The host answered the TCP handshake: the server is slow or hung, nothing was dropped.
        Prober.HandshakeTimeoutException slow =
            new Prober.HandshakeTimeoutException(
                "TLS handshake not finished within "
                    + timeoutMillis
                    + " ms after a TCP connect of "
                    + TimeUnit.NANOSECONDS.toMillis(connectNanos)
                    + " ms");
        slow.initCause(e);
        throw slow;
      } catch (IOException e) {
        tls.close();
        throw e;
      }
      return new Connection(tls, raw, connectNanos);
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  int connectTimeoutMillis() {
    return (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(config.connectTimeout().toNanos()));
  }
}
