package dev.lifeline.client.internal.codec;

import static dev.lifeline.client.internal.json.Leaf.INT;
import static dev.lifeline.client.internal.json.Leaf.INT_OR_STRING;
import static dev.lifeline.client.internal.json.Leaf.POOLED;
import static dev.lifeline.client.internal.json.Leaf.POOLED_LIST;
import static dev.lifeline.client.internal.json.Leaf.STRING;
import static dev.lifeline.client.internal.json.Leaf.STRING_MAP;

import dev.lifeline.client.internal.json.JsonOut;
import dev.lifeline.client.internal.json.ObjectSchema;
import dev.lifeline.client.model.Service;
import java.io.IOException;

/** {@code v1/Service}. */
public final class ServiceCodec {
  private ServiceCodec() {}

  private static final ObjectSchema<Service.Port> PORT =
      ObjectSchema.<Service.Port>builder(
              "ServicePort",
              6,
              s ->
                  new Service.Port(
                      s.str(0), s.str(1), s.intOr(2, 0), s.get(3), s.integer(4), s.str(5)))
          .value(0, "name", POOLED)
          .value(1, "protocol", POOLED)
          .value(2, "port", INT)
          .value(3, "targetPort", INT_OR_STRING)
          .value(4, "nodePort", INT)
          .value(5, "appProtocol", POOLED)
          .build();

  static final ObjectSchema<Service> SCHEMA =
      ObjectSchema.<Service>builder(
              "Service",
              8,
              s ->
                  new Service(
                      s.get(0), s.str(1), s.str(2), s.list(3), s.list(4), s.list(5), s.map(6),
                      s.str(7)))
          .object(0, "metadata", MetaCodec.META)
          .value(1, "spec.type", POOLED)
          .value(2, "spec.clusterIP", STRING)
          .value(3, "spec.clusterIPs", POOLED_LIST)
          .value(4, "spec.ipFamilies", POOLED_LIST)
          .list(5, "spec.ports", PORT)
          .value(6, "spec.selector", STRING_MAP)
          .value(7, "spec.externalName", STRING)
          .build();

  /** The codec. */
  public static final Codec<Service> CODEC =
      new Codec<>("v1", "Service", SCHEMA, ServiceCodec::write);

  static void write(JsonOut out, Service svc) throws IOException {
    out.begin("v1", "Service");
    MetaCodec.write(out, svc.metadata());
    out.start("spec")
        .string("type", svc.type())
        .string("clusterIP", svc.clusterIP())
        .strings("clusterIPs", svc.clusterIPs())
        .strings("ipFamilies", svc.ipFamilies());
    if (!svc.ports().isEmpty()) {
      out.startArray("ports");
      for (Service.Port p : svc.ports()) {
        out.startElement()
            .string("name", p.name())
            .string("protocol", p.protocol())
            .number("port", p.port())
            .intOrString("targetPort", p.targetPort())
            .number("nodePort", p.nodePort())
            .string("appProtocol", p.appProtocol())
            .end();
      }
      out.endArray();
    }
    out.map("selector", svc.selector()).string("externalName", svc.externalName()).end().end();
  }
}
