package dev.lifeline.testkit.internal.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of an HTTP/1.1 connection or an HTTP/2 stream: hands each request to the
 * instance's logic, and keeps the watch that streams on this channel informed of writability and
 * disconnects.
 */
final class RequestDispatcher extends ChannelInboundHandlerAdapter {
  private static final System.Logger LOG = System.getLogger(RequestDispatcher.class.getName());

  private final ConnectionInfo connection;
  private final ApiLogic logic;
  private final boolean http2;
  private WatchSession session;
  private WebSocketPeer peer;
  private Exchange current;
  private boolean webSocket;

  RequestDispatcher(ConnectionInfo connection, ApiLogic logic, boolean http2) {
    this.connection = connection;
    this.logic = logic;
    this.http2 = http2;
  }

  void session(WatchSession s) {
    this.session = s;
  }

  void webSocketOpened() {
    this.webSocket = true;
  }

  /** The WebSocket of this channel is served by {@code peer} from now on. */
  void webSocketOpened(WebSocketPeer peer) {
    this.webSocket = true;
    this.peer = peer;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof FullHttpRequest req) {
        if (webSocket) {
          return;
        }
        current = new Exchange(ctx, req, connection, http2, logic.instance());
        logic.handle(current, this);
      } else if (msg instanceof WebSocketFrame frame) {
        onFrame(ctx, frame);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onFrame(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (frame instanceof PingWebSocketFrame ping) {
      ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
      return;
    }
    if (peer != null) {
      peer.frame(frame);
      return;
    }
    if (frame instanceof CloseWebSocketFrame) {
      if (session != null) {
        session.end(true);
      } else {
        ctx.close();
      }
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (session != null && ctx.channel().isWritable()) {
      session.onWritable();
    }
    if (peer != null) {
      peer.writabilityChanged(ctx.channel().isWritable());
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (current != null && !current.isAnswered()) {
      current.abandoned();
    }
    if (peer != null) {
      peer.closed();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.log(
        System.Logger.Level.DEBUG,
        "request channel from " + connection.remote() + " failed",
        cause);
    ctx.close();
  }
}
