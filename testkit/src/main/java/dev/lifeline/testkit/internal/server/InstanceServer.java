package dev.lifeline.testkit.internal.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The network side of one instance: the listener on its address and port, the open connections, and
 * the connection-level faults (user-space blackhole, reset) and graceful close.
 *
 * <p>Thread-safe; lifecycle methods are called by the instance under its own lock.
 */
public final class InstanceServer {
  private static final System.Logger LOG = System.getLogger(InstanceServer.class.getName());
  private final InetAddress address;
  private final EventLoopGroup group;
  private final SslContext ssl;
  private final ApiLogic logic;
  private final ChannelGroup connections = new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE);
  private volatile Channel listener;
  private volatile boolean accepting;
  private volatile boolean userSpaceBlackhole;

  /**
   * @param logic answers requests for this instance
   */
  public InstanceServer(InetAddress address, EventLoopGroup group, SslContext ssl, ApiLogic logic) {
    this.address = address;
    this.group = group;
    this.ssl = ssl;
    this.logic = logic;
  }

  /**
   * Starts listening.
   *
   * @param port the port, 0 for an ephemeral one
   * @return the bound port
   * @throws BindException when the address and port are taken
   */
  public int bind(int port) throws BindException {
    accepting = true;
    ServerBootstrap b =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_REUSEADDR, true)
            .option(ChannelOption.SO_BACKLOG, 256)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    initConnection(ch);
                  }
                });
    ChannelFuture f = b.bind(new InetSocketAddress(address, port)).awaitUninterruptibly();
    if (!f.isSuccess()) {
      accepting = false;
      Throwable cause = f.cause();
      BindException be =
          new BindException(
              "could not bind "
                  + address.getHostAddress()
                  + ":"
                  + port
                  + ": "
                  + (cause == null ? "unknown" : cause.getMessage()));
      if (cause != null) {
        be.initCause(cause);
      }
      throw be;
    }
    listener = f.channel();
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  /** Whether the listener is open. */
  public boolean isListening() {
    Channel l = listener;
    return l != null && l.isOpen();
  }

  /**
   * Closes the listener and returns once its socket is released, so new connections are refused
   * from then on (see {@link ListenerClose}); open connections stay, except those accepted but not
   * yet set up, which are reset (they would otherwise escape a following {@link
   * #resetConnections()}).
   */
  public void unbind() {
    accepting = false;
    Channel l = listener;
    listener = null;
    if (l != null && !ListenerClose.closeAndRelease(l, Duration.ofSeconds(5))) {
      LOG.log(
          System.Logger.Level.WARNING,
          "the listener on "
              + address.getHostAddress()
              + " was not released within 5 s; connects may still succeed for a while");
    }
  }

  private void initConnection(SocketChannel ch) {
    ConnectionInfo info = new ConnectionInfo(ch);
    ch.attr(ConnectionInfo.KEY).set(info);
    connections.add(ch);
    // Added first, checked second (unbind() clears the flag first, then the group is walked): a
    // connection accepted while the listener closes is either reset here or by the walk.
    if (!accepting) {
      ch.eventLoop().execute(() -> AbortiveClose.now(ch));
      return;
    }
    SslHandler tls = ssl.newHandler(ch.alloc());
    // A real server has no TLS handshake timeout that fails a stalled client early; a blackholed
    // client must
    // see its handshake hang, not fail.
    tls.setHandshakeTimeoutMillis(0);
    tls.setCloseNotifyFlushTimeoutMillis(1000);
    ch.pipeline().addLast("gate", new ConnectionGate(userSpaceBlackhole));
    ch.pipeline().addLast("tls", tls);
    ch.pipeline().addLast("alpn", new ProtocolNegotiation(info, logic));
  }

  /** Open connections. */
  public int connectionCount() {
    return connections.size();
  }

  /** The remote addresses of open connections. */
  public List<InetSocketAddress> clients() {
    List<InetSocketAddress> out = new ArrayList<>();
    for (Channel c : connections) {
      if (c.remoteAddress() instanceof InetSocketAddress isa) {
        out.add(isa);
      }
    }
    return out;
  }

  /** Whether a client port has an open connection here. */
  public boolean servesClientPort(int port) {
    for (Channel c : connections) {
      if (c.remoteAddress() instanceof InetSocketAddress isa && isa.getPort() == port) {
        return true;
      }
    }
    return false;
  }

  /** Closes or opens the user-space blackhole on every connection, present and future. */
  public void setUserSpaceBlackhole(boolean on) {
    userSpaceBlackhole = on;
    for (Channel c : connections) {
      c.eventLoop()
          .execute(
              () -> {
                ConnectionGate gate = c.pipeline().get(ConnectionGate.class);
                if (gate != null) {
                  gate.setClosed(on);
                }
              });
    }
  }

  /**
   * Resets every open connection, as a killed process or a firewall reject does: SO_LINGER 0, then
   * the socket is closed underneath every handler, so no TLS close_notify and no HTTP/2 GOAWAY go
   * out and the client reads an RST ({@code Connection reset by peer}) at once, whether the
   * connection is busy or idle. Returns when every socket is closed. Call after {@link #unbind()}.
   */
  public void resetConnections() {
    List<ChannelFuture> closing = new ArrayList<>();
    for (Channel c : connections) {
      closing.add(abortLater(c));
    }
    closing.forEach(f -> f.awaitUninterruptibly(5, TimeUnit.SECONDS));
  }

  private static ChannelFuture abortLater(Channel c) {
    ChannelPromise closed = c.newPromise();
    try {
      c.eventLoop()
          .execute(
              () -> {
                AbortiveClose.now(c);
                c.closeFuture().addListener(f -> closed.trySuccess());
              });
    } catch (RejectedExecutionException loopGone) {
      closed.trySuccess();
    }
    return closed;
  }

  /** Sends GOAWAY (NO_ERROR) on every HTTP/2 connection: no new streams, current ones finish. */
  public void goAway() {
    for (Channel c : connections) {
      c.eventLoop()
          .execute(
              () -> {
                if (c.pipeline().get(Http2FrameCodec.class) != null) {
                  c.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
                }
              });
    }
  }

  /** Closes every connection with a TLS close_notify. */
  public void closeConnections() {
    List<ChannelFuture> closing = new ArrayList<>();
    for (Channel c : connections) {
      closing.add(c.close());
    }
    closing.forEach(f -> f.awaitUninterruptibly(5, TimeUnit.SECONDS));
  }
}
