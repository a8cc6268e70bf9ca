package dev.lifeline.testkit.internal.store;

/**
 * The store side of one watch: receives every change of its kind in commit order.
 *
 * <p>Called with the store's lock held, so implementations only enqueue and must never block or
 * call back into the store.
 */
public interface StoreWatcher {
  /** A committed change of the watched kind (not yet filtered by namespace or selectors). */
  void onChange(ChangeEvent event);

  /** A progress mark: every change of the kind up to {@code resourceVersion} has been passed on. */
  void onProgress(long resourceVersion);
}
