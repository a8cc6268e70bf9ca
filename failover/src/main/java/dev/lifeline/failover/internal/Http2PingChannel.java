package dev.lifeline.failover.internal;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLSocket;

/**
 * The smallest HTTP/2 client that can PING: the connection preface, our SETTINGS, acknowledging the
 * server's SETTINGS and PINGs, reading PING acks and GOAWAY, and skipping everything else.
 *
 * <p>A PING is not an HTTP request: the apiserver answers it in its connection loop, before any
 * authentication or handler, so PINGs cost it next to nothing and need no credentials. It opens no
 * stream, so after the server's idle timeout (90 s on the apiserver) the server sends GOAWAY and
 * the engine reconnects.
 */
final class Http2PingChannel implements PingChannel {
  private static final byte[] PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final int TYPE_SETTINGS = 0x4;
  private static final int TYPE_PING = 0x6;
  private static final int TYPE_GOAWAY = 0x7;
  private static final int FLAG_ACK = 0x1;
  private static final int SETTINGS_ENABLE_PUSH = 0x2;
  private static final int MAX_FRAME = 1 << 24;

  private final SSLSocket socket;
  private final long connectNanos;
  private final Listener listener;
  private final OutputStream out;
  private final InputStream tlsIn;
  private final InputStream tcpIn;
  private final Object writeLock = new Object();
  private volatile boolean closed;

  /** Set while the reader holds part of a frame it has not handled yet. */
  private volatile boolean inFrame;

  private Http2PingChannel(TlsConnector.Connection connection, Listener listener)
      throws IOException {
    this.socket = connection.socket();
    this.connectNanos = connection.connectNanos();
    this.listener = listener;
    this.out = new BufferedOutputStream(socket.getOutputStream(), 64);
    this.tlsIn = socket.getInputStream();
    this.tcpIn = connection.tcp().getInputStream();
  }

  /**
   * Starts HTTP/2 on an established TLS connection and reads it on {@code readers}.
   *
   * @throws Prober.NoHttp2Exception when ALPN did not select h2 (the socket is then closed)
   */
  static Http2PingChannel start(
      TlsConnector.Connection connection, Listener listener, Executor readers) throws IOException {
    SSLSocket socket = connection.socket();
    String protocol = socket.getApplicationProtocol();
    if (!"h2".equals(protocol)) {
      socket.close();
      throw new Prober.NoHttp2Exception(
          "the endpoint did not negotiate HTTP/2 (ALPN selected '"
              + (protocol == null || protocol.isEmpty() ? "nothing" : protocol)
              + "')");
    }
    socket.setSoTimeout(0);
    Http2PingChannel channel = new Http2PingChannel(connection, listener);
    try {
      channel.writePreface();
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    readers.execute(channel::readLoop);
    return channel;
  }

  @Override
  public long connectNanos() {
    return connectNanos;
  }

  @Override
  public void ping(long id) throws IOException {
    writeFrame(TYPE_PING, 0, ByteBuffer.allocate(8).putLong(id).array());
  }

  @Override
  public boolean hasUnreadInput() {
    if (closed) {
      return false;
    }
    if (inFrame) {
      return true;
    }
    try {
      // Neither call blocks or contends with the reader: the TLS layer's count is a plain read of
      // its buffer, the socket's asks the kernel (FIONREAD).
      return tlsIn.available() > 0 || tcpIn.available() > 0;
    } catch (IOException e) {
      // The socket is closing; the reader reports that.
      return false;
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      socket.close();
    } catch (IOException ignored) {
      // The probe connection is ours alone; nothing waits on its close.
    }
  }

  private void writePreface() throws IOException {
    byte[] settings =
        ByteBuffer.allocate(6).putShort((short) SETTINGS_ENABLE_PUSH).putInt(0).array();
    synchronized (writeLock) {
      out.write(PREFACE);
      frame(TYPE_SETTINGS, 0, settings);
      out.flush();
    }
  }

  private void writeFrame(int type, int flags, byte[] payload) throws IOException {
    synchronized (writeLock) {
      frame(type, flags, payload);
      out.flush();
    }
  }

  private void frame(int type, int flags, byte[] payload) throws IOException {
    int length = payload.length;
    out.write(length >>> 16);
    out.write(length >>> 8);
    out.write(length);
    out.write(type);
    out.write(flags);
    out.write(new byte[4]);
    out.write(payload);
  }

  private void readLoop() {
    IOException failure = null;
    try {
      DataInputStream in = new DataInputStream(tlsIn);
      while (!closed) {
        int first = in.readUnsignedByte();
        inFrame = true;
        int length = first << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
        int type = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        in.readInt();
        if (length >= MAX_FRAME) {
          throw new IOException("HTTP/2 frame of " + length + " bytes");
        }
        byte[] payload = in.readNBytes(length);
        if (payload.length < length) {
          throw new EOFException("connection closed inside an HTTP/2 frame");
        }
        handle(type, flags, payload);
        inFrame = false;
      }
    } catch (EOFException e) {
      failure = null;
    } catch (IOException e) {
      failure = e;
    }
    if (!closed) {
      closed = true;
      close();
      listener.closed(failure);
    }
  }

  private void handle(int type, int flags, byte[] payload) throws IOException {
    switch (type) {
      case TYPE_SETTINGS -> {
        if ((flags & FLAG_ACK) == 0) {
          writeFrame(TYPE_SETTINGS, FLAG_ACK, new byte[0]);
        }
      }
      case TYPE_PING -> {
        if (payload.length != 8) {
          throw new IOException("HTTP/2 PING of " + payload.length + " bytes");
        }
        if ((flags & FLAG_ACK) != 0) {
          listener.pingAcked(ByteBuffer.wrap(payload).getLong());
        } else {
          writeFrame(TYPE_PING, FLAG_ACK, payload);
        }
      }
      case TYPE_GOAWAY -> {
        long errorCode =
            payload.length >= 8 ? ByteBuffer.wrap(payload, 4, 4).getInt() & 0xFFFFFFFFL : 0;
        closed = true;
        close();
        listener.goAway(errorCode);
      }
      default -> {
        // WINDOW_UPDATE and anything else: nothing to do for a connection without streams.
      }
    }
  }
}
