package dev.lifeline.client.internal.watch;

import dev.lifeline.client.ResourceList;

/**
 * The two requests an informer makes, so that the engine can run against a fake in unit tests. Both
 * throw {@link dev.lifeline.client.KubeApiException} for an error answer and {@link
 * dev.lifeline.client.KubeException} when no answer came.
 */
public interface ListWatch<T> {
  /**
   * Lists one page.
   *
   * @param resourceVersion the version to list at ({@code ""}: most recent; {@code "0"}: any)
   * @param continueToken the next page's token, or null for the first page
   * @param limit the page size, or 0 for all
   */
  ResourceList<T> list(String resourceVersion, String continueToken, long limit);

  /** Opens a watch. */
  WatchStream<T> watch(WatchOptions options);

  /**
   * Stops whatever request is in flight (a list, a watch being opened) and refuses later ones;
   * called from another thread when the informer closes. The default does nothing.
   */
  default void cancel() {}

  /**
   * How to watch.
   *
   * @param resourceVersion the version to start after ({@code ""}: now, or a consistent snapshot
   *     with initial events)
   * @param timeoutSeconds when the server should end the watch
   * @param sendInitialEvents whether to ask for a watch-list (initial events, then the end
   *     bookmark)
   */
  record WatchOptions(String resourceVersion, long timeoutSeconds, boolean sendInitialEvents) {}
}
