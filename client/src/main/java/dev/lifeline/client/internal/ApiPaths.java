package dev.lifeline.client.internal;

import dev.lifeline.client.ResourceType;
import java.util.ArrayList;
import java.util.List;

/**
 * The API server's path layout: {@code /api/v1/...} for the core group, {@code
 * /apis/{group}/{version}/...} else.
 */
final class ApiPaths {
  private ApiPaths() {}

  /** The collection of a resource, in one namespace or (null) all. */
  static List<String> collection(ResourceType<?> type, String namespace) {
    List<String> segments = new ArrayList<>();
    if (type.group().isEmpty()) {
      segments.add("api");
    } else {
      segments.add("apis");
      segments.add(type.group());
    }
    segments.add(type.version());
    if (type.isNamespaced() && namespace != null) {
      if (namespace.isEmpty()) {
        throw new IllegalArgumentException("namespace: empty; use null for all namespaces");
      }
      segments.add("namespaces");
      segments.add(namespace);
    }
    if (!type.isNamespaced() && namespace != null) {
      throw new IllegalArgumentException(
          "namespace: "
              + type.plural()
              + " are cluster-scoped; pass null, not '"
              + namespace
              + "'");
    }
    segments.add(type.plural());
    return segments;
  }

  /** One object, and optionally a subresource of it. */
  static List<String> object(
      ResourceType<?> type, String namespace, String name, String... subresource) {
    if (type.isNamespaced() && (namespace == null || namespace.isEmpty())) {
      throw new IllegalArgumentException(
          "namespace: required for "
              + type.plural()
              + " (namespaced); got "
              + (namespace == null ? "null" : "''"));
    }
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("name: required");
    }
    List<String> segments = collection(type, namespace);
    segments.add(name);
    segments.addAll(List.of(subresource));
    return segments;
  }
}
