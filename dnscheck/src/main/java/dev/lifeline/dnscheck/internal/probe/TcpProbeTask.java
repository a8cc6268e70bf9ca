package dev.lifeline.dnscheck.internal.probe;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;

/**
 * A probe over TCP: connect, send the length-prefixed query, read one length-prefixed reply (RFC
 * 1035 4.2.2). One connection per attempt, closed when the attempt ends.
 */
final class TcpProbeTask extends ProbeTask {
  private static final System.Logger LOG = System.getLogger(TcpProbeTask.class.getName());

  private SocketChannel channel;
  private SelectionKey key;
  private ByteBuffer out;
  private final ByteBuffer length = ByteBuffer.allocate(2);
  private ByteBuffer in;

  TcpProbeTask(ProbeRequest request, CompletableFuture<ProbeResult> future, DnsProber prober) {
    super(request, future, prober);
  }

  @Override
  void send(byte[] query) throws IOException {
    out = ByteBuffer.allocate(2 + query.length);
    out.putShort((short) query.length).put(query).flip();
    length.clear();
    in = null;
    channel = SocketChannel.open();
    channel.configureBlocking(false);
    if (channel.connect(request.server())) {
      key = register(channel, SelectionKey.OP_WRITE);
    } else {
      key = register(channel, SelectionKey.OP_CONNECT);
    }
  }

  @Override
  void onReady(SelectionKey readyKey) {
    try {
      if (readyKey.isConnectable()) {
        try {
          channel.finishConnect();
        } catch (ConnectException e) {
          attemptFailed(
              Outcome.UNREACHABLE, "connection refused: nothing listens on TCP " + port());
          return;
        }
        key.interestOps(SelectionKey.OP_WRITE);
      }
      if (key.isValid() && readyKey.isWritable()) {
        channel.write(out);
        if (!out.hasRemaining()) {
          key.interestOps(SelectionKey.OP_READ);
        }
      }
      if (key.isValid() && readyKey.isReadable()) {
        read();
      }
    } catch (IOException e) {
      attemptFailed(Outcome.NETWORK_ERROR, describe(e));
    }
  }

  private void read() throws IOException {
    if (in == null) {
      if (channel.read(length) < 0) {
        closedEarly(length.position());
        return;
      }
      if (length.hasRemaining()) {
        return;
      }
      length.flip();
      in = ByteBuffer.allocate(length.getShort() & 0xffff);
    }
    if (channel.read(in) < 0) {
      closedEarly(2 + in.position());
      return;
    }
    if (!in.hasRemaining()) {
      if (!onReply(in.array())) {
        // On our own connection a reply to another query cannot be a stray: the server is broken.
        attemptFailed(
            Outcome.ID_MISMATCH, "the reply's ID was " + foreignIds + ", the query's " + queryId);
      }
    }
  }

  @Override
  String timeoutDetail() {
    long ms = request.timeout().toMillis();
    if (key != null && (key.interestOps() & SelectionKey.OP_CONNECT) != 0) {
      return "TCP connect to " + port() + " not completed within " + ms + " ms";
    }
    if (in == null && length.position() == 0) {
      return "connected, but no reply within " + ms + " ms";
    }
    return "connected, but the reply was incomplete after " + ms + " ms";
  }

  private void closedEarly(int bytes) {
    attemptFailed(
        Outcome.NETWORK_ERROR,
        "the server closed the connection after " + bytes + " bytes of the reply");
  }

  private String port() {
    return request.server().getAddress().getHostAddress() + ":" + request.server().getPort();
  }

  @Override
  void closeSocket() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        LOG.log(System.Logger.Level.DEBUG, "closing a TCP probe socket failed", e);
      }
      channel = null;
      key = null;
    }
  }
}
