package dev.lifeline.cli.internal.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RequestStatsTest {
  private static final long MS = 1_000_000L;
  private final RequestStats stats = new RequestStats();

  private void ok(long issuedMs, long completedMs) {
    stats.issued();
    stats.record(issuedMs * MS, completedMs * MS, true);
  }

  private void failed(long issuedMs, long completedMs) {
    stats.issued();
    stats.record(issuedMs * MS, completedMs * MS, false);
  }

  @Test
  void theLongestGapIsBetweenTwoAnswersNotBetweenSendingAndAnswering() {
    ok(0, 10);
    ok(100, 110);
    ok(200, 2_500); // hung, then answered
    ok(300, 2_510);
    ok(2_600, 2_610);

    assertThat(stats.longestGapNanos(2_700 * MS)).isEqualTo((2_500 - 110) * MS);
  }

  @Test
  void aClientStillWaitingAtTheEndHasAGapUpToTheEnd() {
    ok(0, 10);
    ok(100, 110);
    stats.issued(); // never answered

    assertThat(stats.longestGapNanos(5_000 * MS)).isEqualTo((5_000 - 110) * MS);
    assertThat(stats.unanswered()).isEqualTo(1);
  }

  @Test
  void answersAfterTheEndDoNotShortenTheGap() {
    ok(0, 10);
    ok(100, 6_000);

    assertThat(stats.longestGapNanos(5_000 * MS)).isEqualTo((5_000 - 10) * MS);
  }

  @Test
  void failuresAreNoAnswers() {
    ok(0, 10);
    failed(100, 300);
    failed(200, 400);
    ok(500, 510);

    assertThat(stats.longestGapNanos(600 * MS)).isEqualTo(500 * MS);
    assertThat(stats.succeeded()).isEqualTo(2);
    assertThat(stats.failed()).isEqualTo(2);
    assertThat(stats.unanswered()).isZero();
  }

  @Test
  void theFirstAnswerAfterAFaultCountsOnlyRequestsSentAfterIt() {
    ok(900, 1_005); // sent before the fault at 1000, answered after it: does not count
    ok(1_050, 1_800);
    ok(1_100, 1_700);

    assertThat(stats.firstSuccessAfter(1_000 * MS)).isEqualTo(OptionalLong.of(700 * MS));
    assertThat(stats.firstSuccessAfter(2_000 * MS)).isEmpty();
  }

  @Test
  void theSlowestRequestCountsFailuresToo() {
    ok(0, 10);
    failed(100, 30_100);

    assertThat(stats.slowestNanos()).isEqualTo(30_000 * MS);
  }

  @Test
  void withoutAnyAnswerThereIsNoGapToSpeakOf() {
    failed(0, 10);

    assertThat(stats.longestGapNanos(1_000 * MS)).isZero();
  }
}
