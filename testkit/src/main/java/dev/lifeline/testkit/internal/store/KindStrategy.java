package dev.lifeline.testkit.internal.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeline.testkit.internal.api.Statuses.Cause;
import java.util.List;

/**
 * What the apiserver's registry strategy does for one kind beyond the generic object-meta handling:
 * defaulting, kind-specific validation, allocation and release of resources such as ClusterIPs.
 *
 * <p>Called with the store's lock held.
 */
interface KindStrategy {
  /** The strategy of kinds without special handling. */
  KindStrategy GENERIC = new KindStrategy() {};

  /**
   * Defaults a new object. {@code fromApi} is false for the store's direct Java API, which keeps a
   * status the caller supplied (the HTTP API resets it, as the real registry does).
   */
  default void prepareForCreate(ObjectNode obj, boolean fromApi) {}

  /** Kind-specific validation problems of an object about to be written. */
  default List<Cause> validate(ObjectNode obj) {
    return List.of();
  }

  /**
   * Allocates what the object needs (a ClusterIP) as the last step before it is written; throws a
   * {@link dev.lifeline.testkit.KubeApiException} when it cannot.
   */
  default void allocate(ObjectNode obj) {}

  /** Carries over what an update may not change, or rejects the change. */
  default void prepareForUpdate(ObjectNode newObj, ObjectNode oldObj) {}

  /** Releases what a deleted object held. */
  default void release(ObjectNode deleted) {}
}
