package dev.lifeline.bench.failover;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeline.testkit.FakeStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Changes the watched ConfigMaps at a steady pace, straight in the store, and remembers each
 * committed (object, resourceVersion) with the time: the history the watch is checked against.
 * Thread-safe.
 */
final class ChangeWriter implements AutoCloseable {
  private final FakeStore store;
  private final String namespace;
  private final List<String> names;
  private final Duration interval;
  private final List<TrialAnalysis.Commit> commits = new ArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile RuntimeException failure;

  /**
   * Creates the ConfigMaps {@code names} in {@code namespace} (which must exist) and starts
   * changing them one after the other, one change per {@code interval}.
   */
  ChangeWriter(FakeStore store, String namespace, List<String> names, Duration interval) {
    this.store = store;
    this.namespace = namespace;
    this.names = List.copyOf(names);
    this.interval = interval;
    for (String name : names) {
      store.create(configMap(namespace, name, 0));
    }
    this.thread = Thread.ofPlatform().daemon().name("failover-bench-writer").start(this::run);
  }

  static String configMap(String namespace, String name, long generation) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
        + name
        + "\",\"namespace\":\""
        + namespace
        + "\"},\"data\":{\"generation\":\""
        + generation
        + "\"}}";
  }

  private void run() {
    long next = System.nanoTime();
    long generation = 0;
    try {
      while (running) {
        String name = names.get((int) (generation % names.size()));
        generation++;
        ObjectNode object = store.get("v1", "ConfigMap", namespace, name).orElseThrow();
        ((ObjectNode) object.get("data")).put("generation", Long.toString(generation));
        ObjectNode stored = store.update(object);
        long rv = Long.parseLong(stored.get("metadata").get("resourceVersion").asText());
        long now = System.nanoTime();
        synchronized (this) {
          commits.add(new TrialAnalysis.Commit(name, rv, now));
        }
        next += interval.toNanos();
        while (running && System.nanoTime() < next) {
          LockSupport.parkNanos(next - System.nanoTime());
        }
      }
    } catch (RuntimeException e) {
      failure = e;
    }
  }

  /** The changes committed at or after {@code sinceNanos}, in order. */
  synchronized List<TrialAnalysis.Commit> commitsSince(long sinceNanos) {
    List<TrialAnalysis.Commit> out = new ArrayList<>();
    for (int i = commits.size() - 1; i >= 0 && commits.get(i).nanos() >= sinceNanos; i--) {
      out.add(commits.get(i));
    }
    return out.reversed();
  }

  /** Forgets the changes committed before {@code nanos} (they belong to finished trials). */
  synchronized void forgetBefore(long nanos) {
    commits.removeIf(c -> c.nanos() < nanos);
  }

  /**
   * Throws when writing failed.
   *
   * @throws IllegalStateException with the store's failure as its cause
   */
  void check() {
    RuntimeException e = failure;
    if (e != null) {
      throw new IllegalStateException("the change writer failed", e);
    }
  }

  /** Stops writing; keeps the caller's interrupt flag. */
  @Override
  public void close() {
    running = false;
    try {
      thread.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
