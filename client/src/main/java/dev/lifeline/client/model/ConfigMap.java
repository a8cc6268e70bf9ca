package dev.lifeline.client.model;

import dev.lifeline.client.internal.json.StringMap;
import java.util.Map;
import java.util.Objects;

/**
 * A config map ({@code v1/ConfigMap}).
 *
 * @param metadata the metadata
 * @param data the UTF-8 entries
 * @param binaryData the binary entries
 * @param immutable whether the data can no longer change (null when not set)
 */
public record ConfigMap(
    ObjectMeta metadata, Map<String, String> data, BinaryData binaryData, Boolean immutable)
    implements KubeObject {

  /** Checks and copies. */
  public ConfigMap {
    metadata = Objects.requireNonNullElse(metadata, ObjectMeta.empty());
    data = StringMap.copyOf(data);
    binaryData = Objects.requireNonNullElse(binaryData, BinaryData.empty());
  }

  /** A config map with text data. */
  public static ConfigMap of(ObjectMeta metadata, Map<String, String> data) {
    return new ConfigMap(metadata, data, null, null);
  }

  /** The text value of {@code key}, or null. */
  public String get(String key) {
    return data.get(key);
  }
}
