package dev.lifeline.bench.dnscheck;

import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;

/**
 * Order statistics of a sample by the nearest-rank method: the p-th percentile is the smallest
 * value with at least p % of the sample at or below it, so every reported value was measured (with
 * 20 trials, p99 is the maximum). Immutable.
 */
final class Percentiles {
  private final long[] sorted;

  private Percentiles(long[] sorted) {
    this.sorted = sorted;
  }

  static Percentiles of(Collection<Long> values) {
    long[] a = values.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(a);
    return new Percentiles(a);
  }

  int count() {
    return sorted.length;
  }

  /**
   * The nearest-rank percentile.
   *
   * @throws IllegalStateException when the sample is empty
   */
  long percentile(double p) {
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile was " + p + "; use above 0 and at most 100");
    }
    if (sorted.length == 0) {
      throw new IllegalStateException("no values");
    }
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(rank, 1) - 1];
  }

  long min() {
    return percentile(Double.MIN_VALUE);
  }

  long max() {
    return percentile(100);
  }

  double mean() {
    return Arrays.stream(sorted).average().orElseThrow();
  }

  /** p50 / p90 / p99 / max of nanosecond values, in milliseconds; a dash when empty. */
  String millis() {
    if (sorted.length == 0) {
      return "– | – | – | –";
    }
    return String.format(
        Locale.ROOT,
        "%,d | %,d | %,d | %,d",
        percentile(50) / 1_000_000,
        percentile(90) / 1_000_000,
        percentile(99) / 1_000_000,
        max() / 1_000_000);
  }
}
