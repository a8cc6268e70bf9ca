package dev.lifeline.testkit.internal.server;

import dev.lifeline.testkit.Fault;
import dev.lifeline.testkit.RequestRecord;
import java.time.Duration;
import java.util.Optional;

/**
 * What the HTTP layer needs from the instance it serves: state, faults, bookkeeping. Thread-safe.
 */
public interface InstanceRuntime {
  /**
   * Whether graceful shutdown has begun ({@code /readyz} fails, HTTP/1.1 answers close
   * connections).
   */
  boolean isTerminating();

  /** The delay before each response, zero for none. */
  Duration responseDelay();

  /** The delay before each watch event, zero for none. */
  Duration watchEventDelay();

  /**
   * The error-response fault that applies to a request path now, if any (share decided per call).
   */
  Optional<Fault> errorFaultFor(String path);

  /** Records an answered request. */
  void record(RequestRecord record);

  /** A non-watch request began. */
  void requestStarted();

  /** A non-watch request finished (its response was written or its connection closed). */
  void requestFinished();

  /** A watch stream opened. */
  void watchStarted(WatchSession session);

  /** A watch stream ended. */
  void watchEnded(WatchSession session);
}
