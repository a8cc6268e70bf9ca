package dev.lifeline.dnscheck.internal.verdict;

/**
 * The rules that turn a window of probe results into a verdict.
 *
 * <p>A stream is failing when its last {@code consecutiveFailures} probes all failed, or when it
 * has at least {@code minSamples} results in its window of {@code windowSize} and at least {@code
 * failureRatio} of them failed (which catches a server that fails every other query and so never
 * fails enough times in a row). It is healthy when it has {@code minSamples} results and neither
 * rule holds, and unknown before that.
 *
 * @param windowSize how many of the latest results are kept
 * @param minSamples results needed before the ratio rule applies or a healthy verdict is given
 * @param failureRatio share of failures in the window that makes it failing, in (0, 1]
 * @param consecutiveFailures failures in a row that make it failing at once
 */
public record WindowPolicy(
    int windowSize, int minSamples, double failureRatio, int consecutiveFailures) {

  public WindowPolicy {
    if (windowSize < 1 || windowSize > 10_000) {
      throw new IllegalArgumentException("window was " + windowSize + "; use 1 to 10000 results");
    }
    if (minSamples < 1 || minSamples > windowSize) {
      throw new IllegalArgumentException(
          "min-samples was " + minSamples + "; use 1 to the window size (" + windowSize + ")");
    }
    if (!(failureRatio > 0 && failureRatio <= 1)) {
      throw new IllegalArgumentException(
          "failure-ratio was " + failureRatio + "; use a share above 0 and at most 1");
    }
    if (consecutiveFailures < 1 || consecutiveFailures > windowSize) {
      throw new IllegalArgumentException(
          "consecutive-failures was "
              + consecutiveFailures
              + "; use 1 to the window size ("
              + windowSize
              + ")");
    }
  }

  /** The defaults: a window of 20, 10 samples, a ratio of 0.5, 4 in a row. */
  public static WindowPolicy defaults() {
    return new WindowPolicy(20, 10, 0.5, 4);
  }
}
