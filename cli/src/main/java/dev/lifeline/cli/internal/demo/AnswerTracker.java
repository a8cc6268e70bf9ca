package dev.lifeline.cli.internal.demo;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Turns one client's request outcomes into timeline lines: which apiserver answers, the first
 * failure of an outage, "no answer for N s" while nothing comes back, and the first answer after an
 * outage with the gap it ended.
 *
 * <p>Thread-safe: outcomes arrive from many request threads, ticks from the request timer.
 */
final class AnswerTracker implements RequestLoop.Observer {
  /** A gap this long is worth a line even without a failure: ten missed 100 ms reads. */
  static final long NOTABLE_GAP_NANOS = 1_000_000_000L;

  private static final long SECOND = 1_000_000_000L;

  private final Actor actor;
  private final Timeline timeline;
  private final Supplier<Optional<String>> answeringApiserver;
  private final long whereEveryNanos;

  private long lastAnswer = Long.MIN_VALUE;
  private boolean failing;
  private int failuresInOutage;
  private long nextSilenceReport;
  private long nextWhereCheck = Long.MIN_VALUE;
  private String where;

  /**
   * A tracker.
   *
   * @param answeringApiserver names the apiserver that answered this client last (e.g. {@code
   *     apiserver 1 (127.0.0.3)}), asked at most every {@code whereEveryNanos}
   */
  AnswerTracker(
      Actor actor,
      Timeline timeline,
      Supplier<Optional<String>> answeringApiserver,
      long whereEveryNanos) {
    this.actor = Objects.requireNonNull(actor, "actor");
    this.timeline = Objects.requireNonNull(timeline, "timeline");
    this.answeringApiserver = Objects.requireNonNull(answeringApiserver, "answeringApiserver");
    this.whereEveryNanos = whereEveryNanos;
  }

  @Override
  public synchronized void succeeded(long issuedNanos, long completedNanos) {
    if (lastAnswer != Long.MIN_VALUE) {
      long gap = completedNanos - lastAnswer;
      if (failing || gap >= NOTABLE_GAP_NANOS) {
        timeline.log(
            actor,
            "answered again after a "
                + Durations.seconds(gap)
                + " gap"
                + (failuresInOutage > 0
                    ? " (" + Timeline.plural(failuresInOutage, "request") + " failed)"
                    : ""));
      }
    }
    failing = false;
    failuresInOutage = 0;
    lastAnswer = Math.max(lastAnswer, completedNanos);
    nextSilenceReport = lastAnswer + 2 * SECOND;
    checkWhere(completedNanos);
  }

  @Override
  public synchronized void failed(long issuedNanos, long completedNanos, Exception error) {
    failuresInOutage++;
    if (!failing) {
      failing = true;
      timeline.log(actor, "request failed: " + Timeline.oneLine(error));
    }
  }

  @Override
  public synchronized void tick(long nowNanos, int inFlight) {
    if (lastAnswer == Long.MIN_VALUE || nowNanos < nextSilenceReport) {
      return;
    }
    long silent = nowNanos - lastAnswer;
    timeline.log(
        actor,
        "no answer for "
            + silent / SECOND
            + " s ("
            + (failuresInOutage > 0
                ? Timeline.plural(failuresInOutage, "request") + " failed, "
                : "")
            + inFlight
            + " waiting)");
    // Then every 5 s: 2 s, 5 s, 10 s, 15 s, ...
    nextSilenceReport = lastAnswer + (silent / (5 * SECOND) + 1) * 5 * SECOND;
  }

  private void checkWhere(long nowNanos) {
    if (nowNanos < nextWhereCheck) {
      return;
    }
    nextWhereCheck = nowNanos + whereEveryNanos;
    Optional<String> now = answeringApiserver.get();
    if (now.isPresent() && !now.get().equals(where)) {
      timeline.log(actor, (where == null ? "answered by " : "now answered by ") + now.get());
      where = now.get();
    }
  }

  /** The apiserver that answered last, as last checked. */
  synchronized Optional<String> where() {
    return Optional.ofNullable(where);
  }

  /** Whether the client has been answered at least once. */
  synchronized boolean hasAnswered() {
    return lastAnswer != Long.MIN_VALUE;
  }
}
