package dev.lifeline.client.model;

import java.util.Objects;

/**
 * A namespace ({@code v1/Namespace}).
 *
 * @param metadata the metadata
 * @param phase {@code status.phase}: Active or Terminating
 */
public record Namespace(ObjectMeta metadata, String phase) implements KubeObject {
  /** Checks. */
  public Namespace {
    metadata = Objects.requireNonNullElse(metadata, ObjectMeta.empty());
  }

  /** A namespace to create, with this name. */
  public static Namespace named(String name) {
    return new Namespace(ObjectMeta.of(null, name), null);
  }
}
