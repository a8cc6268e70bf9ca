package dev.lifeline.client.internal.codec;

import static dev.lifeline.client.internal.json.Leaf.BOOL;
import static dev.lifeline.client.internal.json.Leaf.INT;
import static dev.lifeline.client.internal.json.Leaf.POOLED;
import static dev.lifeline.client.internal.json.Leaf.STRING;
import static dev.lifeline.client.internal.json.Leaf.STRING_LIST;

import dev.lifeline.client.internal.json.JsonOut;
import dev.lifeline.client.internal.json.ObjectSchema;
import dev.lifeline.client.model.EndpointSlice;
import java.io.IOException;

/** {@code discovery.k8s.io/v1 EndpointSlice}. */
public final class EndpointSliceCodec {
  private EndpointSliceCodec() {}

  private static final ObjectSchema<EndpointSlice.Endpoint> ENDPOINT =
      ObjectSchema.<EndpointSlice.Endpoint>builder(
              "Endpoint",
              8,
              s ->
                  new EndpointSlice.Endpoint(
                      s.list(0), s.bool(1), s.bool(2), s.bool(3), s.str(4), s.str(5), s.str(6),
                      s.get(7)))
          .value(0, "addresses", STRING_LIST)
          .value(1, "conditions.ready", BOOL)
          .value(2, "conditions.serving", BOOL)
          .value(3, "conditions.terminating", BOOL)
          .value(4, "nodeName", POOLED)
          .value(5, "zone", POOLED)
          .value(6, "hostname", STRING)
          .object(7, "targetRef", MetaCodec.REFERENCE)
          .build();

  private static final ObjectSchema<EndpointSlice.Port> PORT =
      ObjectSchema.<EndpointSlice.Port>builder(
              "EndpointPort",
              4,
              s -> new EndpointSlice.Port(s.str(0), s.str(1), s.integer(2), s.str(3)))
          .value(0, "name", POOLED)
          .value(1, "protocol", POOLED)
          .value(2, "port", INT)
          .value(3, "appProtocol", POOLED)
          .build();

  static final ObjectSchema<EndpointSlice> SCHEMA =
      ObjectSchema.<EndpointSlice>builder(
              "EndpointSlice", 4, s -> new EndpointSlice(s.get(0), s.str(1), s.list(2), s.list(3)))
          .object(0, "metadata", MetaCodec.META)
          .value(1, "addressType", POOLED)
          .list(2, "endpoints", ENDPOINT)
          .list(3, "ports", PORT)
          .build();

  /** The codec. */
  public static final Codec<EndpointSlice> CODEC =
      new Codec<>("discovery.k8s.io/v1", "EndpointSlice", SCHEMA, EndpointSliceCodec::write);

  static void write(JsonOut out, EndpointSlice slice) throws IOException {
    out.begin("discovery.k8s.io/v1", "EndpointSlice");
    MetaCodec.write(out, slice.metadata());
    out.string("addressType", slice.addressType());
    out.startArray("endpoints");
    for (EndpointSlice.Endpoint e : slice.endpoints()) {
      out.startElement().strings("addresses", e.addresses());
      if (e.ready() != null || e.serving() != null || e.terminating() != null) {
        out.start("conditions")
            .bool("ready", e.ready())
            .bool("serving", e.serving())
            .bool("terminating", e.terminating())
            .end();
      }
      out.string("nodeName", e.nodeName())
          .string("zone", e.zone())
          .string("hostname", e.hostname());
      MetaCodec.writeReference(out, "targetRef", e.targetRef());
      out.end();
    }
    out.endArray();
    if (!slice.ports().isEmpty()) {
      out.startArray("ports");
      for (EndpointSlice.Port p : slice.ports()) {
        out.startElement()
            .string("name", p.name())
            .string("protocol", p.protocol())
            .number("port", p.port())
            .string("appProtocol", p.appProtocol())
            .end();
      }
      out.endArray();
    }
    out.end();
  }
}
