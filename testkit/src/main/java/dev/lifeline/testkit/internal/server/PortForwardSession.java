package dev.lifeline.testkit.internal.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One port-forward WebSocket, as the kubelet's {@code websocketStreamHandler} serves it: after the
 * port frames, one TCP connection per port to the pod, bytes of data channel {@code 2i} to it and
 * its bytes back on the same channel; a failed connect writes {@code error forwarding port ...} on
 * the error channel {@code 2i+1}. When every port's connection has ended the WebSocket is closed;
 * when the client closes it, every connection is closed. The pod side is read only while the
 * WebSocket can take more. Runs on the WebSocket channel's event loop.
 */
final class PortForwardSession implements WebSocketPeer {
  private static final System.Logger LOG = System.getLogger(PortForwardSession.class.getName());

  private final Channel ws;
  private final String podName;
  private final String uid;
  private final List<Forward> forwards = new ArrayList<>();
  private boolean base64;
  private boolean closed;
  private int lastChannel = -1;

  PortForwardSession(Channel ws, String pod, String uid, List<InetSocketAddress> targets) {
    this.ws = ws;
    this.podName = pod;
    this.uid = uid;
    for (int i = 0; i < targets.size(); i++) {
      forwards.add(new Forward(i, targets.get(i)));
    }
  }

  /** After the handshake: the port frames, then the connections to the pod. */
  void start(String subprotocol) {
    base64 = "v4.base64.channel.k8s.io".equals(subprotocol);
    for (Forward f : forwards) {
      byte[] port = {(byte) f.target.getPort(), (byte) (f.target.getPort() >>> 8)};
      send(f.dataChannel(), port);
      send(f.dataChannel() + 1, port);
    }
    ws.flush();
    for (Forward f : forwards) {
      f.connect();
    }
  }

  private void send(int channel, byte[] payload) {
    send(channel, Unpooled.wrappedBuffer(payload));
  }

  /** Writes one message of a channel (not flushed); takes ownership of {@code payload}. */
  private void send(int channel, ByteBuf payload) {
    if (base64) {
      String text =
          (char) ('0' + channel)
              + Base64.getEncoder().encodeToString(io.netty.buffer.ByteBufUtil.getBytes(payload));
      payload.release();
      ws.write(new TextWebSocketFrame(text));
    } else {
      ByteBuf frame =
          Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(new byte[] {(byte) channel}), payload);
      ws.write(new BinaryWebSocketFrame(frame));
    }
  }

  @Override
  public void frame(WebSocketFrame frame) {
    if (frame instanceof CloseWebSocketFrame) {
      closeAll();
      ws.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    ByteBuf content = frame.content();
    int channel;
    ByteBuf payload;
    if (frame instanceof BinaryWebSocketFrame) {
      if (!content.isReadable()) {
        return;
      }
      channel = content.readUnsignedByte();
      payload = content.retainedSlice();
    } else if (frame instanceof TextWebSocketFrame text) {
      String s = text.text();
      if (s.isEmpty()) {
        return;
      }
      channel = s.charAt(0) - '0';
      payload = Unpooled.wrappedBuffer(Base64.getDecoder().decode(s.substring(1)));
    } else if (frame instanceof ContinuationWebSocketFrame) {
      channel = lastChannel;
      payload = content.retainedSlice();
    } else {
      return;
    }
    lastChannel = channel;
    if (channel < 0 || channel % 2 != 0 || channel / 2 >= forwards.size()) {
      // Error channels are written by the server only; unknown channels are ignored.
      payload.release();
      return;
    }
    forwards.get(channel / 2).toPod(payload);
  }

  @Override
  public void writabilityChanged(boolean writable) {
    for (Forward f : forwards) {
      f.readFromPod(writable);
    }
  }

  @Override
  public void closed() {
    closeAll();
  }

  private void closeAll() {
    closed = true;
    for (Forward f : forwards) {
      f.close();
    }
  }

  private void forwardEnded() {
    for (Forward f : forwards) {
      if (!f.ended) {
        return;
      }
    }
    if (!closed && ws.isActive()) {
      closed = true;
      ws.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** One forwarded port: its TCP connection to the pod and the bytes waiting for it. */
  private final class Forward {
    final int index;
    final InetSocketAddress target;
    final ArrayDeque<ByteBuf> pending = new ArrayDeque<>();
    Channel connection;
    boolean connected;
    boolean ended;

    Forward(int index, InetSocketAddress target) {
      this.index = index;
      this.target = target;
    }

    int dataChannel() {
      return index * 2;
    }

    void connect() {
      ChannelFuture f =
          new Bootstrap()
              .group(ws.eventLoop())
              .channel(NioSocketChannel.class)
              .option(ChannelOption.TCP_NODELAY, true)
              .option(ChannelOption.AUTO_READ, ws.isWritable())
              .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
              .handler(new FromPod())
              .connect(target);
      connection = f.channel();
      f.addListener(
          done -> {
            if (done.isSuccess()) {
              connected = true;
              while (!pending.isEmpty()) {
                connection.write(pending.poll());
              }
              connection.flush();
            } else {
              failed(done.cause());
            }
          });
    }

    void toPod(ByteBuf payload) {
      if (ended) {
        payload.release();
      } else if (connected) {
        connection.writeAndFlush(payload);
      } else {
        pending.add(payload);
      }
    }

    void readFromPod(boolean on) {
      if (connection != null && connection.isOpen()) {
        connection.config().setAutoRead(on);
      }
    }

    void failed(Throwable cause) {
      String reason = cause == null ? "unknown error" : cause.getMessage();
      LOG.log(System.Logger.Level.DEBUG, () -> "port-forward to " + target + " failed: " + reason);
      if (!closed && ws.isActive()) {
        send(
            dataChannel() + 1,
            ("error forwarding port "
                    + target.getPort()
                    + " to pod "
                    + podName
                    + ", uid "
                    + uid
                    + ": dial tcp4 "
                    + target.getAddress().getHostAddress()
                    + ":"
                    + target.getPort()
                    + ": "
                    + reason)
                .getBytes(StandardCharsets.UTF_8));
        ws.flush();
      }
      end();
    }

    void end() {
      if (ended) {
        return;
      }
      ended = true;
      while (!pending.isEmpty()) {
        pending.poll().release();
      }
      if (connection != null) {
        connection.close();
      }
      forwardEnded();
    }

    void close() {
      ended = true;
      while (!pending.isEmpty()) {
        pending.poll().release();
      }
      if (connection != null) {
        connection.close();
      }
    }

    /** The pod side: its bytes go out on the data channel. */
    private final class FromPod extends ChannelInboundHandlerAdapter {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closed || !ws.isActive()) {
          ((ByteBuf) msg).release();
          return;
        }
        send(dataChannel(), (ByteBuf) msg);
        ws.flush();
        if (!ws.isWritable()) {
          ctx.channel().config().setAutoRead(false);
        }
      }

      @Override
      public void channelInactive(ChannelHandlerContext ctx) {
        if (connected) {
          end();
        }
      }

      @Override
      public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(
            System.Logger.Level.DEBUG,
            () -> "port-forward connection to " + target + " broke: " + cause);
        ctx.close();
      }
    }
  }
}
