package dev.lifeline.client.internal.codec;

import static dev.lifeline.client.internal.json.Leaf.INT;
import static dev.lifeline.client.internal.json.Leaf.POOLED;
import static dev.lifeline.client.internal.json.Leaf.STRING;

import dev.lifeline.client.internal.json.JsonOut;
import dev.lifeline.client.internal.json.ObjectSchema;
import dev.lifeline.client.model.Endpoints;
import java.io.IOException;
import java.util.List;

/** {@code v1/Endpoints}. */
public final class EndpointsCodec {
  private EndpointsCodec() {}

  private static final ObjectSchema<Endpoints.Address> ADDRESS =
      ObjectSchema.<Endpoints.Address>builder(
              "EndpointAddress",
              4,
              s -> new Endpoints.Address(s.str(0), s.str(1), s.str(2), s.get(3)))
          .value(0, "ip", STRING)
          .value(1, "hostname", STRING)
          .value(2, "nodeName", POOLED)
          .object(3, "targetRef", MetaCodec.REFERENCE)
          .build();

  private static final ObjectSchema<Endpoints.Port> PORT =
      ObjectSchema.<Endpoints.Port>builder(
              "EndpointPort",
              4,
              s -> new Endpoints.Port(s.str(0), s.intOr(1, 0), s.str(2), s.str(3)))
          .value(0, "name", POOLED)
          .value(1, "port", INT)
          .value(2, "protocol", POOLED)
          .value(3, "appProtocol", POOLED)
          .build();

  private static final ObjectSchema<Endpoints.Subset> SUBSET =
      ObjectSchema.<Endpoints.Subset>builder(
              "EndpointSubset", 3, s -> new Endpoints.Subset(s.list(0), s.list(1), s.list(2)))
          .list(0, "addresses", ADDRESS)
          .list(1, "notReadyAddresses", ADDRESS)
          .list(2, "ports", PORT)
          .build();

  static final ObjectSchema<Endpoints> SCHEMA =
      ObjectSchema.<Endpoints>builder("Endpoints", 2, s -> new Endpoints(s.get(0), s.list(1)))
          .object(0, "metadata", MetaCodec.META)
          .list(1, "subsets", SUBSET)
          .build();

  /** The codec. */
  public static final Codec<Endpoints> CODEC =
      new Codec<>("v1", "Endpoints", SCHEMA, EndpointsCodec::write);

  static void write(JsonOut out, Endpoints endpoints) throws IOException {
    out.begin("v1", "Endpoints");
    MetaCodec.write(out, endpoints.metadata());
    if (!endpoints.subsets().isEmpty()) {
      out.startArray("subsets");
      for (Endpoints.Subset subset : endpoints.subsets()) {
        out.startElement();
        writeAddresses(out, "addresses", subset.addresses());
        writeAddresses(out, "notReadyAddresses", subset.notReadyAddresses());
        if (!subset.ports().isEmpty()) {
          out.startArray("ports");
          for (Endpoints.Port p : subset.ports()) {
            out.startElement()
                .string("name", p.name())
                .number("port", p.port())
                .string("protocol", p.protocol())
                .string("appProtocol", p.appProtocol())
                .end();
          }
          out.endArray();
        }
        out.end();
      }
      out.endArray();
    }
    out.end();
  }

  private static void writeAddresses(JsonOut out, String name, List<Endpoints.Address> addresses)
      throws IOException {
    if (addresses.isEmpty()) {
      return;
    }
    out.startArray(name);
    for (Endpoints.Address a : addresses) {
      out.startElement()
          .string("ip", a.ip())
          .string("hostname", a.hostname())
          .string("nodeName", a.nodeName());
      MetaCodec.writeReference(out, "targetRef", a.targetRef());
      out.end();
    }
    out.endArray();
  }
}
