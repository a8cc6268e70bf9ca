package dev.lifeline.client.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Any API object, as an immutable tree: {@code Map<String, Object>} for JSON objects (in document
 * order), {@code List<Object>} for arrays, and {@code String}, {@code Long}, {@code Double}, {@code
 * Boolean} or null for values. The metadata is decoded as {@link ObjectMeta}; {@link #content()}
 * holds every other top-level field.
 *
 * @param apiVersion the API version, e.g. {@code apps/v1}
 * @param kind the kind, e.g. {@code Deployment}
 * @param metadata the metadata
 * @param content the other top-level fields ({@code spec}, {@code status}, {@code data}...)
 */
public record GenericObject(
    String apiVersion, String kind, ObjectMeta metadata, Map<String, Object> content)
    implements KubeObject {

  /** Checks. */
  public GenericObject {
    metadata = Objects.requireNonNullElse(metadata, ObjectMeta.empty());
    content = content == null ? Map.of() : content;
  }

  /**
   * The value at a path of field names and list indexes, e.g. {@code at("spec", "template", "spec",
   * "containers", 0, "image")}; null when any step is missing.
   */
  public Object at(Object... path) {
    Object node = content;
    for (Object step : path) {
      if (step instanceof Integer && node instanceof List) {
        List<?> list = (List<?>) node;
        int index = (Integer) step;
        node = index >= 0 && index < list.size() ? list.get(index) : null;
      } else if (node instanceof Map) {
        node = ((Map<?, ?>) node).get(String.valueOf(step));
      } else {
        return null;
      }
      if (node == null) {
        return null;
      }
    }
    return node;
  }

  /** The string at a path, or null when missing or not a string. */
  public String string(Object... path) {
    Object v = at(path);
    return v instanceof String ? (String) v : null;
  }
}
