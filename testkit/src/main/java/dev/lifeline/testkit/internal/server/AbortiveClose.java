package dev.lifeline.testkit.internal.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;

/**
 * Closes a TCP connection the way a dead process or a firewall reject does: SO_LINGER 0, then the
 * socket is closed beneath every handler of the pipeline (no TLS close_notify, no HTTP/2 GOAWAY, no
 * pending writes), so the peer gets an RST.
 */
public final class AbortiveClose {
  private AbortiveClose() {}

  /** Resets the connection now. Must run on the channel's event loop. */
  public static void now(Channel channel) {
    if (!channel.isOpen()) {
      return;
    }
    try {
      channel.config().setOption(ChannelOption.SO_LINGER, 0);
    } catch (RuntimeException closedMeanwhile) {
      // The socket is gone already; there is nothing to reset.
    }
    channel.unsafe().close(channel.voidPromise());
  }

  /** Resets the connection on its event loop (from any thread). */
  public static void later(Channel channel) {
    if (channel.eventLoop().inEventLoop()) {
      now(channel);
    } else {
      channel.eventLoop().execute(() -> now(channel));
    }
  }
}
