package dev.lifeline.testkit.internal.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeline.testkit.KubeApiException;
import dev.lifeline.testkit.internal.api.Json;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/** Builds responses with the headers the apiserver sends on every answer. */
final class Responses {
  static final String JSON = "application/json";
  static final String TEXT = "text/plain; charset=utf-8";
  private static final String FLOW_SCHEMA_UID = UUID.randomUUID().toString();
  private static final String PRIORITY_LEVEL_UID = UUID.randomUUID().toString();

  private Responses() {}

  /** A full response with the standard headers and a body. */
  static FullHttpResponse full(int code, String contentType, ByteBuf body) {
    FullHttpResponse r =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code), body);
    standardHeaders(r.headers(), contentType);
    HttpUtil.setContentLength(r, body.readableBytes());
    return r;
  }

  /** The headers of every apiserver response. */
  static void standardHeaders(HttpHeaders h, String contentType) {
    h.set("Audit-Id", UUID.randomUUID().toString());
    h.set(HttpHeaderNames.CACHE_CONTROL, "no-cache, private");
    h.set(HttpHeaderNames.CONTENT_TYPE, contentType);
    h.set(
        HttpHeaderNames.DATE,
        DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)));
    h.set("X-Kubernetes-Pf-Flowschema-Uid", FLOW_SCHEMA_UID);
    h.set("X-Kubernetes-Pf-Prioritylevel-Uid", PRIORITY_LEVEL_UID);
  }

  /**
   * A JSON response of a Status, with {@code Retry-After} when the Status asks the client to wait.
   */
  static FullHttpResponse status(KubeApiException e) {
    ObjectNode status = e.status();
    FullHttpResponse r = full(e.code(), JSON, Unpooled.wrappedBuffer(Json.bytes(status)));
    int retryAfter = status.path("details").path("retryAfterSeconds").asInt(0);
    if (retryAfter > 0) {
      r.headers().set(HttpHeaderNames.RETRY_AFTER, Integer.toString(retryAfter));
    }
    return r;
  }

  /** Writes a Status outside the normal request flow (oversized bodies). */
  static void writeStatus(ChannelHandlerContext ctx, KubeApiException e, boolean keepAlive) {
    FullHttpResponse r = status(e);
    if (!keepAlive) {
      r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.writeAndFlush(r);
    }
  }
}
