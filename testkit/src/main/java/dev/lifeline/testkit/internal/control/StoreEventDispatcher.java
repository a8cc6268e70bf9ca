package dev.lifeline.testkit.internal.control;

import dev.lifeline.testkit.StoreEvent;
import dev.lifeline.testkit.StoreListener;
import dev.lifeline.testkit.internal.store.ChangeEvent;
import dev.lifeline.testkit.internal.store.ObjectStore;
import dev.lifeline.testkit.internal.store.StoredObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Delivers committed changes to {@link StoreListener}s in commit order on one thread, so a slow or
 * throwing listener never holds up the store.
 */
final class StoreEventDispatcher implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(StoreEventDispatcher.class.getName());

  private final ObjectStore store;
  private final NamedThreads threads;
  private final ExecutorService thread;
  private final List<StoreListener> listeners = new CopyOnWriteArrayList<>();
  private final Consumer<ChangeEvent> hook = this::enqueue;

  StoreEventDispatcher(ObjectStore store, String threadName) {
    this.store = store;
    this.threads = new NamedThreads(threadName);
    this.thread = Executors.newSingleThreadExecutor(threads);
    store.addCommitHook(hook);
  }

  void add(StoreListener l) {
    listeners.add(l);
  }

  void remove(StoreListener l) {
    listeners.remove(l);
  }

  private void enqueue(ChangeEvent e) {
    if (listeners.isEmpty()) {
      return;
    }
    StoreEvent event = toEvent(e);
    try {
      thread.execute(() -> deliver(event));
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      // Closing; late events are dropped.
    }
  }

  static StoreEvent toEvent(ChangeEvent e) {
    StoredObject o = e.object();
    return new StoreEvent(
        e.type().name(),
        o.type().apiVersion(),
        o.type().kind(),
        o.namespace(),
        o.name(),
        e.resourceVersion(),
        o::toTree);
  }

  private void deliver(StoreEvent event) {
    for (StoreListener l : listeners) {
      try {
        l.onEvent(event);
      } catch (RuntimeException ex) {
        LOG.log(System.Logger.Level.WARNING, "a store listener failed on " + event, ex);
      }
    }
  }

  @Override
  public void close() {
    store.removeCommitHook(hook);
    thread.shutdown();
    try {
      if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      thread.shutdownNow();
    }
    threads.awaitExit(java.time.Duration.ofSeconds(5));
  }
}
