package dev.lifeline.cli.internal.demo;

import dev.lifeline.client.InformerListener;
import dev.lifeline.client.ResourceHandler;
import dev.lifeline.client.model.ConfigMap;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * One client's informer, observed: every delivery goes to a {@link WatchAudit} (marked when it
 * comes from a relist), and reconnections, relists and failures go to the timeline.
 *
 * <p>The informer calls the handler and the listener from its single thread, in order, so the
 * relist flag needs no lock; the counters are read by the demo thread.
 */
final class WatchRecorder implements ResourceHandler<ConfigMap>, InformerListener {
  private final Actor actor;
  private final Timeline timeline;
  private final WatchAudit audit;
  private final LongSupplier nanoTime;

  private volatile boolean synced;
  private boolean relisting;
  private String lastFailure;
  private volatile int resumes;
  private volatile int relists;

  WatchRecorder(Actor actor, Timeline timeline, WatchAudit audit, LongSupplier nanoTime) {
    this.actor = Objects.requireNonNull(actor, "actor");
    this.timeline = Objects.requireNonNull(timeline, "timeline");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
  }

  @Override
  public void onAdd(ConfigMap object, boolean isInInitialList) {
    if (isInInitialList) {
      String rv = object.metadata().resourceVersion();
      if (rv != null && !rv.isEmpty()) {
        audit.initial(Long.parseLong(rv));
      }
    }
    deliver(object);
  }

  @Override
  public void onUpdate(ConfigMap oldObject, ConfigMap newObject) {
    deliver(newObject);
  }

  @Override
  public void onDelete(ConfigMap object, boolean finalStateUnknown) {
    deliver(object);
  }

  private void deliver(ConfigMap object) {
    String rv = object.metadata().resourceVersion();
    if (rv == null || rv.isEmpty()) {
      return;
    }
    audit.delivered(object.name(), Long.parseLong(rv), nanoTime.getAsLong(), relisting);
  }

  @Override
  public void listStarted(String informer, boolean watchList) {
    if (synced) {
      relisting = true;
      timeline.log(
          actor,
          "watch relists: fetching the whole state again"
              + (watchList ? " (watch-list stream)" : " (LIST)"));
    }
  }

  @Override
  public void listCompleted(String informer, boolean watchList, int items, Duration took) {
    if (relisting) {
      relisting = false;
      timeline.log(actor, "relist done: " + Timeline.plural(items, "object"));
    } else if (!synced) {
      synced = true;
      timeline.log(
          actor,
          "watch synced: "
              + Timeline.plural(items, "ConfigMap")
              + (watchList ? " (watch-list stream)" : " (LIST)"));
    }
  }

  @Override
  public void watchStarted(String informer, String resourceVersion) {
    if (synced) {
      resumes++;
      timeline.log(actor, "watch resumed from resourceVersion " + resourceVersion);
    }
  }

  @Override
  public void failed(String informer, Throwable error) {
    lastFailure = Timeline.oneLine(error);
  }

  @Override
  public void backoff(String informer, Duration delay) {
    timeline.log(
        actor,
        "watch failed: "
            + (lastFailure == null ? "unknown error" : lastFailure)
            + "; next try in "
            + Durations.seconds(delay.toNanos()));
    lastFailure = null;
  }

  @Override
  public void relisted(String informer, String resourceVersion) {
    relists++;
    timeline.log(
        actor,
        "resourceVersion "
            + resourceVersion
            + " is gone from the server's history (410 Expired): relisting");
  }

  @Override
  public void watchListFallback(String informer, String reason) {
    timeline.log(actor, "watch-list unavailable (" + reason + "); using LIST and WATCH");
  }

  /** Whether the first complete view was delivered. */
  boolean isSynced() {
    return synced;
  }

  /** Watches reopened after the first one. */
  int resumes() {
    return resumes;
  }

  /** Relists after a 410. */
  int relists() {
    return relists;
  }
}
