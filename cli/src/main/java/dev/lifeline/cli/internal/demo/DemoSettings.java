package dev.lifeline.cli.internal.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What {@code lifeline demo} runs: the phases' lengths, the control plane's size and port, and
 * whether faults may drop packets for real. Immutable; the constructor validates at once and names
 * the command-line flag in its message.
 *
 * @param instances apiserver instances, at least 3 (one blackholed, one reset, one left)
 * @param port the port every instance shares, 0 for any free one
 * @param warmUp both clients healthy before the first fault
 * @param blackhole how long the first apiserver stays blackholed before the reset of another
 * @param reset how long the second apiserver refuses connections (the first is still blackholed)
 * @param settle after both are restored, before the summary
 * @param realDrops whether a blackhole may use iptables (when root); false forces the user-space
 *     blackhole
 * @param logFile where library logs go instead of the terminal
 */
public record DemoSettings(
    int instances,
    int port,
    Duration warmUp,
    Duration blackhole,
    Duration reset,
    Duration settle,
    boolean realDrops,
    Path logFile) {

  /**
   * Default warm-up: a few seconds of both clients healthy, so the timeline shows where each is.
   */
  public static final String DEFAULT_WARM_UP = "4s";

  /**
   * Default blackhole: longer than the light client's HTTP/2 ping interval (10 s), so that the
   * client without Lifeline notices the dead connection on its own and tries again.
   */
  public static final String DEFAULT_BLACKHOLE = "15s";

  /** Default reset: a reset is noticed at once; a few seconds show both clients after it. */
  public static final String DEFAULT_RESET = "5s";

  /**
   * Default settle: time for the client without Lifeline to reconnect after the restore (its
   * pending TCP connects retry on their own schedule) and for its watch to catch up. With the
   * control plane's start and the final checks the demo takes about 35 s.
   */
  public static final String DEFAULT_SETTLE = "8s";

  private static final Duration MAX_PHASE = Duration.ofMinutes(10);

  /** Checks every value. */
  public DemoSettings {
    if (instances < 3 || instances > 9) {
      throw new IllegalArgumentException(
          "--instances must be between 3 and 9 for the demo (one apiserver is blackholed, one"
              + " reset, one must remain), was "
              + instances);
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("--port must be between 0 and 65535, was " + port);
    }
    phase("--warm-up", warmUp, Duration.ofSeconds(1));
    phase("--blackhole", blackhole, Duration.ofSeconds(1));
    phase("--reset", reset, Duration.ofSeconds(1));
    phase("--settle", settle, Duration.ofSeconds(1));
    Objects.requireNonNull(logFile, "logFile");
  }

  private static void phase(String flag, Duration value, Duration min) {
    Objects.requireNonNull(value, flag);
    if (value.compareTo(min) < 0 || value.compareTo(MAX_PHASE) > 0) {
      throw new IllegalArgumentException(
          flag
              + " must be between "
              + min.toSeconds()
              + "s and "
              + MAX_PHASE.toMinutes()
              + "m, was "
              + Durations.text(value));
    }
  }
}
