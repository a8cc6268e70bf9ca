package dev.lifeline.testkit.internal.server;

import dev.lifeline.testkit.KubeApiException;
import dev.lifeline.testkit.RequestRecord;
import dev.lifeline.testkit.internal.auth.Identity;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One request and its answer, on the event loop of its channel (an HTTP/1.1 connection or an HTTP/2
 * stream). Applies the latency fault, logs the request, keeps HTTP/1.1 keep-alive right, counts
 * in-flight requests.
 */
final class Exchange {
  final ChannelHandlerContext ctx;
  final FullHttpRequest request;
  final ConnectionInfo connection;
  final boolean http2;
  final String path;
  final Map<String, List<String>> query;
  final byte[] body;
  final Instant start = Instant.now();
  private final long startNanos = System.nanoTime();
  private final InstanceRuntime instance;
  private final boolean keepAlive;
  private Identity identity;
  private boolean answered;
  private boolean counted;

  Exchange(
      ChannelHandlerContext ctx,
      FullHttpRequest request,
      ConnectionInfo connection,
      boolean http2,
      InstanceRuntime instance) {
    this.ctx = ctx;
    this.request = request;
    this.connection = connection;
    this.http2 = http2;
    this.instance = instance;
    this.keepAlive = http2 || HttpUtil.isKeepAlive(request);
    QueryStringDecoder d = new QueryStringDecoder(request.uri(), StandardCharsets.UTF_8);
    String p = d.path();
    this.path = p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    this.query = d.parameters();
    byte[] b = new byte[request.content().readableBytes()];
    request.content().getBytes(request.content().readerIndex(), b);
    this.body = b;
  }

  String method() {
    return request.method().name();
  }

  /** The first value of a query parameter, or null. */
  String param(String name) {
    List<String> v = query.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  /** Whether a boolean query parameter is true (as Go's strconv.ParseBool reads it). */
  boolean flag(String name) {
    String v = param(name);
    return v != null
        && (v.equals("true")
            || v.equals("1")
            || v.equals("t")
            || v.equals("T")
            || v.equals("TRUE")
            || v.equals("True"));
  }

  String header(CharSequence name) {
    return request.headers().get(name);
  }

  Identity identity() {
    return identity;
  }

  void identity(Identity id) {
    this.identity = id;
  }

  void countInFlight() {
    counted = true;
    instance.requestStarted();
  }

  boolean isAnswered() {
    return answered;
  }

  /** Answers with a Status. */
  void fail(KubeApiException e) {
    respond(Responses.status(e));
  }

  /** Answers with JSON bytes. */
  void json(int code, byte[] body) {
    respond(Responses.full(code, Responses.JSON, Unpooled.wrappedBuffer(body)));
  }

  /** Answers with a JSON buffer. */
  void json(int code, ByteBuf body) {
    respond(Responses.full(code, Responses.JSON, body));
  }

  /** Answers with plain text. */
  void text(int code, String body) {
    FullHttpResponse r =
        Responses.full(code, Responses.TEXT, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    r.headers().set("X-Content-Type-Options", "nosniff");
    respond(r);
  }

  /**
   * Answers; the response is delayed by the latency fault, logged, and closes HTTP/1.1 when
   * shutting down.
   */
  void respond(FullHttpResponse response) {
    if (answered) {
      response.release();
      return;
    }
    answered = true;
    prepare(response);
    Duration delay = instance.responseDelay();
    if (delay.isZero()) {
      write(response);
    } else {
      ctx.executor().schedule(() -> write(response), delay.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private void prepare(HttpResponse response) {
    if (!http2) {
      boolean close = !keepAlive || instance.isTerminating();
      HttpUtil.setKeepAlive(response, !close);
      if (close) {
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      }
    }
  }

  private void write(FullHttpResponse response) {
    int code = response.status().code();
    boolean close =
        !http2
            && HttpHeaderValues.CLOSE.contentEqualsIgnoreCase(
                response.headers().get(HttpHeaderNames.CONNECTION, ""));
    // Logged before the write: a client that has its answer must find its request in the log.
    log(code);
    ChannelFuture f = ctx.writeAndFlush(response);
    if (close) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
    f.addListener(done -> finished());
  }

  /**
   * Marks the start of a streaming answer (a watch) for the log; in-flight counting does not apply.
   */
  void streamStarted(HttpResponse headers) {
    answered = true;
    prepare(headers);
    log(headers.status().code());
  }

  private void finished() {
    if (counted) {
      counted = false;
      instance.requestFinished();
    }
  }

  /** Called when the channel closes before an answer was written. */
  void abandoned() {
    finished();
  }

  private void log(int code) {
    String ua = header(HttpHeaderNames.USER_AGENT);
    instance.record(
        new RequestRecord(
            start,
            method(),
            request.uri(),
            identity == null ? "" : identity.name(),
            ua == null ? "" : ua,
            code,
            connection.protocol(),
            connection.remote(),
            Duration.ofNanos(System.nanoTime() - startNanos)));
  }
}
