package dev.lifeline.failover.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PauseDetectorTest {
  final ManualScheduler scheduler = new ManualScheduler();
  final PauseDetector pauses = PauseDetector.forEngine(scheduler);

  @Test
  void timeWhileTheSchedulerRunsOnTimeIsAllObserved() {
    pauses.start();
    PauseDetector.Mark mark = pauses.mark();

    scheduler.advance(Duration.ofMillis(500));

    assertThat(pauses.observedSince(mark)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(500));
    assertThat(pauses.stalledSince(mark)).isZero();
  }

  @Test
  void aStallIsNotObservedTimeEvenBeforeTheLateHeartbeatRuns() {
    pauses.start();
    scheduler.advance(Duration.ofMillis(5));
    PauseDetector.Mark mark = pauses.mark();

    // Time moves on while nothing runs: the heartbeat due 5 ms in is overdue.
    scheduler.stall(Duration.ZERO);
    long before = pauses.observedSince(mark);
    scheduler.stall(Duration.ofMillis(800));

    assertThat(before).isZero();
    assertThat(pauses.observedSince(mark)).isLessThan(TimeUnit.MILLISECONDS.toNanos(20));
    assertThat(pauses.stalledSince(mark)).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(780));
    scheduler.advance(Duration.ofMillis(100));
    assertThat(pauses.observedSince(mark))
        .isBetween(TimeUnit.MILLISECONDS.toNanos(100), TimeUnit.MILLISECONDS.toNanos(120));
    assertThat(pauses.summary()).startsWith("1 stalls, ");
  }

  @Test
  void latenessWithinTheToleranceIsOrdinaryJitter() {
    pauses.start();
    PauseDetector.Mark mark = pauses.mark();

    for (int i = 0; i < 10; i++) {
      scheduler.stall(Duration.ofMillis(14));
    }

    assertThat(pauses.stalledSince(mark)).isZero();
    assertThat(pauses.observedSince(mark)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(140));
  }
}
