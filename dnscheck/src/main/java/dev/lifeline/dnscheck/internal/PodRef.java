package dev.lifeline.dnscheck.internal;

import java.util.Objects;

/**
 * A pod as the checker knows it.
 *
 * @param namespace the pod's namespace
 * @param name the pod's name
 * @param uid the pod's UID (an eviction or an event names this exact pod, not a successor)
 * @param node the node it runs on, or empty if not scheduled
 */
public record PodRef(String namespace, String name, String uid, String node) {
  public PodRef {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    uid = uid == null ? "" : uid;
    node = node == null ? "" : node;
  }

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
