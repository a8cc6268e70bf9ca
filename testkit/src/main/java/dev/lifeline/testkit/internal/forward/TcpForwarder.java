package dev.lifeline.testkit.internal.forward;

import dev.lifeline.testkit.internal.server.AbortiveClose;
import dev.lifeline.testkit.internal.server.ListenerClose;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A TCP forwarder: each accepted connection is joined to a new connection to the backend that
 * {@link Backends} picks at that moment, and keeps it for its life. Bytes pass untouched (TLS ends
 * at the instance). As in Netty's proxy example, auto-read is off, the backend connect runs on the
 * client connection's event loop, and the next chunk is read only after the previous one was
 * written, so a stalled side stalls the other (a blackholed backend makes the client hang, as
 * through kube-proxy). A reset on one side resets the other; an orderly close closes the other
 * after a flush.
 *
 * <p>There is no connect timeout beyond the kernel's (as with kube-proxy's DNAT, the client's own
 * timeouts decide). When there is no backend, or its connect fails, the client's connection is
 * reset (a DNAT to a closed port or kube-proxy's REJECT refuses the connect) or closed (what a load
 * balancer does), as configured.
 *
 * <p>Thread-safe.
 */
public final class TcpForwarder implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(TcpForwarder.class.getName());

  private final String name;
  private final EventLoopGroup group;
  private final Backends backends;
  private final boolean resetWhenNoBackend;
  private final ChannelGroup connections = new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE);
  private final Map<Integer, Channel> backendByClientPort = new ConcurrentHashMap<>();
  private volatile Channel listener;

  /**
   * @param name for logs, e.g. {@code ClusterIP listener}
   * @param resetWhenNoBackend reset (true) or close (false) a client connection that gets no
   *     backend
   */
  public TcpForwarder(
      String name, EventLoopGroup group, Backends backends, boolean resetWhenNoBackend) {
    this.name = name;
    this.group = group;
    this.backends = backends;
    this.resetWhenNoBackend = resetWhenNoBackend;
  }

  /**
   * Starts listening.
   *
   * @return the bound address (with the port chosen when 0 was asked)
   * @throws BindException when the address and port are taken or not local
   */
  public InetSocketAddress bind(InetSocketAddress address) throws BindException {
    ChannelFuture f =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_REUSEADDR, true)
            .option(ChannelOption.SO_BACKLOG, 256)
            .childOption(ChannelOption.AUTO_READ, false)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    connections.add(ch);
                    ch.pipeline().addLast(new Frontend());
                  }
                })
            .bind(address)
            .awaitUninterruptibly();
    if (!f.isSuccess()) {
      BindException e =
          new BindException(
              name
                  + " could not listen on "
                  + address.getAddress().getHostAddress()
                  + ":"
                  + address.getPort()
                  + ": "
                  + (f.cause() == null ? "unknown" : f.cause().getMessage()));
      e.initCause(f.cause());
      throw e;
    }
    listener = f.channel();
    return (InetSocketAddress) listener.localAddress();
  }

  /** The listening address, or null before {@link #bind} and after {@link #close()}. */
  public InetSocketAddress address() {
    Channel l = listener;
    return l == null ? null : (InetSocketAddress) l.localAddress();
  }

  /**
   * The backend a client connection was forwarded to.
   *
   * @param clientPort the client's local port (the remote port of its connection here)
   */
  public Optional<InetSocketAddress> backendOf(int clientPort) {
    Channel b = backendByClientPort.get(clientPort);
    return b == null ? Optional.empty() : Optional.of((InetSocketAddress) b.remoteAddress());
  }

  /** Open client connections (each with its backend connection). */
  public int openConnections() {
    int n = 0;
    for (Channel c : connections) {
      n += c.parent() != null ? 1 : 0;
    }
    return n;
  }

  /** Stops listening and closes every forwarded connection. Idempotent. */
  @Override
  public void close() {
    Channel l = listener;
    listener = null;
    if (l != null && !ListenerClose.closeAndRelease(l, Duration.ofSeconds(5))) {
      LOG.log(System.Logger.Level.WARNING, name + " was not released within 5 s");
    }
    connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    backendByClientPort.clear();
  }

  /** Closes after what was written is flushed; a connection still connecting closes at once. */
  private static void closeOnFlush(Channel ch) {
    if (ch.isActive()) {
      ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    } else {
      ch.close();
    }
  }

  private void refuse(Channel client) {
    if (resetWhenNoBackend) {
      AbortiveClose.now(client);
    } else {
      client.close();
    }
  }

  /** The client side of one forwarded connection. */
  private final class Frontend extends ChannelInboundHandlerAdapter {
    private Channel backend;
    private int clientPort;

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      Channel client = ctx.channel();
      clientPort = ((InetSocketAddress) client.remoteAddress()).getPort();
      Optional<InetSocketAddress> target = backends.pick();
      if (target.isEmpty()) {
        LOG.log(System.Logger.Level.DEBUG, () -> name + ": no backend for " + client);
        refuse(client);
        return;
      }
      ChannelFuture connect =
          new Bootstrap()
              .group(client.eventLoop())
              .channel(NioSocketChannel.class)
              .option(ChannelOption.AUTO_READ, false)
              .option(ChannelOption.TCP_NODELAY, true)
              .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 0)
              .handler(new Backend(client))
              .connect(target.get());
      backend = connect.channel();
      connections.add(backend);
      connect.addListener(
          (ChannelFuture done) -> {
            if (done.isSuccess()) {
              backendByClientPort.put(clientPort, backend);
              client.read();
            } else {
              LOG.log(
                  System.Logger.Level.DEBUG,
                  () -> name + ": connect to " + target.get() + " failed: " + done.cause());
              refuse(client);
            }
          });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (backend == null || !backend.isActive()) {
        ReferenceCountUtil.release(msg);
        return;
      }
      backend
          .writeAndFlush(msg)
          .addListener(
              (ChannelFuture written) -> {
                if (written.isSuccess()) {
                  ctx.channel().read();
                } else {
                  written.channel().close();
                }
              });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      backendByClientPort.remove(clientPort, backend);
      if (backend != null) {
        closeOnFlush(backend);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // The client reset its connection (or it broke): the backend sees a reset too, as it would
      // through a DNAT.
      if (backend != null && cause instanceof IOException) {
        AbortiveClose.now(backend);
      }
      ctx.close();
    }
  }

  /** The backend side of one forwarded connection. */
  private static final class Backend extends ChannelInboundHandlerAdapter {
    private final Channel client;

    Backend(Channel client) {
      this.client = client;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      client
          .writeAndFlush(msg)
          .addListener(
              (ChannelFuture written) -> {
                if (written.isSuccess()) {
                  ctx.channel().read();
                } else {
                  ctx.channel().close();
                }
              });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      closeOnFlush(client);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (cause instanceof IOException) {
        // The backend reset the connection (a reset fault, a crash): so does the forwarder.
        AbortiveClose.now(client);
      }
      ctx.close();
    }
  }
}
