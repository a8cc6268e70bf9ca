package dev.lifeline.cli.internal.demo;

import java.time.Duration;
import java.util.Locale;

/** Durations as the demo prints them: settings as flags are written, measurements in seconds. */
final class Durations {
  private Durations() {}

  /** {@code 500ms}, {@code 15s}, {@code 1.5s}, {@code 2m30s}: as the flags are written. */
  static String text(Duration d) {
    long millis = d.toMillis();
    if (millis < 1_000) {
      return millis + "ms";
    }
    if (millis < 60_000) {
      return millis % 1_000 == 0
          ? millis / 1_000 + "s"
          : String.format(Locale.ROOT, "%.3fs", millis / 1e3).replaceAll("0+s$", "s");
    }
    long minutes = millis / 60_000;
    Duration rest = Duration.ofMillis(millis % 60_000);
    return minutes + "m" + (rest.isZero() ? "" : text(rest));
  }

  /**
   * Seconds with two decimals, as the timeline and the summary print measurements: {@code 0.73 s}.
   */
  static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
  }
}
