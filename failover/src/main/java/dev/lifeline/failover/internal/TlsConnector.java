package dev.lifeline.failover.internal;

import dev.lifeline.failover.Endpoint;
import dev.lifeline.failover.FailoverConfig;
import java.io.IOException;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Opens the probes' TLS connections: to an endpoint's address, with the client's trust, verifying
 * (and sending as SNI) the configured server name, never the endpoint's address.
 */
final class TlsConnector {

  /** A TLS connection and how long its TCP connect took. */
  record Connection(SSLSocket socket, long connectNanos) {}

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
      } catch (IOException e) {
        tls.close();
        throw e;
      }
      return new Connection(tls, connectNanos);
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  int connectTimeoutMillis() {
    return (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(config.connectTimeout().toNanos()));
  }
}
