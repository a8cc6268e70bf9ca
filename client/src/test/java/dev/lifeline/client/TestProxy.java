package dev.lifeline.client;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;

/**
 * Small forwarding proxies for tests: an HTTP CONNECT proxy (optionally over TLS) and a SOCKS5
 * proxy. Each records what it was asked to connect to and forwards the bytes to {@code target}
 * whatever the request named, so that unresolvable names can be used.
 */
final class TestProxy implements Closeable {
  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final boolean socks;
  final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  private TestProxy(ServerSocket listener, InetSocketAddress target, boolean socks) {
    this.listener = listener;
    this.target = target;
    this.socks = socks;
    this.acceptor = new Thread(this::accept, "test-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** An HTTP CONNECT proxy; over TLS with {@code tls} when not null. */
  static TestProxy connect(InetSocketAddress target, SSLContext tls) throws IOException {
    ServerSocket s =
        tls == null
            ? new ServerSocket(0, 50, InetAddress.getLoopbackAddress())
            : tls.getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    return new TestProxy(s, target, false);
  }

  /** A SOCKS5 proxy without authentication. */
  static TestProxy socks5(InetSocketAddress target) throws IOException {
    return new TestProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), target, true);
  }

  int port() {
    return listener.getLocalPort();
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        open.add(client);
        Thread t = new Thread(() -> serve(client), "test-proxy-connection");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try {
      InputStream in = client.getInputStream();
      OutputStream out = client.getOutputStream();
      if (socks) {
        handshakeSocks(new DataInputStream(in), out);
      } else {
        handshakeConnect(in, out);
      }
      Socket upstream = new Socket();
      open.add(upstream);
      upstream.connect(target);
      pipe(upstream.getInputStream(), out);
      pipe(in, upstream.getOutputStream());
    } catch (IOException e) {
      close(client);
    }
  }

  private void handshakeConnect(InputStream in, OutputStream out) throws IOException {
    String head = readHead(in);
    requests.add(head.lines().filter(l -> !l.isBlank()).reduce((a, b) -> a + " | " + b).orElse(""));
    out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed during CONNECT");
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  private void handshakeSocks(DataInputStream in, OutputStream out) throws IOException {
    int version = in.readUnsignedByte();
    int methods = in.readUnsignedByte();
    in.readFully(new byte[methods]);
    if (version != 5) {
      throw new IOException("not SOCKS5");
    }
    out.write(new byte[] {5, 0});
    in.readUnsignedByte(); // version
    int command = in.readUnsignedByte();
    in.readUnsignedByte(); // reserved
    int type = in.readUnsignedByte();
    String host;
    if (type == 1) {
      byte[] ip = new byte[4];
      in.readFully(ip);
      host = InetAddress.getByAddress(ip).getHostAddress();
    } else if (type == 3) {
      byte[] name = new byte[in.readUnsignedByte()];
      in.readFully(name);
      host = new String(name, StandardCharsets.US_ASCII);
    } else {
      byte[] ip = new byte[16];
      in.readFully(ip);
      host = InetAddress.getByAddress(ip).getHostAddress();
    }
    int port = in.readUnsignedShort();
    requests.add("SOCKS5 CONNECT(" + command + ") " + host + ":" + port);
    out.write(new byte[] {5, 0, 0, 1, 127, 0, 0, 1, 0, 0});
    out.flush();
  }

  private void pipe(InputStream from, OutputStream to) {
    Thread t =
        new Thread(
            () -> {
              byte[] buffer = new byte[8192];
              try {
                for (int n; (n = from.read(buffer)) >= 0; ) {
                  to.write(buffer, 0, n);
                  to.flush();
                }
              } catch (IOException e) {
                // One side closed; the other follows.
              } finally {
                try {
                  to.close();
                } catch (IOException e) {
                  // Already closed.
                }
              }
            },
            "test-proxy-pipe");
    t.setDaemon(true);
    t.start();
  }

  private static void close(Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // Best effort in a test.
    }
  }

  @Override
  public void close() {
    close(listener);
    open.forEach(TestProxy::close);
  }
}
