package dev.lifeline.client.internal.codec;

import static dev.lifeline.client.internal.json.Leaf.BOOL;
import static dev.lifeline.client.internal.json.Leaf.BYTES_MAP;
import static dev.lifeline.client.internal.json.Leaf.POOLED;

import dev.lifeline.client.internal.json.JsonOut;
import dev.lifeline.client.internal.json.ObjectSchema;
import dev.lifeline.client.model.BinaryData;
import dev.lifeline.client.model.Secret;
import java.io.IOException;
import java.util.Map;

/** {@code v1/Secret}. */
public final class SecretCodec {
  private SecretCodec() {}

  static final ObjectSchema<Secret> SCHEMA =
      ObjectSchema.<Secret>builder(
              "Secret",
              4,
              s -> {
                Map<String, byte[]> data = s.get(2);
                return new Secret(s.get(0), s.str(1), BinaryData.of(data), s.bool(3));
              })
          .object(0, "metadata", MetaCodec.META)
          .value(1, "type", POOLED)
          .value(2, "data", BYTES_MAP)
          .value(3, "immutable", BOOL)
          .build();

  /** The codec. */
  public static final Codec<Secret> CODEC = new Codec<>("v1", "Secret", SCHEMA, SecretCodec::write);

  static void write(JsonOut out, Secret secret) throws IOException {
    out.begin("v1", "Secret");
    MetaCodec.write(out, secret.metadata());
    out.string("type", secret.type())
        .bytes("data", secret.data())
        .bool("immutable", secret.immutable())
        .end();
  }
}
