package dev.lifeline.testkit.internal.server;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * The user-space blackhole, first in every connection's pipeline: while closed it stops reading
 * from the socket (auto-read off; bytes that were already read are held, not processed) and stops
 * flushing to it (writes stay in the outbound buffer, which makes the channel unwritable once past
 * the high-water mark, so watch flow control applies). Opening it again delivers what was held and
 * flushes what was written, in order.
 *
 * <p>All methods run on the channel's event loop.
 */
final class ConnectionGate extends ChannelDuplexHandler {
  private final ArrayDeque<Object> heldReads = new ArrayDeque<>();
  private ChannelHandlerContext ctx;
  private boolean closed;
  private boolean flushPending;
  private boolean readCompletePending;

  ConnectionGate(boolean closed) {
    this.closed = closed;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    if (closed) {
      ctx.channel().config().setAutoRead(false);
    }
  }

  /** Closes or opens the gate. Must be called on the event loop. */
  void setClosed(boolean close) {
    if (ctx == null || close == closed) {
      return;
    }
    closed = close;
    if (close) {
      ctx.channel().config().setAutoRead(false);
      return;
    }
    while (!heldReads.isEmpty()) {
      ctx.fireChannelRead(heldReads.poll());
    }
    if (readCompletePending) {
      readCompletePending = false;
      ctx.fireChannelReadComplete();
    }
    if (flushPending) {
      flushPending = false;
      ctx.flush();
    }
    ctx.channel().config().setAutoRead(true);
    ctx.read();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (closed) {
      heldReads.add(msg);
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (closed) {
      readCompletePending = true;
    } else {
      ctx.fireChannelReadComplete();
    }
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    if (closed) {
      flushPending = true;
    } else {
      ctx.flush();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    while (!heldReads.isEmpty()) {
      ReferenceCountUtil.release(heldReads.poll());
    }
    ctx.fireChannelInactive();
  }
}
