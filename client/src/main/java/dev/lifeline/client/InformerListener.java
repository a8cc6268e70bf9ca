package dev.lifeline.client;

import java.time.Duration;

/**
 * Observes an informer's list and watch requests, for logs and metrics. Every method has a no-op
 * default; calls come from the informer's thread; a listener that throws is logged and ignored.
 */
public interface InformerListener {
  /** A listener that does nothing. */
  InformerListener NONE = new InformerListener() {};

  /**
   * A full view is being fetched.
   *
   * @param informer the informer's name (resource and namespace)
   * @param watchList true for a watch-list stream, false for a LIST request
   */
  default void listStarted(String informer, boolean watchList) {}

  /** A full view was fetched with {@code items} objects. */
  default void listCompleted(String informer, boolean watchList, int items, Duration took) {}

  /** A watch request was opened from {@code resourceVersion}. */
  default void watchStarted(String informer, String resourceVersion) {}

  /** A watch ended after delivering {@code events} events. */
  default void watchEnded(String informer, int events, Duration lasted) {}

  /** A list or watch failed; the informer backs off and retries. */
  default void failed(String informer, Throwable error) {}

  /** The informer relists because the server no longer has its resource version (410 Expired). */
  default void relisted(String informer, String resourceVersion) {}

  /** The informer waits before its next attempt. */
  default void backoff(String informer, Duration delay) {}

  /** The server rejected or ignored watch-list; the informer uses LIST and WATCH from now on. */
  default void watchListFallback(String informer, String reason) {}
}
