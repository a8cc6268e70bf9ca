package dev.lifeline.client.internal.codec;

import static dev.lifeline.client.internal.json.Leaf.BOOL;
import static dev.lifeline.client.internal.json.Leaf.BYTES_MAP;
import static dev.lifeline.client.internal.json.Leaf.STRING_MAP;

import dev.lifeline.client.internal.json.JsonOut;
import dev.lifeline.client.internal.json.ObjectSchema;
import dev.lifeline.client.model.BinaryData;
import dev.lifeline.client.model.ConfigMap;
import java.io.IOException;
import java.util.Map;

/** {@code v1/ConfigMap}. */
public final class ConfigMapCodec {
  private ConfigMapCodec() {}

  static final ObjectSchema<ConfigMap> SCHEMA =
      ObjectSchema.<ConfigMap>builder(
              "ConfigMap",
              4,
              s -> {
                Map<String, byte[]> binary = s.get(2);
                return new ConfigMap(s.get(0), s.map(1), BinaryData.of(binary), s.bool(3));
              })
          .object(0, "metadata", MetaCodec.META)
          .value(1, "data", STRING_MAP)
          .value(2, "binaryData", BYTES_MAP)
          .value(3, "immutable", BOOL)
          .build();

  /** The codec. */
  public static final Codec<ConfigMap> CODEC =
      new Codec<>("v1", "ConfigMap", SCHEMA, ConfigMapCodec::write);

  static void write(JsonOut out, ConfigMap cm) throws IOException {
    out.begin("v1", "ConfigMap");
    MetaCodec.write(out, cm.metadata());
    out.map("data", cm.data())
        .bytes("binaryData", cm.binaryData())
        .bool("immutable", cm.immutable())
        .end();
  }
}
