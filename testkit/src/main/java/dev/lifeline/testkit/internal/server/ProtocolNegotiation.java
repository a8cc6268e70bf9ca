package dev.lifeline.testkit.internal.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;

/**
 * After the TLS handshake, builds the HTTP/2 or HTTP/1.1 pipeline that ALPN chose. Both end in a
 * {@link RequestDispatcher} receiving whole {@link FullHttpRequest}s, so both protocols reach the
 * same logic.
 */
final class ProtocolNegotiation extends ApplicationProtocolNegotiationHandler {
  private static final System.Logger LOG = System.getLogger(ProtocolNegotiation.class.getName());
  private static final int MAX_CONCURRENT_STREAMS = 250;

  private final ConnectionInfo info;
  private final ApiLogic logic;

  ProtocolNegotiation(ConnectionInfo info, ApiLogic logic) {
    super(ApplicationProtocolNames.HTTP_1_1);
    this.info = info;
    this.logic = logic;
  }

  @Override
  protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
    ChannelPipeline p = ctx.pipeline();
    if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
      info.protocol("h2");
      Http2FrameCodec codec =
          Http2FrameCodecBuilder.forServer()
              .initialSettings(
                  Http2Settings.defaultSettings().maxConcurrentStreams(MAX_CONCURRENT_STREAMS))
              .autoAckPingFrame(true)
              .build();
      p.addLast("h2", codec);
      p.addLast(
          "h2-streams",
          new Http2MultiplexHandler(
              new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel stream) {
                  stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true));
                  stream.pipeline().addLast(new BodyLimit(logic.maxRequestBodyBytes(), true));
                  stream.pipeline().addLast(new RequestDispatcher(info, logic, true));
                }
              }));
      // The frame codec passes I/O errors (a client's reset) on: end them here, not at the tail.
      p.addLast("h2-errors", new ConnectionErrors(info));
    } else {
      info.protocol("http/1.1");
      p.addLast("http1", new HttpServerCodec(8192, 65536, 65536));
      p.addLast("keep-alive", new HttpServerKeepAliveHandler());
      p.addLast("aggregate", new BodyLimit(logic.maxRequestBodyBytes(), false));
      p.addLast("dispatch", new RequestDispatcher(info, logic, false));
    }
  }

  @Override
  protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
    LOG.log(System.Logger.Level.DEBUG, "TLS handshake failed from " + info.remote(), cause);
    ctx.close();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.log(System.Logger.Level.DEBUG, "connection from " + info.remote() + " failed", cause);
    ctx.close();
  }

  /** Closes an HTTP/2 connection whose socket failed, as the apiserver does, without a warning. */
  static final class ConnectionErrors extends io.netty.channel.ChannelInboundHandlerAdapter {
    private final ConnectionInfo info;

    ConnectionErrors(ConnectionInfo info) {
      this.info = info;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.log(System.Logger.Level.DEBUG, "connection from " + info.remote() + " failed", cause);
      ctx.close();
    }
  }

  /** Aggregates request bodies up to the limit and answers 413 with a Status past it. */
  static final class BodyLimit extends HttpObjectAggregator {
    private final boolean http2;

    BodyLimit(int max, boolean http2) {
      super(max);
      this.http2 = http2;
    }

    @Override
    protected void handleOversizedMessage(
        ChannelHandlerContext ctx, io.netty.handler.codec.http.HttpMessage oversized) {
      // On HTTP/1.1 the rest of the body would be read as the next request, so the connection
      // closes; an
      // HTTP/2 stream just ends with the answer.
      Responses.writeStatus(
          ctx,
          dev.lifeline.testkit.internal.api.Statuses.entityTooLarge(maxContentLength()),
          http2);
    }

    @Override
    public boolean acceptInboundMessage(Object msg) throws Exception {
      return msg instanceof HttpObject && super.acceptInboundMessage(msg);
    }
  }
}
