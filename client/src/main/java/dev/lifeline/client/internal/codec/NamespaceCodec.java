package dev.lifeline.client.internal.codec;

import static dev.lifeline.client.internal.json.Leaf.POOLED;

import dev.lifeline.client.internal.json.JsonOut;
import dev.lifeline.client.internal.json.ObjectSchema;
import dev.lifeline.client.model.Namespace;
import java.io.IOException;

/** {@code v1/Namespace}. */
public final class NamespaceCodec {
  private NamespaceCodec() {}

  static final ObjectSchema<Namespace> SCHEMA =
      ObjectSchema.<Namespace>builder("Namespace", 2, s -> new Namespace(s.get(0), s.str(1)))
          .object(0, "metadata", MetaCodec.META)
          .value(1, "status.phase", POOLED)
          .build();

  /** The codec. */
  public static final Codec<Namespace> CODEC =
      new Codec<>("v1", "Namespace", SCHEMA, NamespaceCodec::write);

  static void write(JsonOut out, Namespace ns) throws IOException {
    out.begin("v1", "Namespace");
    MetaCodec.write(out, ns.metadata());
    if (ns.phase() != null) {
      out.start("status").string("phase", ns.phase()).end();
    }
    out.end();
  }
}
