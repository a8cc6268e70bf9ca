package dev.lifeline.client.internal.watch;

import dev.lifeline.client.Informer;
import dev.lifeline.client.InformerListener;
import dev.lifeline.client.ResourceHandler;
import dev.lifeline.client.Store;
import dev.lifeline.client.model.KubeObject;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/** The one implementation of {@link Informer}: a {@link Reflector} on its own daemon thread. */
public final class RealInformer<T extends KubeObject> implements Informer<T> {
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(10);

  private final Reflector<T> reflector;
  private final Delivery<T> delivery;
  private final Thread thread;
  private final CountDownLatch synced = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Consumer<RealInformer<?>> onClose;
  private volatile boolean closed;

  private RealInformer(
      ListWatch<T> source,
      ResourceHandler<? super T> handler,
      Reflector.Settings settings,
      Consumer<RealInformer<?>> onClose) {
    this.onClose = onClose;
    ResourceHandler<T> signalling =
        new ResourceHandler<>() {
          @Override
          public void onAdd(T object, boolean isInInitialList) {
            handler.onAdd(object, isInInitialList);
          }

          @Override
          public void onUpdate(T oldObject, T newObject) {
            handler.onUpdate(oldObject, newObject);
          }

          @Override
          public void onDelete(T object, boolean finalStateUnknown) {
            handler.onDelete(object, finalStateUnknown);
          }

          @Override
          public void onSynced() {
            try {
              handler.onSynced();
            } finally {
              synced.countDown();
            }
          }
        };
    this.delivery = new Delivery<>(signalling, settings.name());
    this.reflector = new Reflector<>(source, delivery, settings);
    this.thread =
        new Thread(
            () -> {
              try {
                reflector.run();
              } finally {
                stopped.countDown();
              }
            },
            "lifeline-informer-" + settings.name());
    thread.setDaemon(true);
  }

  @Override
  public boolean hasSynced() {
    return delivery.isSynced();
  }

  @Override
  public boolean awaitSynced(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!closed) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return hasSynced();
      }
      if (synced.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS)) {
        return true;
      }
    }
    return hasSynced();
  }

  @Override
  public Store<T> store() {
    return delivery;
  }

  @Override
  public String lastSyncResourceVersion() {
    return reflector.lastSyncResourceVersion();
  }

  @Override
  public boolean isUsingWatchList() {
    return reflector.isUsingWatchList();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    reflector.close();
    if (Thread.currentThread() != thread) {
      try {
        if (!stopped.await(JOIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          thread.interrupt();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    onClose.accept(this);
  }

  /** Whether its thread ended. */
  boolean isStopped() {
    return stopped.getCount() == 0;
  }

  @Override
  public String toString() {
    return "Informer[" + thread.getName() + "]";
  }

  /** Builds a {@link RealInformer}. */
  public static final class Builder<T extends KubeObject> implements Informer.Builder<T> {
    /** What the builder needs from its client. */
    public interface Factory<T> {
      /** The source for a namespace and selectors. */
      ListWatch<T> source(String namespace, String labelSelector, String fieldSelector);

      /** The timer for watch-list pauses. */
      Timer timer();

      /** Called with each started informer; and with each closed one. */
      void started(RealInformer<?> informer);

      /** Called when an informer closes. */
      void closed(RealInformer<?> informer);
    }

    private final Factory<T> factory;
    private final String resource;
    private String namespace;
    private String labelSelector;
    private String fieldSelector;
    private ResourceHandler<? super T> handler = new ResourceHandler<>() {};
    private InformerListener listener = InformerListener.NONE;
    private boolean watchList = true;
    private long limit;
    private Duration initialEventsTimeout = Duration.ofSeconds(10);
    private String name;
    private Function<ListWatch<T>, ListWatch<T>> decorator = Function.identity();

    /** A builder for {@code resource} (its plural name, for the default name). */
    public Builder(Factory<T> factory, String resource) {
      this.factory = factory;
      this.resource = resource;
    }

    @Override
    public Builder<T> namespace(String namespace) {
      if (namespace != null && namespace.isEmpty()) {
        throw new IllegalArgumentException("namespace: empty; use null for all namespaces");
      }
      this.namespace = namespace;
      return this;
    }

    @Override
    public Builder<T> labelSelector(String labelSelector) {
      this.labelSelector = labelSelector == null || labelSelector.isBlank() ? null : labelSelector;
      return this;
    }

    @Override
    public Builder<T> fieldSelector(String fieldSelector) {
      this.fieldSelector = fieldSelector == null || fieldSelector.isBlank() ? null : fieldSelector;
      return this;
    }

    @Override
    public Builder<T> handler(ResourceHandler<? super T> handler) {
      this.handler = java.util.Objects.requireNonNull(handler, "handler");
      return this;
    }

    @Override
    public Builder<T> listener(InformerListener listener) {
      this.listener = java.util.Objects.requireNonNull(listener, "listener");
      return this;
    }

    @Override
    public Builder<T> watchList(boolean enabled) {
      this.watchList = enabled;
      return this;
    }

    @Override
    public Builder<T> limit(long limit) {
      if (limit < 0) {
        throw new IllegalArgumentException(
            "limit: must be 0 (no paging) or positive, got " + limit);
      }
      this.limit = limit;
      return this;
    }

    @Override
    public Builder<T> initialEventsTimeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException(
            "initialEventsTimeout: must be positive, got " + timeout);
      }
      this.initialEventsTimeout = timeout;
      return this;
    }

    @Override
    public Builder<T> name(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("name: must not be blank");
      }
      this.name = name;
      return this;
    }

    /** Wraps the source (tests use this to observe requests). */
    public Builder<T> decorate(Function<ListWatch<T>, ListWatch<T>> decorator) {
      this.decorator = decorator;
      return this;
    }

    @Override
    public Informer<T> start() {
      String informerName =
          name != null ? name : resource + (namespace == null ? "" : "@" + namespace);
      CloseSignal signal = new CloseSignal();
      Reflector.Settings settings =
          new Reflector.Settings(
              informerName,
              watchList,
              limit,
              initialEventsTimeout,
              listener,
              System::nanoTime,
              () -> ThreadLocalRandom.current().nextDouble(),
              signal,
              factory.timer());
      RealInformer<T> informer =
          new RealInformer<>(
              decorator.apply(factory.source(namespace, labelSelector, fieldSelector)),
              handler,
              settings,
              factory::closed);
      factory.started(informer);
      informer.thread.start();
      return informer;
    }
  }

  /** The production {@link Waiter}: sleeps on a latch that closing releases. */
  static final class CloseSignal implements Waiter {
    private final CountDownLatch closed = new CountDownLatch(1);

    @Override
    public boolean await(Duration delay) {
      try {
        return !closed.await(delay.toNanos(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    @Override
    public void wake() {
      closed.countDown();
    }
  }
}
