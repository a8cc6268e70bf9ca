package dev.lifeline.cli.internal.demo;

import dev.lifeline.testkit.StoreEvent;
import dev.lifeline.testkit.StoreListener;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * The store's real history of the watched ConfigMaps, from a point on: every committed change is
 * handed to each client's {@link WatchAudit}, stamped with the time the store's event thread saw it
 * (within a millisecond of the commit).
 */
final class StoreHistory implements StoreListener {
  private final String namespace;
  private final LongSupplier nanoTime;
  private final List<WatchAudit> audits = new CopyOnWriteArrayList<>();
  private volatile long lastRv;

  StoreHistory(String namespace, LongSupplier nanoTime) {
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
  }

  /** Adds an audit to feed. */
  void feed(WatchAudit audit) {
    audits.add(audit);
  }

  /** Stops feeding an audit. */
  void stopFeeding(WatchAudit audit) {
    audits.remove(audit);
  }

  /** The resourceVersion of the last recorded change, 0 before any. */
  long lastRv() {
    return lastRv;
  }

  @Override
  public void onEvent(StoreEvent event) {
    if (!event.kind().equals("ConfigMap") || !event.namespace().equals(namespace)) {
      return;
    }
    long now = nanoTime.getAsLong();
    lastRv = Math.max(lastRv, event.resourceVersion());
    for (WatchAudit audit : audits) {
      audit.committed(event.name(), event.resourceVersion(), now);
    }
  }
}
