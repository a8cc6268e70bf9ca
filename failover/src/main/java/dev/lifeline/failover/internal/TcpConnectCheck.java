package dev.lifeline.failover.internal;

import dev.lifeline.failover.Endpoint;
import java.io.IOException;
import java.nio.channels.SocketChannel;

/**
 * A non-blocking TCP connect whose outcome is read from the kernel: a busy server's host completes
 * TCP handshakes in its kernel however late its process answers, and a blackholed one never does.
 * Nothing is written on the connection; it is closed as soon as its outcome is known.
 *
 * <p>Thread-safe through its own monitor; no method blocks.
 */
final class TcpConnectCheck implements Prober.ConnectCheck {
  private final SocketChannel channel;
  private boolean connected;

  private TcpConnectCheck(SocketChannel channel, boolean connected) {
    this.channel = channel;
    this.connected = connected;
  }

  /** Starts a connect to {@code endpoint}. */
  static TcpConnectCheck start(Endpoint endpoint) throws IOException {
    SocketChannel channel = SocketChannel.open();
    try {
      channel.configureBlocking(false);
      boolean connected = channel.connect(endpoint.socketAddress());
      return new TcpConnectCheck(channel, connected);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  @Override
  public synchronized boolean isConnected() throws IOException {
    if (!connected) {
      connected = channel.finishConnect();
    }
    return connected;
  }

  @Override
  public synchronized void close() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // Nothing was sent on it; nothing waits on its close.
    }
  }
}
