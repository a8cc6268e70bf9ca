package dev.lifeline.testkit.internal.store;

/**
 * One committed change in the store, as the watch cache keeps it.
 *
 * @param type ADDED, MODIFIED or DELETED
 * @param object the new version; for DELETED the last version re-stamped with the deletion's
 *     resourceVersion
 * @param previous the version before the change, null for ADDED
 * @param resourceVersion the resourceVersion the change committed at
 */
public record ChangeEvent(
    EventType type, StoredObject object, StoredObject previous, long resourceVersion) {

  /** The three kinds of change. */
  public enum EventType {
    ADDED,
    MODIFIED,
    DELETED
  }
}
