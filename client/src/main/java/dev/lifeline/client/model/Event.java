package dev.lifeline.client.model;

import java.time.Instant;
import java.util.Objects;

/**
 * An event ({@code v1/Event}), as {@code kubectl describe} shows them.
 *
 * @param metadata the metadata
 * @param involvedObject the object the event is about
 * @param reason a short machine-readable reason, e.g. {@code DnsPodRestarted}
 * @param message a human-readable description
 * @param type {@code Normal} or {@code Warning}
 * @param sourceComponent {@code source.component}: who reported it
 * @param sourceHost {@code source.host}
 * @param firstTimestamp when it was first seen
 * @param lastTimestamp when it was last seen
 * @param count how many times it was seen
 * @param eventTime when it happened, with microseconds
 * @param reportingComponent the controller that emitted it
 * @param reportingInstance the instance of that controller
 * @param action what was done (or failed)
 */
public record Event(
    ObjectMeta metadata,
    ObjectReference involvedObject,
    String reason,
    String message,
    String type,
    String sourceComponent,
    String sourceHost,
    Instant firstTimestamp,
    Instant lastTimestamp,
    Integer count,
    Instant eventTime,
    String reportingComponent,
    String reportingInstance,
    String action)
    implements KubeObject {

  /** Checks. */
  public Event {
    metadata = Objects.requireNonNullElse(metadata, ObjectMeta.empty());
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link Event}. Not thread-safe. */
  public static final class Builder {
    private ObjectMeta metadata = ObjectMeta.empty();
    private ObjectReference involvedObject;
    private String reason;
    private String message;
    private String type = "Normal";
    private String sourceComponent;
    private String sourceHost;
    private Instant firstTimestamp;
    private Instant lastTimestamp;
    private Integer count;
    private Instant eventTime;
    private String reportingComponent;
    private String reportingInstance;
    private String action;

    private Builder() {}

    /** The metadata (usually a namespace and a generated name). */
    public Builder metadata(ObjectMeta metadata) {
      this.metadata = metadata;
      return this;
    }

    /** The object the event is about. */
    public Builder involvedObject(ObjectReference involvedObject) {
      this.involvedObject = involvedObject;
      return this;
    }

    /** The reason. */
    public Builder reason(String reason) {
      this.reason = reason;
      return this;
    }

    /** The message. */
    public Builder message(String message) {
      this.message = message;
      return this;
    }

    /** {@code Normal} (default) or {@code Warning}. */
    public Builder type(String type) {
      this.type = type;
      return this;
    }

    /** The reporting component and host. */
    public Builder source(String component, String host) {
      this.sourceComponent = component;
      this.sourceHost = host;
      return this;
    }

    /** The first time seen. */
    public Builder firstTimestamp(Instant firstTimestamp) {
      this.firstTimestamp = firstTimestamp;
      return this;
    }

    /** The last time seen. */
    public Builder lastTimestamp(Instant lastTimestamp) {
      this.lastTimestamp = lastTimestamp;
      return this;
    }

    /** The count. */
    public Builder count(Integer count) {
      this.count = count;
      return this;
    }

    /** When it happened (microsecond precision). */
    public Builder eventTime(Instant eventTime) {
      this.eventTime = eventTime;
      return this;
    }

    /** The reporting controller and its instance. */
    public Builder reporting(String component, String instance) {
      this.reportingComponent = component;
      this.reportingInstance = instance;
      return this;
    }

    /** The action. */
    public Builder action(String action) {
      this.action = action;
      return this;
    }

    /** The event. */
    public Event build() {
      return new Event(
          metadata,
          involvedObject,
          reason,
          message,
          type,
          sourceComponent,
          sourceHost,
          firstTimestamp,
          lastTimestamp,
          count,
          eventTime,
          reportingComponent,
          reportingInstance,
          action);
    }
  }
}
