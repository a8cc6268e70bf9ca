package dev.lifeline.bench.failover;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The trials of one configuration in one scenario, summarised: percentiles of the gap (nearest
 * rank: with 20 trials the p99 is the largest), totals of failures, lost and repeated deliveries.
 *
 * @param trials the trials that ran
 * @param notRun how many trials could not run
 */
record Summary(List<TrialResult> trials, int notRun) {

  /** Summarises results of one configuration and scenario. */
  static Summary of(List<TrialResult> results) {
    List<TrialResult> ran = results.stream().filter(TrialResult::ran).toList();
    return new Summary(ran, results.size() - ran.size());
  }

  /**
   * The nearest-rank percentile {@code p} (0 < p ≤ 100) of a measure over the trials; NaN if none.
   */
  double percentile(ToDoubleFunction<TrialResult> measure, double p) {
    return percentile(trials.stream().mapToDouble(measure).sorted().toArray(), p);
  }

  /** The nearest-rank percentile of sorted values. */
  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /** The gap's percentile in milliseconds. */
  double gap(double p) {
    return percentile(TrialResult::gapMillis, p);
  }

  /** Whether the gap's percentile {@code p} comes from a trial that hit the cap. */
  boolean gapCapped(double p) {
    List<TrialResult> sorted =
        trials.stream().sorted(Comparator.comparingDouble(TrialResult::gapMillis)).toList();
    if (sorted.isEmpty()) {
      return false;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    TrialResult t = sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    return t.capped() && !t.getsRecovered();
  }

  int capped() {
    return (int) trials.stream().filter(TrialResult::capped).count();
  }

  int failed() {
    return trials.stream().mapToInt(TrialResult::failed).sum();
  }

  int requests() {
    return trials.stream().mapToInt(TrialResult::requests).sum();
  }

  int lost() {
    return trials.stream().mapToInt(TrialResult::lost).sum();
  }

  int expectedChanges() {
    return trials.stream().mapToInt(TrialResult::expectedChanges).sum();
  }

  int repeated() {
    return trials.stream().mapToInt(TrialResult::repeated).sum();
  }

  /** Trials in which the watch lost or repeated something. */
  int trialsWithWatchDamage() {
    return (int) trials.stream().filter(t -> !t.watchIntact()).count();
  }

  /** The percentile of the detection time over the trials with a detection; NaN if none. */
  double detection(double p) {
    return percentile(
        trials.stream()
            .mapToDouble(TrialResult::detectionMillis)
            .filter(d -> d >= 0)
            .sorted()
            .toArray(),
        p);
  }

  /** Trials with a detection. */
  int detected() {
    return (int) trials.stream().filter(t -> t.detectionMillis() >= 0).count();
  }

  /**
   * Trials in which the engine tracked no connection to the victim at the fault (the client's
   * connection came from the seed address); -1 without an engine.
   */
  int untracked() {
    if (trials.stream().allMatch(t -> t.trackedConnections() < 0)) {
      return -1;
    }
    return (int) trials.stream().filter(t -> t.trackedConnections() == 0).count();
  }

  /** Trials whose watch request went to the faulted apiserver. */
  int watchOnVictim() {
    return (int) trials.stream().filter(TrialResult::watchOnVictim).count();
  }

  /** How often each first-failure message occurred (digits folded), most frequent first. */
  List<Map.Entry<String, Integer>> failureKinds() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (TrialResult t : trials) {
      if (t.failed() > 0 && !t.note().isEmpty()) {
        String kind = t.note().replaceAll("\\d+", "#");
        counts.merge(kind.length() > 160 ? kind.substring(0, 160) + "…" : kind, 1, Integer::sum);
      }
    }
    List<Map.Entry<String, Integer>> out = new ArrayList<>(counts.entrySet());
    out.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
    return out;
  }

  /** How often each apiserver was the victim, e.g. {@code .2: 7, .3: 6, .4: 7} (last octet). */
  String victims() {
    Map<String, Integer> counts = new java.util.TreeMap<>();
    for (TrialResult t : trials) {
      String v = t.victim();
      counts.merge(v.substring(v.lastIndexOf('.')), 1, Integer::sum);
    }
    List<String> parts = new ArrayList<>();
    counts.forEach((v, n) -> parts.add(v + ": " + n));
    return String.join(", ", parts);
  }

  /** The protocols the trials' GETs used. */
  List<String> protocols() {
    return trials.stream().map(TrialResult::protocol).distinct().sorted().toList();
  }
}
