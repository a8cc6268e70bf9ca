package dev.lifeline.client.model;

/**
 * A reference from an object to its owner ({@code metadata.ownerReferences[]}).
 *
 * @param apiVersion the owner's API version, e.g. {@code apps/v1}
 * @param kind the owner's kind, e.g. {@code ReplicaSet}
 * @param name the owner's name
 * @param uid the owner's uid
 * @param controller whether the owner is the managing controller (null when not set)
 * @param blockOwnerDeletion whether deleting the owner waits for this object (null when not set)
 */
public record OwnerReference(
    String apiVersion,
    String kind,
    String name,
    String uid,
    Boolean controller,
    Boolean blockOwnerDeletion) {

  /** Whether this owner is the managing controller. */
  public boolean isController() {
    return Boolean.TRUE.equals(controller);
  }
}
