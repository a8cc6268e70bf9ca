package dev.lifeline.testkit;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A TLS connection to an instance that records, byte-exactly, how the server ends it: the HTTP/2
 * frame types it received (so a GOAWAY cannot hide), and whether the end was an EOF (FIN or TLS
 * close_notify) or an exception (an RST reads as {@code SocketException: Connection reset}), and
 * when.
 */
final class RawTlsConnection implements AutoCloseable {
  /** HTTP/2 frame type of GOAWAY (RFC 9113, section 6.8). */
  static final int GOAWAY = 0x7;

  private static final byte[] PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final SSLSocket socket;
  private final boolean http2;
  private final List<Integer> frameTypes = new CopyOnWriteArrayList<>();
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile Throwable failure;
  private volatile boolean eof;
  private volatile long endNanos;
  private final Thread reader;

  private RawTlsConnection(SSLSocket socket, boolean http2) {
    this.socket = socket;
    this.http2 = http2;
    this.reader = new Thread(this::read, "test-raw-tls-reader");
    reader.setDaemon(true);
  }

  /** Connects, completes the handshake with ALPN {@code h2} or {@code http/1.1}, starts reading. */
  static RawTlsConnection open(FakeControlPlane cp, InetSocketAddress target, boolean http2)
      throws IOException {
    SSLSocket s = (SSLSocket) KubeHttp.sslContext(cp).getSocketFactory().createSocket();
    SSLParameters p = s.getSSLParameters();
    p.setApplicationProtocols(new String[] {http2 ? "h2" : "http/1.1"});
    s.setSSLParameters(p);
    s.connect(target, 2000);
    s.startHandshake();
    if (!s.getApplicationProtocol().equals(http2 ? "h2" : "http/1.1")) {
      throw new IOException("ALPN chose " + s.getApplicationProtocol());
    }
    RawTlsConnection c = new RawTlsConnection(s, http2);
    if (http2) {
      OutputStream out = s.getOutputStream();
      out.write(PREFACE);
      out.write(new byte[] {0, 0, 0, 0x4, 0, 0, 0, 0, 0}); // empty SETTINGS
      out.flush();
    }
    c.reader.start();
    return c;
  }

  private void read() {
    try {
      DataInputStream in = new DataInputStream(socket.getInputStream());
      if (http2) {
        while (true) {
          int length = in.readUnsignedByte() << 16 | in.readUnsignedShort();
          int type = in.readUnsignedByte();
          in.skipNBytes(5L + length);
          frameTypes.add(type);
        }
      }
      while (in.read() >= 0) {
        // HTTP/1.1: nothing is asked, so nothing should come; anything is skipped.
      }
      eof = true;
    } catch (EOFException e) {
      eof = true;
    } catch (IOException | RuntimeException e) {
      failure = e;
    } finally {
      endNanos = System.nanoTime();
      ended.countDown();
    }
  }

  /** The frame types received so far (HTTP/2 only). */
  List<Integer> frameTypes() {
    return List.copyOf(frameTypes);
  }

  /** Waits for the end of the connection; false when it did not end within the time. */
  boolean awaitEnd(long millis) throws InterruptedException {
    return ended.await(millis, TimeUnit.MILLISECONDS);
  }

  /** The exception that ended the connection, or null (open or ended by EOF). */
  Throwable failure() {
    return failure;
  }

  /** Whether the connection ended with an orderly EOF (a FIN or close_notify), not a reset. */
  boolean endedWithEof() {
    return eof;
  }

  /** {@link System#nanoTime()} when the connection ended. */
  long endNanos() {
    return endNanos;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
