package dev.lifeline.client.model;

import java.util.Map;

/** An object of the Kubernetes API: everything that has {@link ObjectMeta}. */
public interface KubeObject {
  /** The object's metadata (never null; fields a projection dropped are null or empty). */
  ObjectMeta metadata();

  /** The object's name. */
  default String name() {
    return metadata().name();
  }

  /** The object's namespace, or null for cluster-scoped objects. */
  default String namespace() {
    return metadata().namespace();
  }

  /** The object's labels (empty when none). */
  default Map<String, String> labels() {
    return metadata().labels();
  }
}
