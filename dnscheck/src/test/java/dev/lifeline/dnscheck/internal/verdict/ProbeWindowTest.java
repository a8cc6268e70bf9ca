package dev.lifeline.dnscheck.internal.verdict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.dnscheck.Verdict;
import org.junit.jupiter.api.Test;

class ProbeWindowTest {
  private final ProbeWindow window = new ProbeWindow(WindowPolicy.defaults());

  @Test
  void isUnknownUntilItHasTheMinimumSamples() {
    for (int i = 0; i < 9; i++) {
      window.record(true);
      assertThat(window.verdict()).isEqualTo(Verdict.UNKNOWN);
    }
    window.record(true);
    assertThat(window.verdict()).isEqualTo(Verdict.HEALTHY);
  }

  @Test
  void consecutiveFailuresMakeItFailingEvenBeforeTheMinimumSamples() {
    for (int i = 0; i < 3; i++) {
      window.record(false);
    }
    assertThat(window.verdict()).isEqualTo(Verdict.UNKNOWN);
    window.record(false);
    assertThat(window.verdict()).isEqualTo(Verdict.FAILING);
  }

  @Test
  void aServerFailingEveryOtherQueryIsCaughtByTheRatio() {
    for (int i = 0; i < 10; i++) {
      window.record(i % 2 == 0);
    }
    assertThat(window.consecutiveFailures()).isEqualTo(1);
    assertThat(window.verdict()).isEqualTo(Verdict.FAILING);
  }

  @Test
  void scatteredFailuresBelowTheRatioStayHealthy() {
    for (int i = 0; i < 100; i++) {
      window.record(i % 4 != 0); // 25 % failures, never two in a row
    }
    assertThat(window.verdict()).isEqualTo(Verdict.HEALTHY);
  }

  @Test
  void oldResultsLeaveTheWindow() {
    for (int i = 0; i < 20; i++) {
      window.record(false);
    }
    assertThat(window.failures()).isEqualTo(20);
    for (int i = 0; i < 11; i++) {
      window.record(true);
    }
    assertThat(window.samples()).isEqualTo(20);
    assertThat(window.failures()).isEqualTo(9);
    assertThat(window.verdict()).isEqualTo(Verdict.HEALTHY);
  }

  @Test
  void recoveryNeedsTheFailuresToLeaveTheWindow() {
    for (int i = 0; i < 20; i++) {
      window.record(false);
    }
    for (int i = 0; i < 10; i++) {
      window.record(true);
      assertThat(window.verdict()).as("after %d successes", i + 1).isEqualTo(Verdict.FAILING);
    }
    window.record(true);
    assertThat(window.verdict()).isEqualTo(Verdict.HEALTHY);
  }

  @Test
  void settingsAreValidatedWithTheirNames() {
    assertThatThrownBy(() -> new WindowPolicy(20, 30, 0.5, 4))
        .hasMessageContaining("min-samples was 30");
    assertThatThrownBy(() -> new WindowPolicy(20, 10, 0, 4))
        .hasMessageContaining("failure-ratio was 0.0");
    assertThatThrownBy(() -> new WindowPolicy(20, 10, 0.5, 0))
        .hasMessageContaining("consecutive-failures was 0");
  }
}
