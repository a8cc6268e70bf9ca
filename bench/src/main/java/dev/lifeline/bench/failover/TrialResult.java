package dev.lifeline.bench.failover;

import java.util.List;
import java.util.Locale;

/**
 * The outcome of one trial, as written to and read from the results file (one tab-separated line
 * per trial, see {@link #HEADER}).
 *
 * @param configuration the configuration's id
 * @param scenario the scenario's id
 * @param trial the trial's number, from 1
 * @param victim the address of the apiserver the fault hit (the one the client's GETs used)
 * @param watchOnVictim whether the client's last watch request before the fault went to it too
 * @param protocol the protocol of the client's GETs ({@code h2} or {@code http/1.1})
 * @param gapMillis the gap (see {@link TrialAnalysis})
 * @param capped whether the trial ended at the cap instead of by recovering
 * @param getsRecovered whether any GET succeeded after the fault
 * @param failed failed GETs after the fault
 * @param requests GETs that ended after the fault
 * @param expectedChanges changes the watch had to deliver
 * @param lost changes it never delivered
 * @param repeated deliveries after the fault of a version already delivered
 * @param watchDelayMillis the longest time the watch lagged behind one of those changes (see {@link
 *     TrialAnalysis})
 * @param trackedConnections with Lifeline: the connections the engine tracked to the victim just
 *     before the fault (0 means the client's connection to it came from the seed address, which the
 *     engine cannot evict); -1 without Lifeline
 * @param detectionMillis with Lifeline: from the fault to the engine's first down or draining event
 *     for the victim; -1 when there was none
 * @param observedMillis from the fault to the end of the trial
 * @param load the machine's 1-minute load average at the fault (other work slows every number)
 * @param note why a trial did not run (it then has no measures), or the first failure's message
 */
record TrialResult(
    String configuration,
    String scenario,
    int trial,
    String victim,
    boolean watchOnVictim,
    String protocol,
    double gapMillis,
    boolean capped,
    boolean getsRecovered,
    int failed,
    int requests,
    int expectedChanges,
    int lost,
    int repeated,
    double watchDelayMillis,
    int trackedConnections,
    double detectionMillis,
    double observedMillis,
    double load,
    String note) {

  /** The results file's header line. */
  static final String HEADER =
      String.join(
          "\t",
          List.of(
              "configuration",
              "scenario",
              "trial",
              "victim",
              "watchOnVictim",
              "protocol",
              "gapMillis",
              "capped",
              "getsRecovered",
              "failed",
              "requests",
              "expectedChanges",
              "lost",
              "repeated",
              "watchDelayMillis",
              "trackedConnections",
              "detectionMillis",
              "observedMillis",
              "load",
              "note"));

  /** A trial that could not run (the client did not start or settle): no measures. */
  static TrialResult notRun(String configuration, String scenario, int trial, String why) {
    return new TrialResult(
        configuration,
        scenario,
        trial,
        "-",
        false,
        "-",
        -1,
        false,
        false,
        0,
        0,
        0,
        0,
        0,
        -1,
        -1,
        -1,
        -1,
        Machine.loadAverage(),
        "NOT RUN: " + why);
  }

  /** Whether the trial ran (it has measures). */
  boolean ran() {
    return gapMillis >= 0;
  }

  /** Whether the watch lost nothing and repeated nothing. */
  boolean watchIntact() {
    return lost == 0 && repeated == 0;
  }

  /** The line for the results file. */
  String toLine() {
    return String.join(
        "\t",
        configuration,
        scenario,
        Integer.toString(trial),
        victim,
        Boolean.toString(watchOnVictim),
        protocol,
        format(gapMillis),
        Boolean.toString(capped),
        Boolean.toString(getsRecovered),
        Integer.toString(failed),
        Integer.toString(requests),
        Integer.toString(expectedChanges),
        Integer.toString(lost),
        Integer.toString(repeated),
        format(watchDelayMillis),
        Integer.toString(trackedConnections),
        format(detectionMillis),
        format(observedMillis),
        String.format(Locale.ROOT, "%.2f", load),
        note.replaceAll("\\s+", " "));
  }

  /**
   * Reads a line written by {@link #toLine()}.
   *
   * @throws IllegalArgumentException naming what is wrong with it
   */
  static TrialResult parse(String line) {
    String[] f = line.split("\t", -1);
    if (f.length != 20) {
      throw new IllegalArgumentException(
          "a result line has 20 tab-separated fields, this one " + f.length + ": " + line);
    }
    try {
      return new TrialResult(
          f[0],
          f[1],
          Integer.parseInt(f[2]),
          f[3],
          Boolean.parseBoolean(f[4]),
          f[5],
          Double.parseDouble(f[6]),
          Boolean.parseBoolean(f[7]),
          Boolean.parseBoolean(f[8]),
          Integer.parseInt(f[9]),
          Integer.parseInt(f[10]),
          Integer.parseInt(f[11]),
          Integer.parseInt(f[12]),
          Integer.parseInt(f[13]),
          Double.parseDouble(f[14]),
          Integer.parseInt(f[15]),
          Double.parseDouble(f[16]),
          Double.parseDouble(f[17]),
          Double.parseDouble(f[18]),
          f[19]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("a result line has a malformed number: " + line, e);
    }
  }

  private static String format(double millis) {
    return String.format(Locale.ROOT, "%.1f", millis);
  }
}
