package dev.lifeline.client;

import java.time.Duration;

/**
 * Which log lines of a pod to read. Immutable: each method returns a new instance after checking
 * its argument.
 */
public final class LogOptions {
  private static final LogOptions DEFAULTS = new LogOptions(null, null, null, false, false);

  private final String container;
  private final Long tailLines;
  private final Long sinceSeconds;
  private final boolean timestamps;
  private final boolean previous;

  private LogOptions(
      String container, Long tailLines, Long sinceSeconds, boolean timestamps, boolean previous) {
    this.container = container;
    this.tailLines = tailLines;
    this.sinceSeconds = sinceSeconds;
    this.timestamps = timestamps;
    this.previous = previous;
  }

  /** The whole log of the pod's only container. */
  public static LogOptions defaults() {
    return DEFAULTS;
  }

  /** The container (required when the pod has several). */
  public LogOptions container(String container) {
    return new LogOptions(container, tailLines, sinceSeconds, timestamps, previous);
  }

  /** Only the last {@code lines} lines. */
  public LogOptions tailLines(long lines) {
    if (lines < 0) {
      throw new IllegalArgumentException("tailLines: must not be negative, got " + lines);
    }
    return new LogOptions(container, lines, sinceSeconds, timestamps, previous);
  }

  /** Only lines newer than {@code since} (whole seconds, at least one). */
  public LogOptions since(Duration since) {
    if (since.toSeconds() < 1) {
      throw new IllegalArgumentException("since: must be at least 1 second, got " + since);
    }
    return new LogOptions(container, tailLines, since.toSeconds(), timestamps, previous);
  }

  /** Prefix each line with its RFC 3339 timestamp. */
  public LogOptions timestamps(boolean timestamps) {
    return new LogOptions(container, tailLines, sinceSeconds, timestamps, previous);
  }

  /** The log of the previous, terminated instance of the container. */
  public LogOptions previous(boolean previous) {
    return new LogOptions(container, tailLines, sinceSeconds, timestamps, previous);
  }

  /** The container, or null. */
  public String container() {
    return container;
  }

  /** The number of tail lines, or null. */
  public Long tailLines() {
    return tailLines;
  }

  /** The seconds of history, or null. */
  public Long sinceSeconds() {
    return sinceSeconds;
  }

  /** Whether lines carry timestamps. */
  public boolean timestamps() {
    return timestamps;
  }

  /** Whether the previous instance's log is read. */
  public boolean previous() {
    return previous;
  }
}
