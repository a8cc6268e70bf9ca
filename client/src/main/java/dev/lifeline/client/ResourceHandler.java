package dev.lifeline.client;

/**
 * Receives the changes an {@link Informer} sees. Every method has a no-op default.
 *
 * <p>Threading: all calls for one informer come from that informer's single delivery thread, one at
 * a time, in the order the changes happened; they are never concurrent for one informer. A slow
 * handler delays the informer (it does not buffer without bound). A handler that throws is logged
 * and the informer carries on.
 *
 * <p>Guarantees: every change is delivered once. After a relist (a resource version too old to
 * resume from, or a fallback from watch-list), only the difference to what was delivered before is
 * delivered, compared by uid and resource version.
 *
 * @param <T> the model
 */
public interface ResourceHandler<T> {
  /**
   * An object appeared.
   *
   * @param object the object
   * @param isInInitialList true while the informer delivers its first complete view (before {@link
   *     #onSynced()})
   */
  default void onAdd(T object, boolean isInInitialList) {}

  /** An object changed (its resource version differs). */
  default void onUpdate(T oldObject, T newObject) {}

  /**
   * An object disappeared.
   *
   * @param object its last state: from the delete event, or the last one known
   * @param finalStateUnknown true when the deletion was inferred from a relist, so the object's
   *     final state was not seen
   */
  default void onDelete(T object, boolean finalStateUnknown) {}

  /** The first complete view was delivered; called once. */
  default void onSynced() {}
}
