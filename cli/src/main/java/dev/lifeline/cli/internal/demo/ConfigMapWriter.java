package dev.lifeline.cli.internal.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeline.testkit.FakeStore;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The steady writer both watches follow: a few ConfigMaps, one update at a fixed interval, round
 * robin, written straight to the fake control plane's store so that no fault reaches the writer.
 *
 * <p>The store's own history, not this writer, is the reference the watches are checked against
 * (see {@link WatchAudit}). Thread-safe.
 */
final class ConfigMapWriter implements AutoCloseable {
  private final FakeStore store;
  private final String namespace;
  private final int objects;
  private final Duration interval;
  private final AtomicLong changes = new AtomicLong();
  private final ScheduledExecutorService timer =
      new ScheduledThreadPoolExecutor(
          1,
          r -> {
            Thread t = new Thread(r, "lifeline-demo-writer");
            t.setDaemon(true);
            return t;
          });
  private volatile RuntimeException failure;

  ConfigMapWriter(FakeStore store, String namespace, int objects, Duration interval) {
    this.store = Objects.requireNonNull(store, "store");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.objects = objects;
    this.interval = Objects.requireNonNull(interval, "interval");
  }

  /** The name of object {@code i}. */
  static String name(int i) {
    return "app-config-" + i;
  }

  /** Creates the namespace and the objects. */
  void createObjects() {
    store.create(
        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\""
            + namespace
            + "\"}}");
    for (int i = 0; i < objects; i++) {
      store.create(
          "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
              + name(i)
              + "\",\"namespace\":\""
              + namespace
              + "\"},\"data\":{\"change\":\"0\"}}");
    }
  }

  /** Starts writing. */
  void start() {
    timer.scheduleAtFixedRate(this::change, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void change() {
    long n = changes.incrementAndGet();
    String name = name((int) (n % objects));
    try {
      ObjectNode object =
          store
              .get("v1", "ConfigMap", namespace, name)
              .orElseThrow(() -> new IllegalStateException("ConfigMap " + name + " disappeared"));
      ((ObjectNode) object.get("data")).put("change", Long.toString(n));
      store.update(object);
    } catch (RuntimeException e) {
      // Keep the first failure for the summary; a scheduled task that throws would stop silently.
      if (failure == null) {
        failure = e;
      }
    }
  }

  /** Stops writing and waits for a change in progress to finish. */
  void stop() throws InterruptedException {
    timer.shutdown();
    timer.awaitTermination(5, TimeUnit.SECONDS);
  }

  /** The first write that failed, if any (none is expected: the store has no faults). */
  RuntimeException failure() {
    return failure;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
