package dev.lifeline.bench.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrialAnalysisTest {
  private static final long MS = 1_000_000L;
  private static final long FAULT = 10_000 * MS;

  /** A GET from {@code startMs} to {@code endMs}, in milliseconds. */
  private static ClientRecord.Get get(long startMs, long endMs, boolean ok) {
    return new ClientRecord.Get(startMs * MS, endMs * MS, ok, ok ? "" : "boom");
  }

  /** GETs every 50 ms taking 5 ms each, succeeding, from {@code fromMs} to {@code toMs}. */
  private static List<ClientRecord.Get> steady(long fromMs, long toMs) {
    List<ClientRecord.Get> gets = new ArrayList<>();
    for (long t = fromMs; t + 5 <= toMs; t += 50) {
      gets.add(get(t, t + 5, true));
    }
    return gets;
  }

  @Test
  void withoutAnOutageTheGapIsTheLoopsPace() {
    List<ClientRecord.Get> gets = steady(9_000, 12_000);

    assertThat(TrialAnalysis.gap(gets, FAULT, 12_000 * MS, false)).isEqualTo(50 * MS);
  }

  @Test
  void theGapRunsFromTheFaultToTheFirstSuccessAndBetweenSuccesses() {
    List<ClientRecord.Get> gets = new ArrayList<>(steady(9_000, 10_000));
    gets.add(get(10_000, 10_700, true)); // answered 700 ms after the fault
    gets.add(get(10_750, 12_000, true)); // then a 1.3 s wait
    gets.addAll(steady(12_050, 13_000));

    assertThat(TrialAnalysis.gap(gets, FAULT, 13_000 * MS, false)).isEqualTo(1_300 * MS);
  }

  @Test
  void aTrialEndedByTheCapCountsTheTimeSinceTheLastSuccess() {
    List<ClientRecord.Get> gets = new ArrayList<>(steady(9_000, 10_000));
    gets.add(get(10_000, 10_200, true));
    gets.add(get(10_250, 40_000, false));

    assertThat(TrialAnalysis.gap(gets, FAULT, 40_000 * MS, true)).isEqualTo(29_800 * MS);
  }

  @Test
  void aClientThatNeverRecoveredHasTheCapAsItsGap() {
    List<ClientRecord.Get> gets = new ArrayList<>(steady(9_000, 10_000));
    gets.add(get(10_000, 20_000, false));

    assertThat(TrialAnalysis.gap(gets, FAULT, 130_000 * MS, true)).isEqualTo(120_000 * MS);
  }

  @Test
  void failedRequestsAreThoseThatEndedAfterTheFault() {
    List<ClientRecord.Get> gets = new ArrayList<>(steady(9_000, 10_000));
    gets.add(get(9_990, 9_999, false)); // before the fault: not counted
    gets.add(get(10_000, 10_300, false));
    gets.add(get(10_300, 10_400, false));
    gets.addAll(steady(10_400, 12_000));

    TrialAnalysis.Measures m =
        TrialAnalysis.measure(gets, List.of(), List.of(), FAULT, 12_000 * MS, false, 0);

    assertThat(m.failed()).isEqualTo(2);
    assertThat(m.getsRecovered()).isTrue();
  }

  @Test
  void aChangeNeverDeliveredIsLostAndADeliveryOfAVersionAlreadySeenIsRepeated() {
    List<TrialAnalysis.Commit> commits =
        List.of(
            new TrialAnalysis.Commit("a", 100, 9_900 * MS), // before the fault
            new TrialAnalysis.Commit("a", 101, 10_100 * MS),
            new TrialAnalysis.Commit("b", 102, 10_200 * MS),
            new TrialAnalysis.Commit("a", 103, 10_300 * MS),
            new TrialAnalysis.Commit("b", 104, 11_900 * MS)); // within the grace before the end
    List<ClientRecord.Delivery> deliveries =
        List.of(
            new ClientRecord.Delivery(9_910 * MS, 'U', "a", 100),
            new ClientRecord.Delivery(10_150 * MS, 'U', "a", 101),
            // "b"@102 never arrives: the informer relisted and folded it
            new ClientRecord.Delivery(10_900 * MS, 'U', "a", 101), // a repeat
            new ClientRecord.Delivery(10_950 * MS, 'U', "a", 103));

    TrialAnalysis.Measures m =
        TrialAnalysis.measure(List.of(), deliveries, commits, FAULT, 12_000 * MS, false, 100);

    assertThat(m.expectedChanges()).isEqualTo(3);
    assertThat(m.lost()).isEqualTo(1);
    assertThat(m.repeated()).isEqualTo(1);
    // b@102 was never delivered, nor anything newer of b: it lagged from 10.2 s to the end at 12 s.
    assertThat(m.watchDelayNanos()).isEqualTo(1_800 * MS);
  }

  @Test
  void aRepeatBeforeTheFaultIsNotTheFaultsDoing() {
    List<ClientRecord.Delivery> deliveries =
        List.of(
            new ClientRecord.Delivery(9_000 * MS, 'A', "a", 100),
            new ClientRecord.Delivery(9_500 * MS, 'U', "a", 100));

    TrialAnalysis.Measures m =
        TrialAnalysis.measure(List.of(), deliveries, List.of(), FAULT, 12_000 * MS, false, 100);

    assertThat(m.repeated()).isZero();
  }

  @Test
  void theWatchDelayIsTheLongestCommitToDeliveryTime() {
    List<TrialAnalysis.Commit> commits =
        List.of(
            new TrialAnalysis.Commit("a", 101, 10_100 * MS),
            new TrialAnalysis.Commit("a", 102, 10_200 * MS));
    List<ClientRecord.Delivery> deliveries =
        List.of(
            new ClientRecord.Delivery(10_110 * MS, 'U', "a", 101),
            new ClientRecord.Delivery(10_900 * MS, 'U', "a", 102));

    TrialAnalysis.Measures m =
        TrialAnalysis.measure(List.of(), deliveries, commits, FAULT, 12_000 * MS, false, 100);

    assertThat(m.lost()).isZero();
    assertThat(m.watchDelayNanos()).isEqualTo(700 * MS);
  }

  @Test
  void aNewerVersionDeliveredByARelistEndsTheLagOfTheVersionsItSkipped() {
    List<TrialAnalysis.Commit> commits =
        List.of(
            new TrialAnalysis.Commit("a", 101, 10_100 * MS),
            new TrialAnalysis.Commit("a", 102, 10_200 * MS),
            new TrialAnalysis.Commit("a", 103, 10_300 * MS));
    List<ClientRecord.Delivery> deliveries =
        List.of(
            new ClientRecord.Delivery(11_500 * MS, 'U', "a", 102),
            new ClientRecord.Delivery(11_510 * MS, 'U', "a", 103));

    TrialAnalysis.Measures m =
        TrialAnalysis.measure(List.of(), deliveries, commits, FAULT, 12_000 * MS, false, 100);

    assertThat(m.lost()).isEqualTo(1);
    assertThat(m.watchDelayNanos()).isEqualTo(1_400 * MS);
    assertThat(m.slowestChange().resourceVersion()).isEqualTo(101);
  }

  @Test
  void cleanMeansNoFailureAndNoLongWaitInTheWindow() {
    List<ClientRecord.Get> gets = new ArrayList<>(steady(0, 5_000));

    assertThat(TrialAnalysis.isClean(gets, 5_000 * MS, 3_000 * MS, 500 * MS)).isTrue();

    gets.add(get(5_000, 5_100, false));
    assertThat(TrialAnalysis.isClean(gets, 5_200 * MS, 3_000 * MS, 500 * MS)).isFalse();

    List<ClientRecord.Get> stalled = steady(0, 4_000);
    assertThat(TrialAnalysis.isClean(stalled, 5_000 * MS, 3_000 * MS, 500 * MS))
        .as("no success in the last second")
        .isFalse();
  }

  @Test
  void caughtUpMeansTheChangesCommittedASecondAgoWereDelivered() {
    List<TrialAnalysis.Commit> commits =
        List.of(
            new TrialAnalysis.Commit("a", 101, 1_000 * MS),
            new TrialAnalysis.Commit("a", 102, 2_500 * MS));
    List<ClientRecord.Delivery> upTo101 =
        List.of(new ClientRecord.Delivery(1_010 * MS, 'U', "a", 101));

    assertThat(TrialAnalysis.isCaughtUp(upTo101, commits, 3_000 * MS)).isTrue();
    assertThat(TrialAnalysis.isCaughtUp(upTo101, commits, 3_600 * MS)).isFalse();
    assertThat(TrialAnalysis.isCaughtUp(List.of(), commits, 1_500 * MS))
        .as("a change is expected only a second after its commit")
        .isTrue();
    assertThat(TrialAnalysis.isCaughtUp(List.of(), commits, 2_100 * MS)).isFalse();
  }
}
