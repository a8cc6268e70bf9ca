package dev.lifeline.dnscheck.internal.cluster;

import dev.lifeline.client.KubeClient;
import dev.lifeline.client.ResourceType;
import dev.lifeline.client.model.Event;
import dev.lifeline.client.model.ObjectMeta;
import dev.lifeline.client.model.ObjectReference;
import dev.lifeline.dnscheck.internal.PodRef;
import dev.lifeline.dnscheck.internal.remediation.EventSink;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Records {@code v1} Events about pods and the DNS Service, as a controller does: reporting
 * component {@code lifeline-dnscheck}, this replica as the instance. Written off the caller's
 * thread; a failure is logged, never thrown.
 */
public final class ApiEventSink implements EventSink {
  private static final System.Logger LOG = System.getLogger(ApiEventSink.class.getName());
  static final String COMPONENT = "lifeline-dnscheck";
  private static final int MAX_MESSAGE = 1024;

  private final KubeClient client;
  private final Executor executor;
  private final String identity;
  private final Clock clock;
  private final Supplier<ObjectReference> service;

  /** Keeps the names of events recorded in the same nanosecond apart. */
  private final java.util.concurrent.atomic.AtomicLong sequence =
      new java.util.concurrent.atomic.AtomicLong();

  /**
   * @param service a reference to the DNS Service now (its UID may change if it is recreated)
   */
  public ApiEventSink(
      KubeClient client,
      Executor executor,
      String identity,
      Clock clock,
      Supplier<ObjectReference> service) {
    this.client = client;
    this.executor = executor;
    this.identity = identity;
    this.clock = clock;
    this.service = service;
  }

  @Override
  public void onPod(PodRef pod, boolean warning, String reason, String message) {
    record(
        new ObjectReference(
            "Pod",
            pod.namespace(),
            pod.name(),
            pod.uid().isEmpty() ? null : pod.uid(),
            "v1",
            null,
            null),
        warning,
        reason,
        message);
  }

  @Override
  public void onService(boolean warning, String reason, String message) {
    record(service.get(), warning, reason, message);
  }

  private void record(ObjectReference about, boolean warning, String reason, String message) {
    Instant now = clock.instant();
    String text =
        message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 3) + "...";
    Event event =
        Event.builder()
            .metadata(
                ObjectMeta.builder()
                    .namespace(about.namespace())
                    // client-go's naming: the object's name and the time in hex nanoseconds (plus a
                    // sequence, as two decisions can fall in the same nanosecond)
                    .name(
                        about.name()
                            + "."
                            + Long.toHexString(
                                now.getEpochSecond() * 1_000_000_000L
                                    + now.getNano()
                                    + sequence.getAndIncrement()))
                    .build())
            .involvedObject(about)
            .reason(reason)
            .message(text)
            .type(warning ? "Warning" : "Normal")
            .source(COMPONENT, identity)
            .firstTimestamp(now)
            .lastTimestamp(now)
            .count(1)
            .reporting(COMPONENT, identity)
            .action(reason)
            .build();
    try {
      executor.execute(
          () -> {
            try {
              client.create(ResourceType.EVENT, event);
            } catch (RuntimeException e) {
              LOG.log(
                  System.Logger.Level.WARNING,
                  "could not record the event "
                      + reason
                      + " on "
                      + about.kind()
                      + " "
                      + about.namespace()
                      + "/"
                      + about.name()
                      + ": "
                      + e.getMessage());
            }
          });
    } catch (RejectedExecutionException e) {
      LOG.log(System.Logger.Level.DEBUG, "event " + reason + " dropped: shutting down");
    }
  }
}
