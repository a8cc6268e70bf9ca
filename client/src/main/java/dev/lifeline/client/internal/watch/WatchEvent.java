package dev.lifeline.client.internal.watch;

import dev.lifeline.client.KubeApiException;

/**
 * One event of a watch stream.
 *
 * @param type the event type
 * @param object the object (ADDED, MODIFIED, DELETED), else null
 * @param resourceVersion the object's or bookmark's resource version, else null
 * @param initialEventsEnd whether this bookmark ends the initial events of a watch-list
 * @param error the error (ERROR), else null
 * @param <T> the model
 */
public record WatchEvent<T>(
    Type type, T object, String resourceVersion, boolean initialEventsEnd, KubeApiException error) {

  /** The event types of the watch protocol. */
  public enum Type {
    ADDED,
    MODIFIED,
    DELETED,
    BOOKMARK,
    ERROR
  }

  /** An ADDED, MODIFIED or DELETED event. */
  public static <T> WatchEvent<T> of(Type type, T object, String resourceVersion) {
    return new WatchEvent<>(type, object, resourceVersion, false, null);
  }

  /** A bookmark. */
  public static <T> WatchEvent<T> bookmark(String resourceVersion, boolean initialEventsEnd) {
    return new WatchEvent<>(Type.BOOKMARK, null, resourceVersion, initialEventsEnd, null);
  }

  /** An ERROR event. */
  public static <T> WatchEvent<T> error(KubeApiException error) {
    return new WatchEvent<>(Type.ERROR, null, null, false, error);
  }
}
