package dev.lifeline.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One committed change of the fake store, as an unfiltered watcher of its kind would see it.
 * Immutable; the object is decoded on demand.
 */
public final class StoreEvent {
  private final String type;
  private final String apiVersion;
  private final String kind;
  private final String namespace;
  private final String name;
  private final long resourceVersion;
  private final Supplier<ObjectNode> object;

  /**
   * @param type {@code ADDED}, {@code MODIFIED} or {@code DELETED}
   * @param namespace empty for cluster-scoped kinds
   * @param object supplies a fresh copy of the object after the change
   */
  public StoreEvent(
      String type,
      String apiVersion,
      String kind,
      String namespace,
      String name,
      long resourceVersion,
      Supplier<ObjectNode> object) {
    this.type = Objects.requireNonNull(type, "type");
    this.apiVersion = Objects.requireNonNull(apiVersion, "apiVersion");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.name = Objects.requireNonNull(name, "name");
    this.resourceVersion = resourceVersion;
    this.object = Objects.requireNonNull(object, "object");
  }

  /** {@code ADDED}, {@code MODIFIED} or {@code DELETED}. */
  public String type() {
    return type;
  }

  /** The object's API version. */
  public String apiVersion() {
    return apiVersion;
  }

  /** The object's kind. */
  public String kind() {
    return kind;
  }

  /** The namespace, empty for cluster-scoped kinds. */
  public String namespace() {
    return namespace;
  }

  /** The name. */
  public String name() {
    return name;
  }

  /** The version the change committed at. */
  public long resourceVersion() {
    return resourceVersion;
  }

  /**
   * A fresh copy of the object after the change (for DELETED: its last state, at the deletion's
   * version).
   */
  public ObjectNode object() {
    return object.get();
  }

  @Override
  public String toString() {
    return type
        + " "
        + kind
        + " "
        + (namespace.isEmpty() ? "" : namespace + "/")
        + name
        + "@"
        + resourceVersion;
  }
}
