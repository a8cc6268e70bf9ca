package dev.lifeline.testkit.internal.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

/**
 * Where a watch writes its events: an HTTP response body (chunked on HTTP/1.1, DATA frames on
 * HTTP/2) or a WebSocket (one text message per event). Used on the channel's event loop only.
 */
abstract class EventSink {
  final ChannelHandlerContext ctx;

  EventSink(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  Channel channel() {
    return ctx.channel();
  }

  /** Writes one encoded event (JSON followed by a newline) without flushing. */
  abstract void write(ByteBuf event);

  void flush() {
    ctx.flush();
  }

  /** Ends the stream cleanly. */
  abstract void end(boolean closeConnection);

  /** A response body. */
  static final class Http extends EventSink {
    private final boolean http2;

    Http(ChannelHandlerContext ctx, boolean http2) {
      super(ctx);
      this.http2 = http2;
    }

    @Override
    void write(ByteBuf event) {
      ctx.write(new DefaultHttpContent(event));
    }

    @Override
    void end(boolean closeConnection) {
      var f = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
      if (closeConnection && !http2) {
        f.addListener(ChannelFutureListener.CLOSE);
      }
    }
  }

  /** A WebSocket, as the apiserver serves watches to WebSocket clients. */
  static final class WebSocket extends EventSink {
    WebSocket(ChannelHandlerContext ctx) {
      super(ctx);
    }

    @Override
    void write(ByteBuf event) {
      ctx.write(new TextWebSocketFrame(event));
    }

    @Override
    void end(boolean closeConnection) {
      ctx.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
