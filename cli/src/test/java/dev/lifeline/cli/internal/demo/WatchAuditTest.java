package dev.lifeline.cli.internal.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WatchAuditTest {
  private static final long MS = 1_000_000L;
  private final WatchAudit audit = new WatchAudit();

  @Test
  void everyChangeDeliveredOnceIsNeitherLostNorRepeated() {
    audit.committed("a", 10, 0);
    audit.committed("b", 11, 100 * MS);
    audit.delivered("a", 10, 5 * MS, false);
    audit.delivered("b", 11, 400 * MS, false);

    assertThat(audit.result(11)).isEqualTo(new WatchAudit.Result(2, 2, 0, 0, 0, 0, 300 * MS));
  }

  @Test
  void aChangeTheWatchWentPastWithoutDeliveringIsLost() {
    audit.committed("a", 10, 0);
    audit.committed("a", 12, 0);
    audit.delivered("a", 12, 0, false);

    WatchAudit.Result result = audit.result(12);

    assertThat(result.lost()).isEqualTo(1);
    assertThat(result.delivered()).isEqualTo(1);
  }

  @Test
  void aChangeFoldedIntoALaterStateByARelistIsSupersededNotLost() {
    audit.committed("a", 10, 0);
    audit.committed("a", 12, 0);
    audit.delivered("a", 12, 2_000 * MS, true);

    WatchAudit.Result result = audit.result(12);

    assertThat(result.superseded()).isEqualTo(1);
    assertThat(result.lost()).isZero();
    assertThat(result.longestDelayNanos()).isEqualTo(2_000 * MS);
  }

  @Test
  void aLaterOrdinaryDeliveryDoesNotExcuseAMissingOne() {
    audit.committed("a", 10, 0);
    audit.committed("a", 12, 0);
    audit.committed("a", 14, 0);
    audit.delivered("a", 14, 0, false);
    audit.delivered("a", 20, 0, true); // a relist later on does not explain the gap at 10 and 12

    assertThat(audit.result(20).lost()).isEqualTo(2);
  }

  @Test
  void theSameChangeDeliveredTwiceIsRepeated() {
    audit.committed("a", 10, 0);
    audit.delivered("a", 10, 0, false);
    audit.delivered("a", 10, 0, true);

    WatchAudit.Result result = audit.result(10);

    assertThat(result.delivered()).isEqualTo(1);
    assertThat(result.repeated()).isEqualTo(1);
  }

  @Test
  void aChangeTheWatchHasNotReachedYetIsPendingNotLost() {
    audit.committed("a", 10, 0);
    audit.committed("b", 11, 0);
    audit.delivered("a", 10, 0, false);

    WatchAudit.Result result = audit.result(10);

    assertThat(result.pending()).isEqualTo(1);
    assertThat(result.lost()).isZero();
  }

  @Test
  void deliveriesOfVersionsFromBeforeTheRecordingAreIgnored() {
    audit.delivered("a", 3, 0, false); // the initial list
    audit.committed("a", 10, 0);
    audit.delivered("a", 10, 0, false);

    assertThat(audit.result(10)).isEqualTo(new WatchAudit.Result(1, 1, 0, 0, 0, 0, 0));
  }

  @Test
  void changesTheFirstViewAlreadyShowsAreNotChecked() {
    audit.committed("a", 3, 0);
    audit.committed("a", 5, 0); // an informer started now sees a@5 only: 3 is not lost
    audit.initial(5);
    audit.delivered("a", 5, 0, false);
    audit.committed("a", 10, 0);
    audit.delivered("a", 10, 0, false);

    assertThat(audit.result(10)).isEqualTo(new WatchAudit.Result(1, 1, 0, 0, 0, 0, 0));
  }
}
