package dev.lifeline.client.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final RetryPolicy policy =
      new RetryPolicy(
          3, Duration.ofSeconds(20), Duration.ofMillis(200), Duration.ofSeconds(5), () -> 0.5);

  @Test
  void readsAreRetriedOnThrottlingAndServerErrors() {
    for (int code : new int[] {429, 500, 502, 503, 504}) {
      assertThat(policy.afterStatus(1, "GET", code, null, Duration.ZERO))
          .as("GET %s", code)
          .isNotNull();
    }
    for (int code : new int[] {400, 401, 403, 404, 409, 410, 422, 501}) {
      assertThat(policy.afterStatus(1, "GET", code, null, Duration.ZERO))
          .as("GET %s", code)
          .isNull();
    }
  }

  @Test
  void writesAreRetriedOnlyWhenTheServerSaysItIsSafe() {
    for (String method : new String[] {"POST", "PUT", "PATCH", "DELETE"}) {
      assertThat(policy.afterStatus(1, method, 429, Duration.ofSeconds(1), Duration.ZERO))
          .isEqualTo(Duration.ofSeconds(1));
      assertThat(policy.afterStatus(1, method, 429, null, Duration.ZERO)).isNull();
      assertThat(policy.afterStatus(1, method, 503, Duration.ofSeconds(1), Duration.ZERO)).isNull();
      assertThat(policy.afterStatus(1, method, 500, null, Duration.ZERO)).isNull();
    }
  }

  @Test
  void failuresBeforeTheRequestWasSentAreRetriedForEveryVerb() {
    assertThat(policy.afterFailure(1, "POST", false, Duration.ZERO)).isNotNull();
    assertThat(policy.afterFailure(1, "POST", true, Duration.ZERO)).isNull();
    assertThat(policy.afterFailure(1, "GET", true, Duration.ZERO)).isNotNull();
  }

  @Test
  void theFirstRetryAfterABrokenConnectionGoesAtOnceButTimeoutsAndLaterRetriesBackOff() {
    IOException reset = new java.net.SocketException("Connection reset");
    assertThat(policy.afterFailure(1, "GET", true, Duration.ZERO, reset)).isEqualTo(Duration.ZERO);
    assertThat(policy.afterFailure(2, "GET", true, Duration.ZERO, reset))
        .isEqualTo(Duration.ofMillis(300));
    assertThat(
            policy.afterFailure(
                1, "GET", true, Duration.ZERO, new java.net.SocketTimeoutException("timeout")))
        .isEqualTo(Duration.ofMillis(150));
    assertThat(policy.afterFailure(1, "POST", true, Duration.ZERO, reset)).isNull();
    assertThat(
            policy.afterFailure(
                1, "POST", false, Duration.ZERO, new java.net.ConnectException("refused")))
        .isEqualTo(Duration.ZERO);
  }

  @Test
  void retryAfterIsHonouredAndBackoffGrowsWithJitterUpToItsCap() {
    assertThat(policy.afterStatus(1, "GET", 429, Duration.ofSeconds(2), Duration.ZERO))
        .isEqualTo(Duration.ofSeconds(2));
    // half fixed, half random (0.5 here): 0.75 of the exponential step
    assertThat(policy.backoff(1)).isEqualTo(Duration.ofMillis(150));
    assertThat(policy.backoff(2)).isEqualTo(Duration.ofMillis(300));
    assertThat(policy.backoff(10)).isEqualTo(Duration.ofMillis(3750));
    assertThat(policy.backoff(40)).isEqualTo(Duration.ofMillis(3750));
  }

  @Test
  void retriesStopAfterTheirCountOrTheirBudget() {
    assertThat(policy.afterFailure(3, "GET", true, Duration.ZERO)).isNotNull();
    assertThat(policy.afterFailure(4, "GET", true, Duration.ZERO)).isNull();
    assertThat(policy.afterStatus(1, "GET", 429, Duration.ofSeconds(5), Duration.ofSeconds(16)))
        .isNull();
  }
}
