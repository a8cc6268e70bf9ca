package dev.lifeline.testkit.internal.forward;

import dev.lifeline.testkit.internal.server.AbortiveClose;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * HAProxy-style TCP health checks: every interval, a TCP connect to each server (the interval is
 * also the connect timeout); {@code fall} consecutive failures take a server down, {@code rise}
 * consecutive successes bring it back. Servers start up. A check connection is reset as soon as it
 * is established (as HAProxy does, so checks leave no TIME_WAIT behind), so the instance sees a
 * connection without a TLS handshake. Thread-safe.
 */
public final class TcpHealthChecks implements AutoCloseable {
  private final List<InetSocketAddress> servers;
  private final EventLoopGroup group;
  private final Duration interval;
  private final int fall;
  private final int rise;
  private final List<State> states = new ArrayList<>();
  private volatile ScheduledFuture<?> task;

  private static final class State {
    volatile boolean up = true;
    int failures;
    int successes;
    boolean inFlight;
  }

  /** Checks for each server, in order; call {@link #start()}. */
  public TcpHealthChecks(
      List<InetSocketAddress> servers,
      EventLoopGroup group,
      Duration interval,
      int fall,
      int rise) {
    this.servers = List.copyOf(servers);
    this.group = group;
    this.interval = interval;
    this.fall = fall;
    this.rise = rise;
    for (int i = 0; i < servers.size(); i++) {
      states.add(new State());
    }
  }

  /** Starts checking, the first round after one interval. */
  public void start() {
    long nanos = interval.toNanos();
    task = group.next().scheduleAtFixedRate(this::round, nanos, nanos, TimeUnit.NANOSECONDS);
  }

  /** Whether server {@code index} is considered up. */
  public boolean isUp(int index) {
    return states.get(index).up;
  }

  private void round() {
    for (int i = 0; i < servers.size(); i++) {
      State s = states.get(i);
      synchronized (s) {
        if (s.inFlight) {
          continue;
        }
        s.inFlight = true;
      }
      check(servers.get(i), s);
    }
  }

  private void check(InetSocketAddress server, State s) {
    ChannelFuture f =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, interval.toMillis()))
            .handler(new ChannelInboundHandlerAdapter())
            .connect(server);
    f.addListener(
        (ChannelFuture done) -> {
          boolean ok = done.isSuccess();
          if (ok) {
            AbortiveClose.now(done.channel());
          }
          record(s, ok);
        });
  }

  private void record(State s, boolean ok) {
    synchronized (s) {
      s.inFlight = false;
      if (ok) {
        s.failures = 0;
        s.successes++;
        if (!s.up && s.successes >= rise) {
          s.up = true;
        }
      } else {
        s.successes = 0;
        s.failures++;
        if (s.up && s.failures >= fall) {
          s.up = false;
        }
      }
    }
  }

  /** Stops checking. Idempotent. */
  @Override
  public void close() {
    ScheduledFuture<?> t = task;
    if (t != null) {
      t.cancel(false);
    }
  }
}
