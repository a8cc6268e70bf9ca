package dev.lifeline.bench.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class QuietWindowTest {
  private static final long MS = 1_000_000L;

  @Test
  void aSecondLaneWaitsUntilTheFirstGivesTheWindowBackOnce() throws Exception {
    QuietWindow quiet = new QuietWindow();
    QuietWindow.Hold first = quiet.hold();

    CompletableFuture<QuietWindow.Hold> second =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return quiet.hold();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
              }
            });
    assertThat(second).isNotDone();

    first.close();
    first.close();
    await().atMost(Duration.ofSeconds(5)).until(second::isDone);
    assertThat(first.isHeld()).isFalse();
    assertThat(second.get().isHeld()).isTrue();
    second.get().close();
    // Released once each: the window is free again, not doubly free.
    try (QuietWindow.Hold again = quiet.hold()) {
      assertThat(again.isHeld()).isTrue();
    }
  }

  @Test
  void theCriticalPartEndsASecondAfterRecoveryButNotBeforeTwoSecondsNorAfterFive() {
    long fault = 10_000 * MS;
    List<ClientRecord.Get> recoveredAt700 =
        List.of(new ClientRecord.Get(10_000 * MS, 10_700 * MS, true, ""));

    assertThat(TrialRunner.isPastCriticalPart(recoveredAt700, fault, 11_500 * MS)).isFalse();
    assertThat(TrialRunner.isPastCriticalPart(recoveredAt700, fault, 12_000 * MS)).isTrue();
    List<ClientRecord.Get> recoveredAt3000 =
        List.of(new ClientRecord.Get(10_000 * MS, 13_000 * MS, true, ""));
    assertThat(TrialRunner.isPastCriticalPart(recoveredAt3000, fault, 13_500 * MS)).isFalse();
    assertThat(TrialRunner.isPastCriticalPart(recoveredAt3000, fault, 14_000 * MS)).isTrue();
    assertThat(TrialRunner.isPastCriticalPart(List.of(), fault, 14_900 * MS)).isFalse();
    assertThat(TrialRunner.isPastCriticalPart(List.of(), fault, 15_000 * MS)).isTrue();
  }
}
