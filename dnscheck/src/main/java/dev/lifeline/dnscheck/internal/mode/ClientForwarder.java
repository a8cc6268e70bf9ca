package dev.lifeline.dnscheck.internal.mode;

import dev.lifeline.client.KubeClient;
import dev.lifeline.client.PortForwarder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Port-forwards through the checker's own client ({@link KubeClient#portForwarder}): a loopback
 * listener per pod, each accepted connection a WebSocket to {@code pods/{name}/portforward}. No
 * {@code kubectl} is needed, and the forward uses the same credentials, TLS and API server.
 */
public final class ClientForwarder implements PortForwards.Forwarder {
  private final KubeClient client;

  public ClientForwarder(KubeClient client) {
    this.client = client;
  }

  @Override
  public PortForwards.Forward open(String namespace, String pod, int port) {
    PortForwarder f;
    try {
      f = client.portForwarder(namespace, pod, port);
    } catch (UncheckedIOException | IllegalStateException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    return new PortForwards.Forward() {
      @Override
      public InetSocketAddress local() {
        return f.localAddress();
      }

      @Override
      public boolean isAlive() {
        return f.isOpen();
      }

      @Override
      public Optional<String> lastFailure() {
        return f.lastFailure().map(IOException::getMessage);
      }

      @Override
      public void close() {
        f.close();
      }
    };
  }
}
