package dev.lifeline.failover.internal;

import dev.lifeline.failover.Endpoint;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Plain TCP servers on loopback addresses for dialer tests: accepting ones, and "blackholes" whose
 * accept queue is full, so that the kernel drops further SYNs and a connect times out exactly as it
 * does against a dead host.
 */
final class LoopbackServers implements Closeable {
  private final List<Closeable> resources = new CopyOnWriteArrayList<>();
  final List<Socket> accepted = new CopyOnWriteArrayList<>();

  /** A server on {@code ip} that accepts and holds every connection. */
  Endpoint accepting(String ip) throws IOException {
    return accepting(ip, 0);
  }

  Endpoint accepting(String ip, int port) throws IOException {
    ServerSocket server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getByName(ip), port), 50);
    resources.add(server);
    Thread thread =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try {
                  Socket socket = server.accept();
                  accepted.add(socket);
                  resources.add(socket);
                } catch (IOException e) {
                  return;
                }
              }
            },
            "loopback-accept-" + ip);
    thread.setDaemon(true);
    thread.start();
    return new Endpoint(InetAddress.getByName(ip), server.getLocalPort());
  }

  /** Accepting servers on every one of {@code ips}, all on the same port (like apiservers). */
  List<Endpoint> acceptingOnOnePort(String... ips) throws IOException {
    for (int attempt = 0; ; attempt++) {
      List<Endpoint> endpoints = new ArrayList<>();
      try {
        Endpoint first = accepting(ips[0]);
        endpoints.add(first);
        for (int i = 1; i < ips.length; i++) {
          endpoints.add(accepting(ips[i], first.port()));
        }
        return endpoints;
      } catch (java.net.BindException taken) {
        if (attempt == 10) {
          throw taken;
        }
      }
    }
  }

  /** A port on {@code ip} where nothing listens: connects are refused. */
  Endpoint refusing(String ip) throws IOException {
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(InetAddress.getByName(ip), 0));
      return new Endpoint(InetAddress.getByName(ip), server.getLocalPort());
    }
  }

  /** A server on {@code ip} that never accepts and whose queue is full: connects time out. */
  Endpoint blackhole(String ip) throws IOException {
    ServerSocket server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getByName(ip), 0), 1);
    resources.add(server);
    List<Socket> fillers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Socket filler = new Socket();
      filler.connect(server.getLocalSocketAddress(), 1_000);
      fillers.add(filler);
      resources.add(filler);
    }
    return new Endpoint(InetAddress.getByName(ip), server.getLocalPort());
  }

  @Override
  public void close() throws IOException {
    for (Closeable resource : resources) {
      try {
        resource.close();
      } catch (IOException ignored) {
        // Test cleanup: a resource that fails to close is gone anyway.
      }
    }
  }
}
