package dev.lifeline.dnscheck.internal.remediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.dnscheck.Verdict;
import dev.lifeline.dnscheck.internal.PodRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RemediationPolicyTest {
  private static final long S = 1_000_000_000L;

  private final RemediationPolicy policy = new RemediationPolicy(RemediationRules.defaults());
  private long now = 1000 * S;

  @Test
  void restartsTheOneFailingPodOfThree() {
    Plan plan = policy.plan(now, pods("a", "b", "c", "!b"), true);

    assertThat(plan.restart()).map(PodRef::name).hasValue("b");
    assertThat(plan.suppressed()).isEmpty();
    assertThat(plan.majorityFailing()).isFalse();
  }

  @Test
  void restartsOneOfTwoPodsAtExactlyHalf() {
    assertThat(policy.plan(now, pods("a", "b", "!a"), true).restart())
        .map(PodRef::name)
        .hasValue("a");
  }

  @Test
  void restartsNothingAndAlertsWhenMostPodsFail() {
    Plan plan = policy.plan(now, pods("a", "b", "c", "!a", "!b"), true);

    assertThat(plan.restart()).isEmpty();
    assertThat(plan.majorityFailing()).isTrue();
    assertThat(plan.suppressed())
        .extracting(Plan.Suppression::reason)
        .containsOnly(Reason.MAJORITY_FAILING);
    assertThat(plan.suppressed().get(0).detail()).startsWith("2 of 3 judged DNS pods fail (67 %");
  }

  @Test
  void aSinglePodThatFailsIsNeverRestartedBecauseThatIsEveryPod() {
    Plan plan = policy.plan(now, pods("a", "!a"), true);

    assertThat(plan.restart()).isEmpty();
    assertThat(plan.majorityFailing()).isTrue();
  }

  @Test
  void podsNotYetJudgedCountAgainstRemediation() {
    List<PodState> pods = new ArrayList<>(pods("a", "!a"));
    pods.add(new PodState(pod("new1"), Verdict.UNKNOWN, now, false));
    pods.add(new PodState(pod("new2"), Verdict.UNKNOWN, now, false));

    assertThat(policy.plan(now, pods, true).majorityFailing()).isTrue();
  }

  @Test
  void aPodFailingForLessThanTheRestartDelayWaitsToSeeWhetherOthersFailToo() {
    List<PodState> pods =
        List.of(
            new PodState(pod("a"), Verdict.FAILING, now - 2 * S, false),
            healthy("b"),
            healthy("c"));

    Plan plan = policy.plan(now, pods, true);

    assertThat(plan.restart()).isEmpty();
    assertThat(plan.suppressed())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.reason()).isEqualTo(Reason.SETTLING);
              assertThat(s.detail())
                  .isEqualTo("failing for 2s; waiting 5s to see whether other pods fail too");
            });
  }

  @Test
  void podsFailingOneAfterAnotherWithinTheDelayTripTheMajorityGuardInsteadOfARestart() {
    // The upstream fails: the pods are judged failing a few hundred milliseconds apart.
    List<PodState> first =
        List.of(new PodState(pod("a"), Verdict.FAILING, now, false), healthy("b"), healthy("c"));
    assertThat(policy.plan(now, first, true).restart()).isEmpty();

    now += S;
    List<PodState> all =
        List.of(
            new PodState(pod("a"), Verdict.FAILING, now - S, false),
            new PodState(pod("b"), Verdict.FAILING, now - S / 2, false),
            new PodState(pod("c"), Verdict.FAILING, now, false));
    Plan plan = policy.plan(now, all, true);

    assertThat(plan.restart()).isEmpty();
    assertThat(plan.majorityFailing()).isTrue();
  }

  @Test
  void restartsTheLongestFailingPodFirstAndOnlyOne() {
    List<PodState> pods =
        List.of(
            new PodState(pod("a"), Verdict.FAILING, now - 12 * S, false),
            new PodState(pod("b"), Verdict.FAILING, now - 15 * S, false),
            healthy("c"),
            healthy("d"),
            healthy("e"));

    Plan plan = policy.plan(now, pods, true);

    assertThat(plan.restart()).map(PodRef::name).hasValue("b");
    assertThat(plan.suppressed())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.pod().name()).isEqualTo("a");
              assertThat(s.reason()).isEqualTo(Reason.ONE_AT_A_TIME);
            });
  }

  @Test
  void waitsWhileTheRestartedPodIsStillThereAndGoesOnWhenItIsGone() {
    policy.restarted(pod("b"), now);
    now += 60 * S;

    Plan during = policy.plan(now, pods("a", "b", "c", "d", "!a"), true);
    assertThat(during.restart()).isEmpty();
    assertThat(during.suppressed().get(0).reason()).isEqualTo(Reason.RESTART_IN_PROGRESS);

    Plan after = policy.plan(now, pods("a", "b2", "c", "d", "!a"), true);
    assertThat(after.restart()).map(PodRef::name).hasValue("a");
  }

  @Test
  void anyTerminatingDnsPodHoldsRemediation() {
    List<PodState> pods = new ArrayList<>(pods("a", "b", "c", "!a"));
    pods.add(new PodState(pod("rolling"), Verdict.HEALTHY, now, true));

    Plan plan = policy.plan(now, pods, true);

    assertThat(plan.restart()).isEmpty();
    assertThat(plan.suppressed().get(0).detail()).contains("rolling is terminating");
  }

  @Test
  void aPodStuckTerminatingStopsBlockingAfterTheCooldown() {
    policy.restarted(pod("b"), now);
    now += Duration.ofMinutes(5).toNanos();

    assertThat(policy.plan(now, pods("a", "b", "c", "d", "!a"), true).restart()).isPresent();
  }

  @Test
  void theSamePodIsNotRestartedAgainWithinItsCooldown() {
    policy.restarted(pod("a"), now);
    now += 4 * 60 * S;

    Plan plan = policy.plan(now, pods("a", "c", "d", "!a"), true);
    assertThat(plan.suppressed())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.reason()).isEqualTo(Reason.RESTART_IN_PROGRESS);
            });

    // The restarted pod is gone, but a pod of the same name (a StatefulSet) fails again.
    Plan sameName =
        policy.plan(now, List.of(failing("a", "uid-2"), healthy("c"), healthy("d")), true);
    assertThat(sameName.suppressed())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.reason()).isEqualTo(Reason.POD_COOLDOWN);
              assertThat(s.detail()).isEqualTo("restarted 4m ago (cooldown 5m)");
            });
  }

  @Test
  void aRefusedEvictionIsRetriedAfterItsInterval() {
    policy.refused(pod("a"), now);
    now += 10 * S;
    assertThat(policy.plan(now, pods("a", "b", "c", "!a"), true).suppressed())
        .extracting(Plan.Suppression::reason)
        .containsExactly(Reason.EVICTION_REFUSED);

    now += 20 * S;
    assertThat(policy.plan(now, pods("a", "b", "c", "!a"), true).restart()).isPresent();
  }

  @Test
  void theRateLimitCapsRestartsPerPeriod() {
    RemediationPolicy p =
        new RemediationPolicy(
            new RemediationRules(
                false,
                Duration.ofMinutes(5),
                Duration.ofSeconds(30),
                2,
                Duration.ofMinutes(10),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                0.5,
                Duration.ofSeconds(5)));
    p.restarted(pod("x"), now);
    now += 60 * S;
    p.restarted(pod("y"), now);
    now += 60 * S;

    Plan limited = p.plan(now, pods("a", "b", "c", "!a"), true);
    assertThat(limited.suppressed().get(0).reason()).isEqualTo(Reason.RATE_LIMITED);
    assertThat(limited.suppressed().get(0).detail())
        .isEqualTo("2 restarts in the last 10m (limit 2); next possible in 8m");

    now += 8 * 60 * S;
    assertThat(p.plan(now, pods("a", "b", "c", "!a"), true).restart()).isPresent();
  }

  @Test
  void restartsThatKeepBeingNeededBackOffExponentiallyAndResetAfterQuiet() {
    RemediationPolicy p =
        new RemediationPolicy(
            new RemediationRules(
                false,
                Duration.ofMinutes(5),
                Duration.ofSeconds(30),
                100,
                Duration.ofMinutes(10),
                Duration.ofSeconds(30),
                Duration.ofMinutes(4),
                0.5,
                Duration.ofSeconds(5)));
    List<Long> gaps = new ArrayList<>();
    long last = now;
    p.restarted(pod("p0"), now);
    for (int i = 1; i <= 5; i++) {
      // Each restart's pod is gone; another fails; find when the next restart is allowed.
      Plan plan;
      int seconds = 0;
      while ((plan = p.plan(now, pods("q" + i, "h1", "h2", "!q" + i), true)).restart().isEmpty()) {
        now += S;
        assertThat(++seconds).as("seconds waited; last plan %s", plan).isLessThan(3600);
      }
      gaps.add((now - last) / S);
      last = now;
      p.restarted(pod("q" + i), now);
    }
    assertThat(gaps).containsExactly(30L, 60L, 120L, 240L, 240L);
    assertThat(p.isBackoffExhausted()).isTrue();

    now += Duration.ofMinutes(8).toNanos();
    p.restarted(pod("later"), now);
    assertThat(p.currentBackoff()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aDryRunDecidesButDoesNotAct() {
    RemediationPolicy dry =
        new RemediationPolicy(
            new RemediationRules(
                true,
                Duration.ofMinutes(5),
                Duration.ofSeconds(30),
                3,
                Duration.ofMinutes(10),
                Duration.ofSeconds(30),
                Duration.ofMinutes(30),
                0.5,
                Duration.ofSeconds(5)));

    Plan plan = dry.plan(now, pods("a", "b", "c", "!a"), true);

    assertThat(plan.restart()).isEmpty();
    assertThat(plan.suppressed())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.reason()).isEqualTo(Reason.DRY_RUN);
              assertThat(s.detail()).isEqualTo("dry run: would restart it now");
            });
  }

  @Test
  void aReplicaWithoutTheLeaseDoesNotAct() {
    Plan plan = policy.plan(now, pods("a", "b", "c", "!a"), false);

    assertThat(plan.restart()).isEmpty();
    assertThat(plan.suppressed().get(0).reason()).isEqualTo(Reason.NOT_LEADER);
  }

  @Test
  void rulesAreValidatedWithTheirNames() {
    assertThatThrownBy(
            () ->
                new RemediationRules(
                    false,
                    Duration.ofMinutes(5),
                    Duration.ofSeconds(30),
                    3,
                    Duration.ofMinutes(10),
                    Duration.ofMinutes(31),
                    Duration.ofMinutes(30),
                    0.5,
                    Duration.ofSeconds(5)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("backoff-max (PT30M) is shorter than backoff-initial (PT31M)");
    assertThatThrownBy(
            () ->
                new RemediationRules(
                    false,
                    Duration.ofMinutes(5),
                    Duration.ZERO,
                    3,
                    Duration.ofMinutes(10),
                    Duration.ofSeconds(30),
                    Duration.ofMinutes(30),
                    0.5,
                    Duration.ofSeconds(5)))
        .hasMessage("eviction-retry was PT0S; use a positive duration");
    assertThatThrownBy(
            () ->
                new RemediationRules(
                    false,
                    Duration.ofMinutes(5),
                    Duration.ofSeconds(30),
                    3,
                    Duration.ofMinutes(10),
                    Duration.ofSeconds(30),
                    Duration.ofMinutes(30),
                    1.0,
                    Duration.ofSeconds(5)))
        .hasMessageContaining("max-failing-share was 1.0");
  }

  /** Healthy pods by name; "!name" marks the named pod failing instead. */
  private List<PodState> pods(String... spec) {
    List<String> failing = new ArrayList<>();
    for (String s : spec) {
      if (s.startsWith("!")) {
        failing.add(s.substring(1));
      }
    }
    List<PodState> out = new ArrayList<>();
    for (String s : spec) {
      if (!s.startsWith("!")) {
        out.add(failing.contains(s) ? failing(s, "uid-" + s) : healthy(s));
      }
    }
    return out;
  }

  private PodState healthy(String name) {
    return new PodState(pod(name), Verdict.HEALTHY, now - 100 * S, false);
  }

  private PodState failing(String name, String uid) {
    return new PodState(
        new PodRef("kube-system", name, uid, "node-1"), Verdict.FAILING, now - 10 * S, false);
  }

  private static PodRef pod(String name) {
    return new PodRef("kube-system", name, "uid-" + name, "node-1");
  }
}
