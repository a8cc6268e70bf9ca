package dev.lifeline.testkit.internal.server;

import dev.lifeline.testkit.internal.store.StoredObject;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Encodes stored objects and lists from their stored bytes without re-serializing them. */
final class ObjectEncoding {
  private static final byte[] COMMA = {','};

  private ObjectEncoding() {}

  /** One object with {@code kind} and {@code apiVersion} (GET, POST, PUT, PATCH answers). */
  static ByteBuf object(StoredObject o) {
    byte[] body = o.body();
    return Unpooled.wrappedBuffer(
        Unpooled.wrappedBuffer(o.type().typeMetaPrefix()),
        Unpooled.wrappedBuffer(body, 1, body.length - 1));
  }

  /**
   * A list; items carry no {@code kind} and {@code apiVersion}, as in the apiserver's JSON lists.
   *
   * @param continueToken null for none
   * @param remainingItemCount negative for none
   */
  static ByteBuf list(
      String listKind,
      String apiVersion,
      long resourceVersion,
      String continueToken,
      long remainingItemCount,
      List<StoredObject> items) {
    StringBuilder head = new StringBuilder(128);
    head.append("{\"kind\":\"")
        .append(listKind)
        .append("\",\"apiVersion\":\"")
        .append(apiVersion)
        .append("\",\"metadata\":{\"resourceVersion\":\"")
        .append(resourceVersion)
        .append('"');
    if (continueToken != null) {
      head.append(",\"continue\":\"").append(continueToken).append('"');
    }
    if (remainingItemCount >= 0) {
      head.append(",\"remainingItemCount\":").append(remainingItemCount);
    }
    head.append("},\"items\":[");
    CompositeByteBuf out = Unpooled.compositeBuffer(items.size() * 2 + 2);
    out.addComponent(
        true, Unpooled.wrappedBuffer(head.toString().getBytes(StandardCharsets.UTF_8)));
    ByteBuf comma = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(COMMA));
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        out.addComponent(true, comma.duplicate());
      }
      out.addComponent(true, Unpooled.wrappedBuffer(items.get(i).body()));
    }
    out.addComponent(true, Unpooled.wrappedBuffer("]}".getBytes(StandardCharsets.UTF_8)));
    return out;
  }
}
