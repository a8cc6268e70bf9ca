package dev.lifeline.testkit.internal.server;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoop;
import io.netty.channel.nio.NioTask;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Closes a listening channel so that the port is really released when the call returns.
 *
 * <p>A Netty NIO server channel's close future completes before the kernel socket is gone: the JDK
 * does not close the file descriptor of a channel that is registered with a {@link
 * java.nio.channels.Selector}; it cancels the key and closes the descriptor when that selector next
 * selects and deregisters it. Until the event loop comes round to its next select (microseconds
 * when idle, much longer on a loaded machine), the socket keeps listening and the kernel completes
 * TCP handshakes with it, so a client that connects "after" the close may connect. To wait for that
 * select, this registers a pipe with the same selector and makes it readable: the select that
 * reports the pipe has processed the listener's cancelled key first, and so closed its socket.
 */
public final class ListenerClose {
  private static final System.Logger LOG = System.getLogger(ListenerClose.class.getName());

  private ListenerClose() {}

  /**
   * Closes {@code listener} and waits, at most {@code limit}, until its socket is closed.
   *
   * @return whether the socket was released within the limit
   */
  public static boolean closeAndRelease(Channel listener, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    if (!listener.close().awaitUninterruptibly(limit.toMillis())) {
      return false;
    }
    EventLoop loop = listener.eventLoop();
    if (!(loop instanceof NioEventLoop nio) || nio.isShuttingDown()) {
      // Other transports close the descriptor in close(); a stopping loop closes its selector.
      return true;
    }
    return awaitSelect(nio, deadline);
  }

  /** Waits until {@code loop} has selected once after now; true when the loop is gone. */
  private static boolean awaitSelect(NioEventLoop loop, long deadline) {
    CountDownLatch selected = new CountDownLatch(1);
    Pipe pipe;
    try {
      pipe = Pipe.open();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot open a pipe to wait for a listener's close", e);
      return false;
    }
    try (Pipe.SourceChannel source = pipe.source();
        Pipe.SinkChannel sink = pipe.sink()) {
      source.configureBlocking(false);
      try {
        loop.register(source, SelectionKey.OP_READ, new Ready(selected));
      } catch (IllegalStateException shutDown) {
        return true;
      }
      sink.write(ByteBuffer.wrap(new byte[] {1}));
      long left = deadline - System.nanoTime();
      return left > 0 && selected.await(left, TimeUnit.NANOSECONDS);
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "waiting for a listener's close failed", e);
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Counts down when the selector reports the pipe readable (or drops it). */
  private static final class Ready implements NioTask<SelectableChannel> {
    private final CountDownLatch selected;

    Ready(CountDownLatch selected) {
      this.selected = selected;
    }

    @Override
    public void channelReady(SelectableChannel ch, SelectionKey key) {
      key.cancel();
      selected.countDown();
    }

    @Override
    public void channelUnregistered(SelectableChannel ch, Throwable cause) {
      selected.countDown();
    }
  }
}
