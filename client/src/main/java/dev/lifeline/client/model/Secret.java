package dev.lifeline.client.model;

import java.util.Objects;

/**
 * A secret ({@code v1/Secret}). Its values never appear in {@link #toString()}.
 *
 * @param metadata the metadata
 * @param type the secret type, e.g. {@code Opaque} or {@code kubernetes.io/service-account-token}
 * @param data the values, decoded from base64
 * @param immutable whether the data can no longer change (null when not set)
 */
public record Secret(ObjectMeta metadata, String type, BinaryData data, Boolean immutable)
    implements KubeObject {

  /** Checks. */
  public Secret {
    metadata = Objects.requireNonNullElse(metadata, ObjectMeta.empty());
    data = Objects.requireNonNullElse(data, BinaryData.empty());
  }

  /** An Opaque secret. */
  public static Secret of(ObjectMeta metadata, BinaryData data) {
    return new Secret(metadata, "Opaque", data, null);
  }

  /** A copy of the value of {@code key}, or null. */
  public byte[] bytes(String key) {
    return data.bytes(key);
  }

  /** The value of {@code key} as UTF-8 text, or null. */
  public String string(String key) {
    return data.string(key);
  }

  /** Names the keys, never the values. */
  @Override
  public String toString() {
    return "Secret[metadata=" + metadata + ", type=" + type + ", keys=" + data + "]";
  }
}
