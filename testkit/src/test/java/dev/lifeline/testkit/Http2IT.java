package dev.lifeline.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2PingFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2PingFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HTTP/2 behaviour clients rely on: ALPN, PING answers, GOAWAY and ended streams on graceful
 * shutdown.
 */
class Http2IT {
  @RegisterExtension
  static final FakeControlPlaneExtension cp =
      new FakeControlPlaneExtension(
          FakeControlPlane.builder()
              .instances(2)
              .ephemeralPort()
              .endpointLease(Duration.ofSeconds(1), Duration.ofMillis(300)));

  private static final Duration WAIT = Duration.ofSeconds(10);
  private NioEventLoopGroup group;
  private final List<Object> connectionFrames = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    group = new NioEventLoopGroup(1, new DefaultThreadFactory("test-h2-client", true));
  }

  @AfterEach
  void stop() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
  }

  private Channel connect(ApiServerInstance instance, String... protocols) throws Exception {
    SslContext ssl =
        SslContextBuilder.forClient()
            .trustManager(cp.ca().certificate())
            .applicationProtocolConfig(
                new ApplicationProtocolConfig(
                    ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                    protocols))
            .build();
    Channel ch =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel c) {
                    c.pipeline().addLast(ssl.newHandler(c.alloc()));
                  }
                })
            .connect(instance.socketAddress())
            .sync()
            .channel();
    SslHandler tls = ch.pipeline().get(SslHandler.class);
    tls.handshakeFuture().sync();
    if ("h2".equals(tls.applicationProtocol())) {
      ch.pipeline()
          .addLast(Http2FrameCodecBuilder.forClient().autoAckPingFrame(false).build())
          .addLast(new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()))
          .addLast(
              new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                  connectionFrames.add(msg);
                }
              });
    }
    return ch;
  }

  @Test
  void alpnOffersHttp2AndHttp11() throws Exception {
    Channel h2 = connect(cp.instance(0), "h2", "http/1.1");
    Channel h1 = connect(cp.instance(0), "http/1.1");
    assertThat(h2.pipeline().get(SslHandler.class).applicationProtocol()).isEqualTo("h2");
    assertThat(h1.pipeline().get(SslHandler.class).applicationProtocol()).isEqualTo("http/1.1");
    h2.close().sync();
    h1.close().sync();
  }

  @Test
  void pingsAreAnswered() throws Exception {
    Channel ch = connect(cp.instance(0), "h2");
    ch.writeAndFlush(new DefaultHttp2PingFrame(0x1234_5678_9ABCL)).sync();
    await()
        .atMost(WAIT)
        .until(
            () ->
                connectionFrames.stream()
                    .anyMatch(
                        f ->
                            f instanceof Http2PingFrame p
                                && p.ack()
                                && p.content() == 0x1234_5678_9ABCL));
    ch.close().sync();
  }

  @Test
  void aGracefulStopSendsGoAwayAndEndsWatchStreams() throws Exception {
    ApiServerInstance instance = cp.instance(1);
    Channel ch = connect(instance, "h2");
    List<Object> streamFrames = new CopyOnWriteArrayList<>();
    Http2StreamChannel stream =
        new Http2StreamChannelBootstrap(ch)
            .handler(
                new ChannelInboundHandlerAdapter() {
                  @Override
                  public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    if (msg instanceof Http2DataFrame d) {
                      streamFrames.add(
                          d.content().toString(StandardCharsets.UTF_8)
                              + (d.isEndStream() ? "<END>" : ""));
                    } else {
                      streamFrames.add(msg);
                    }
                    ReferenceCountUtil.release(msg);
                  }
                })
            .open()
            .sync()
            .getNow();
    Http2Headers headers =
        new DefaultHttp2Headers()
            .method("GET")
            .scheme("https")
            .authority(instance.socketAddress().getHostString() + ":" + instance.port())
            .path(
                "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion="
                    + cp.store().resourceVersion())
            .add("authorization", "Bearer " + cp.admin().token());
    stream.writeAndFlush(new DefaultHttp2HeadersFrame(headers, true)).sync();
    await().atMost(WAIT).until(() -> instance.openWatches() == 1);
    assertThat(streamFrames)
        .first()
        .isInstanceOfSatisfying(
            Http2HeadersFrame.class,
            h -> assertThat(h.headers().status().toString()).isEqualTo("200"));

    instance.stopGracefully();

    await()
        .atMost(WAIT)
        .until(
            () ->
                connectionFrames.stream()
                    .anyMatch(
                        f ->
                            f instanceof Http2GoAwayFrame g
                                && g.errorCode() == Http2Error.NO_ERROR.code()));
    await()
        .atMost(WAIT)
        .until(() -> streamFrames.stream().anyMatch(f -> f.toString().endsWith("<END>")));
    await().atMost(WAIT).until(() -> !ch.isActive());
    assertThat(instance.openWatches()).isZero();
    instance.restart();
  }
}
