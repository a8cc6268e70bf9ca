package dev.lifeline.client;

import java.time.Duration;

/**
 * Keeps a view of a resource up to date with the client-go reflector's semantics, and tells a
 * {@link ResourceHandler} about every change.
 *
 * <p>It fetches the complete state as a watch-list stream ({@code sendInitialEvents}) where the
 * server supports it, and falls back, for its whole life, to LIST at {@code resourceVersion=0} and
 * WATCH when the server rejects or ignores that. It then watches with bookmarks, resumes from the
 * last resource version after any disconnect, relists on 410 delivering only the difference, and
 * backs off (800 ms doubling to 30 s, with jitter, reset after two minutes without failure) when
 * requests fail or a watch closes within a second without events. Watches ask the server to end
 * them after a random 5 to 10 minutes, spreading reconnections.
 *
 * <p>Threading: one daemon thread per informer reads the stream and calls the handler (see {@link
 * ResourceHandler}). {@link #close()} stops it promptly, closing its connection, and returns when
 * the thread has ended (unless called from the handler itself).
 *
 * @param <T> the model
 */
public interface Informer<T> extends AutoCloseable {
  /** Whether the first complete view has been delivered. */
  boolean hasSynced();

  /**
   * Waits until {@link #hasSynced()}.
   *
   * @return true when synced, false when the timeout passed or the informer was closed first
   * @throws InterruptedException when interrupted while waiting
   */
  boolean awaitSynced(Duration timeout) throws InterruptedException;

  /** The current view. */
  Store<T> store();

  /**
   * The resource version of the last change or bookmark seen, or {@code ""} before the first sync.
   */
  String lastSyncResourceVersion();

  /**
   * Whether the informer still uses watch-list (false after a fallback to LIST and WATCH, or when
   * disabled).
   */
  boolean isUsingWatchList();

  /** Stops the informer, closes its connection and waits for its thread to end. Idempotent. */
  @Override
  void close();

  /**
   * Configures and starts an informer. Obtain one from {@link KubeClient#informer(ResourceType)};
   * not thread-safe.
   *
   * @param <T> the model
   */
  interface Builder<T> {
    /** The namespace to watch; null (the default) for all namespaces. */
    Builder<T> namespace(String namespace);

    /** A label selector, e.g. {@code k8s-app=kube-dns}. */
    Builder<T> labelSelector(String labelSelector);

    /** A field selector, e.g. {@code metadata.name=kubernetes}. */
    Builder<T> fieldSelector(String fieldSelector);

    /** The handler (default: none; read the {@link Informer#store()}). */
    Builder<T> handler(ResourceHandler<? super T> handler);

    /** The listener for logs and metrics (default: none). */
    Builder<T> listener(InformerListener listener);

    /** Whether to try watch-list streaming first (default true). */
    Builder<T> watchList(boolean enabled);

    /**
     * The page size of the fallback LIST (default 0: no paging, which lets the server answer from
     * its watch cache instead of etcd).
     */
    Builder<T> limit(long limit);

    /**
     * How long the initial events of a watch-list may pause before the server is taken to ignore
     * watch-list (default 10 s).
     */
    Builder<T> initialEventsTimeout(Duration timeout);

    /** A name for the thread and for listeners (default: the resource and namespace). */
    Builder<T> name(String name);

    /** Starts the informer. */
    Informer<T> start();
  }
}
