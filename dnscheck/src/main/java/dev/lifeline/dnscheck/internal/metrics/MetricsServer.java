package dev.lifeline.dnscheck.internal.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;

/**
 * Serves {@code /metrics} (and {@code /-/healthy}) on the configured address, loopback by default.
 */
public final class MetricsServer implements AutoCloseable {
  private final HTTPServer server;

  private MetricsServer(HTTPServer server) {
    this.server = server;
  }

  /**
   * Starts serving.
   *
   * @throws UncheckedIOException naming the address when it cannot be bound
   */
  public static MetricsServer start(InetSocketAddress address, PrometheusRegistry registry) {
    try {
      return new MetricsServer(
          HTTPServer.builder()
              .inetAddress(address.getAddress())
              .port(address.getPort())
              .registry(registry)
              .buildAndStart());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot serve metrics on "
              + address.getAddress().getHostAddress()
              + ":"
              + address.getPort()
              + " ("
              + e.getMessage()
              + "); choose another --metrics-address or 'off'",
          e);
    }
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.close();
  }
}
