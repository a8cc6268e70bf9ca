package dev.lifeline.failover;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay in front of a server that can be made to drop everything (a blackhole: bytes are read
 * and discarded, nothing is answered, new connections hang), like a dead host would.
 */
final class FaultProxy implements Closeable {
  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean blackhole;

  FaultProxy(String ip, int port, InetSocketAddress target) throws IOException {
    this.target = target;
    this.listener = new ServerSocket();
    listener.bind(new InetSocketAddress(InetAddress.getByName(ip), port), 50);
    Thread thread = new Thread(this::accept, "fault-proxy-" + ip);
    thread.setDaemon(true);
    thread.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  void blackhole() {
    blackhole = true;
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        sockets.add(client);
        if (blackhole) {
          continue;
        }
        Socket server = new Socket();
        server.connect(target, 1_000);
        sockets.add(server);
        relay(client.getInputStream(), server.getOutputStream());
        relay(server.getInputStream(), client.getOutputStream());
      } catch (IOException e) {
        if (listener.isClosed()) {
          return;
        }
      }
    }
  }

  private void relay(InputStream in, OutputStream out) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[16_384];
              try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  if (!blackhole) {
                    out.write(buffer, 0, n);
                    out.flush();
                  }
                }
              } catch (IOException ignored) {
                // One side closed: the relay ends.
              }
            },
            "fault-proxy-relay");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket socket : sockets) {
      socket.close();
    }
  }
}
