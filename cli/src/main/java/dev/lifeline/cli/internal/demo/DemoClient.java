package dev.lifeline.cli.internal.demo;

import dev.lifeline.client.Informer;
import dev.lifeline.client.KubeClient;
import dev.lifeline.client.ResourceType;
import dev.lifeline.client.model.ConfigMap;
import dev.lifeline.testkit.ApiServerInstance;
import dev.lifeline.testkit.FakeControlPlane;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * One of the two clients under test, with what the demo does with it: a GET every {@link
 * DemoRun#REQUEST_INTERVAL} and an informer on the writer's ConfigMaps, both observed for the
 * timeline and the summary.
 *
 * <p>Which apiserver the client uses is read from the control plane's request logs by its user
 * agent, so the demo never asks the client (or the engine) where it is: it looks from the server
 * side, as an operator would.
 */
final class DemoClient implements AutoCloseable {
  private static final long WHERE_EVERY_NANOS = Duration.ofMillis(250).toNanos();

  private final Actor actor;
  private final String userAgent;
  private final KubeClient client;
  private final FakeControlPlane controlPlane;
  private final LongSupplier nanoTime;
  private final RequestStats stats = new RequestStats();
  private final WatchAudit audit = new WatchAudit();
  private final AnswerTracker answers;
  private final WatchRecorder watch;
  private final RequestLoop requests;
  private final StoreHistory history;
  private Informer<ConfigMap> informer;

  DemoClient(
      Actor actor,
      String userAgent,
      KubeClient client,
      FakeControlPlane controlPlane,
      Timeline timeline,
      StoreHistory history,
      LongSupplier nanoTime) {
    this.actor = Objects.requireNonNull(actor, "actor");
    this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
    this.client = Objects.requireNonNull(client, "client");
    this.controlPlane = Objects.requireNonNull(controlPlane, "controlPlane");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.answers =
        new AnswerTracker(
            actor, timeline, () -> instance().map(ApiserverNames::of), WHERE_EVERY_NANOS);
    this.watch = new WatchRecorder(actor, timeline, audit, nanoTime);
    this.requests =
        new RequestLoop(
            actor.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
            DemoRun.REQUEST_INTERVAL,
            () -> client.get(ResourceType.CONFIG_MAP, DemoRun.NAMESPACE, ConfigMapWriter.name(0)),
            answers,
            stats,
            nanoTime);
    this.history = Objects.requireNonNull(history, "history");
    history.feed(audit);
  }

  /** Starts the informer and the requests. */
  void start() {
    informer =
        client
            .informer(ResourceType.CONFIG_MAP)
            .namespace(DemoRun.NAMESPACE)
            .name("ConfigMaps")
            .handler(watch)
            .listener(watch)
            .start();
    requests.start();
  }

  /** Whether the watch has synced and a request was answered. */
  boolean isReady() {
    return watch.isSynced() && answers.hasAnswered();
  }

  /** The apiserver that answered this client last. */
  Optional<ApiServerInstance> instance() {
    return controlPlane.instanceUsedBy(userAgent);
  }

  /** Stops sending requests; those sent go on. */
  void stopRequests() {
    requests.stop();
  }

  /** Requests sent and not yet ended. */
  int inFlight() {
    return requests.inFlight();
  }

  /** The resourceVersion the watch has reached, 0 before its first sync. */
  long reachedRv() {
    String rv = informer == null ? "" : informer.lastSyncResourceVersion();
    return rv.isEmpty() ? 0 : Long.parseLong(rv);
  }

  /** The numbers for the summary, measured up to {@code endNanos}. */
  ClientResult result(List<FaultRecord> faults, long endNanos) {
    List<OptionalLong> recoveries = new ArrayList<>();
    for (FaultRecord f : faults) {
      recoveries.add(stats.firstSuccessAfter(f.nanos()));
    }
    return new ClientResult(
        actor.label(),
        stats.longestGapNanos(endNanos),
        stats.succeeded(),
        stats.failed(),
        stats.unanswered(),
        stats.slowestNanos(),
        recoveries,
        audit.result(reachedRv()),
        watch.resumes(),
        watch.relists());
  }

  @Override
  public void close() {
    history.stopFeeding(audit);
    requests.close();
    if (informer != null) {
      informer.close();
    }
    client.close();
  }
}
