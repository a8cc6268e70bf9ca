package dev.lifeline.failover.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.function.LongSupplier;
import javax.net.SocketFactory;

/**
 * Hands out {@link TrackedSocket}s. Clients that create unconnected sockets and connect them
 * (OkHttp) get the full failover; the connecting variants connect at once the same way.
 */
final class FailoverSocketFactory extends SocketFactory {
  private final Dialer dialer;
  private final TrackedSocket.Reporter reporter;
  private final LongSupplier clock;

  FailoverSocketFactory(Dialer dialer, TrackedSocket.Reporter reporter, LongSupplier clock) {
    this.dialer = dialer;
    this.reporter = reporter;
    this.clock = clock;
  }

  @Override
  public Socket createSocket() {
    return new TrackedSocket(dialer, reporter, clock);
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return connected(InetSocketAddress.createUnresolved(host, port), null);
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return connected(
        InetSocketAddress.createUnresolved(host, port),
        new InetSocketAddress(localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port), null);
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return connected(
        new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
  }

  private Socket connected(InetSocketAddress target, InetSocketAddress local) throws IOException {
    Socket socket = createSocket();
    try {
      if (local != null) {
        socket.bind(local);
      }
      socket.connect(target);
      return socket;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }
}
