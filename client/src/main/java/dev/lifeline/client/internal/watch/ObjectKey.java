package dev.lifeline.client.internal.watch;

import dev.lifeline.client.model.KubeObject;

/**
 * An object's key: namespace (null for cluster-scoped) and name; shares the object's own strings.
 */
record ObjectKey(String namespace, String name) {
  static ObjectKey of(KubeObject object) {
    return new ObjectKey(object.metadata().namespace(), object.metadata().name());
  }
}
