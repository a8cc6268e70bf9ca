package dev.lifeline.failover.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.failover.Endpoint;
import dev.lifeline.failover.EndpointState;
import dev.lifeline.failover.FailoverConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HealthMonitorTest {
  static final Endpoint A = Endpoint.parse("10.0.0.1:6443");
  static final Endpoint B = Endpoint.parse("10.0.0.2:6443");

  final ManualScheduler scheduler = new ManualScheduler();
  final FakeProber prober = new FakeProber();
  final List<String> verdicts = new CopyOnWriteArrayList<>();
  final List<Long> verdictTimes = new CopyOnWriteArrayList<>();
  HealthMonitor monitor = monitor(FailoverConfig.builder(URI.create("https://api.test:6443")));

  HealthMonitor monitor(FailoverConfig.Builder config) {
    return new HealthMonitor(
        config.build(),
        scheduler,
        prober,
        new HealthMonitor.Verdicts() {
          @Override
          public void reachable(Endpoint endpoint, long latencyNanos) {
            record("reachable " + endpoint);
          }

          @Override
          public void dead(Endpoint endpoint, String reason) {
            record("dead " + endpoint + ": " + reason);
          }

          @Override
          public void goingAway(Endpoint endpoint, String reason) {
            record("going away " + endpoint + ": " + reason);
          }

          @Override
          public void ready(Endpoint endpoint) {
            record("ready " + endpoint);
          }

          @Override
          public void broken(Endpoint endpoint, java.io.IOException cause) {
            record("broken " + endpoint + ": " + cause.getMessage());
          }
        },
        new Random(11));
  }

  void record(String verdict) {
    verdicts.add(verdict);
    verdictTimes.add(scheduler.nanoTime());
  }

  void advance(long millis) {
    scheduler.advance(Duration.ofMillis(millis));
  }

  List<String> verdictsStartingWith(String prefix) {
    return verdicts.stream().filter(v -> v.startsWith(prefix)).toList();
  }

  @Test
  void aNewEndpointIsProbedAtOnce() {
    monitor.track(Map.of(A, EndpointState.UNKNOWN), Set.of());
    scheduler.runPending();

    assertThat(prober.calls).containsExactly("handshake " + A);
    assertThat(verdicts).containsExactly("reachable " + A);
  }

  @Test
  void anEndpointInUseIsPingedEveryIntervalAndAcksMakeItReachable() {
    monitor.track(Map.of(A, EndpointState.UP), Set.of(A));
    advance(1_000);

    assertThat(monitor.hasSession(A)).isTrue();
    assertThat(prober.channel(A).pings).hasSize(5);
    assertThat(verdictsStartingWith("dead")).isEmpty();
    assertThat(verdictsStartingWith("reachable")).hasSizeGreaterThanOrEqualTo(5);
  }

  @Test
  void aBlackholeOnTheEndpointInUseIsDeadWithinPingIntervalPlusTimeout() {
    monitor.track(Map.of(A, EndpointState.UP), Set.of(A));
    advance(1_010);
    long blackholedAt = scheduler.nanoTime();
    prober.set(A, FakeProber.Mode.BLACKHOLE);
    verdicts.clear();
    verdictTimes.clear();

    advance(2_000);

    List<String> dead = verdictsStartingWith("dead");
    assertThat(dead)
        .first()
        .isEqualTo(
            "dead "
                + A
                + ": no HTTP/2 PING ack within 500 ms, and no answer to a new TCP connection within"
                + " 250 ms");
    long detectedMillis =
        TimeUnit.NANOSECONDS.toMillis(
            verdictTimes.get(verdicts.indexOf(dead.get(0))) - blackholedAt);
    assertThat(detectedMillis).isBetween(500L, 750L);
    assertThat(prober.connects).hasSize(1);
    assertThat(prober.connects.get(0).closed).isTrue();
  }

  long millisSince(long startNanos, String verdict) {
    return TimeUnit.NANOSECONDS.toMillis(verdictTimes.get(verdicts.indexOf(verdict)) - startNanos);
  }

  @Test
  void aStallOfThisProcessLongerThanThePingTimeoutIsNotADeath() {
    monitor.track(Map.of(A, EndpointState.UP), Set.of(A));
    advance(1_010);
    // A PING goes out, then the process freezes for 900 ms (a GC pause, a used-up CPU quota): the
    // answer arrives meanwhile but nobody reads it, and every timer runs late.
    prober.set(A, FakeProber.Mode.HELD);
    advance(240);
    verdicts.clear();

    scheduler.stall(Duration.ofMillis(900));

    assertThat(verdictsStartingWith("dead")).isEmpty();
    // The reader runs again and finds the answers.
    prober.set(A, FakeProber.Mode.UP);
    prober.channel(A).answerHeld();
    advance(2_000);

    assertThat(verdictsStartingWith("dead")).isEmpty();
    assertThat(prober.channel(A).closed).isFalse();
    assertThat(prober.count("open " + A)).isEqualTo(1);
  }

  @Test
  void aStallWhoseAnswerArrivedMeanwhileAndWaitsUnreadIsNotADeath() {
    monitor.track(Map.of(A, EndpointState.UP), Set.of(A));
    advance(1_010);
    prober.set(A, FakeProber.Mode.HELD);
    advance(240);
    verdicts.clear();
    // The answer reached the socket during the stall; the reader has not run yet.
    prober.channel(A).unreadInput = true;

    scheduler.stall(Duration.ofMillis(3_000));
    advance(300);

    assertThat(verdictsStartingWith("dead")).isEmpty();
    prober.set(A, FakeProber.Mode.UP);
    prober.channel(A).unreadInput = false;
    prober.channel(A).answerHeld();
    advance(2_000);
    assertThat(verdictsStartingWith("dead")).isEmpty();
    assertThat(prober.count("open " + A)).isEqualTo(1);
  }

  @Test
  void aBlackholeFoundAfterAStallIsDeadOneConfirmationWindowAfterTheStall() {
    monitor.track(Map.of(A, EndpointState.UP), Set.of(A));
    advance(1_010);
    prober.set(A, FakeProber.Mode.BLACKHOLE);
    advance(240);
    verdicts.clear();
    verdictTimes.clear();

    scheduler.stall(Duration.ofMillis(900));
    long resumedAt = scheduler.nanoTime();
    advance(2_000);

    List<String> dead = verdictsStartingWith("dead");
    assertThat(dead).isNotEmpty();
    assertThat(millisSince(resumedAt, dead.get(0))).isBetween(250L, 260L);
  }

  @Test
  void aMissedPingWhoseConfirmationConnectIsRefusedIsDead() {
    monitor.track(Map.of(A, EndpointState.UP), Set.of(A));
    advance(1_010);
    long refusedAt = scheduler.nanoTime();
    prober.set(A, FakeProber.Mode.REFUSED);
    verdicts.clear();
    verdictTimes.clear();

    advance(1_000);

    List<String> dead = verdictsStartingWith("dead");
    assertThat(dead)
        .first()
        .isEqualTo(
            "dead "
                + A
                + ": no HTTP/2 PING ack within 500 ms, and a new TCP connection failed:"
                + " Connection refused");
    assertThat(millisSince(refusedAt, dead.get(0))).isBetween(500L, 750L);
  }

  @Test
  void aMissedPingWhoseConfirmationConnectSucceedsIsASlowServerNotADeadOne() {
    monitor.track(Map.of(A, EndpointState.UP), Set.of(A));
    advance(1_010);
    prober.set(A, FakeProber.Mode.SILENT);
    verdicts.clear();

    advance(1_500);

    assertThat(verdictsStartingWith("dead")).isEmpty();
    assertThat(prober.connects).isNotEmpty().allSatisfy(c -> assertThat(c.closed).isTrue());
    int confirmations = prober.connects.size();
    // The server catches up: its answers arrive late, and the session goes on.
    prober.set(A, FakeProber.Mode.UP);
    prober.channel(A).answerHeld();
    advance(5_000);

    assertThat(verdictsStartingWith("dead")).isEmpty();
    assertThat(prober.count("open " + A)).isEqualTo(1);
    assertThat(prober.connects).hasSize(confirmations);
    assertThat(verdicts.get(verdicts.size() - 1)).isEqualTo("reachable " + A);
  }

  @Test
  void confirmationsOfASlowServerAreSpacedOutNotOnePerPing() {
    monitor.track(Map.of(A, EndpointState.UP), Set.of(A));
    advance(1_010);
    prober.set(A, FakeProber.Mode.SILENT);

    advance(1_900);

    // 7 PINGs went unanswered; the first confirmation 250 ms in, the next after 1 s, then 2 s.
    assertThat(prober.connects).hasSizeBetween(1, 2);
  }

  @Test
  void aServerWhoseHostAcceptsConnectionsButThatAnswersNothingIsDeadAfterTheUnresponsiveTimeout() {
    monitor.track(Map.of(A, EndpointState.UP), Set.of(A));
    advance(1_010);
    long hungAt = scheduler.nanoTime();
    prober.set(A, FakeProber.Mode.SILENT);
    verdicts.clear();
    verdictTimes.clear();

    advance(4_000);

    List<String> dead = verdictsStartingWith("dead");
    assertThat(dead).first().asString().contains("although its host accepts TCP connections");
    assertThat(millisSince(hungAt, dead.get(0))).isBetween(1_950L, 2_300L);
  }

  @Test
  void unreadInputDefersTheVerdictUntilTheReaderCatchesUp() {
    monitor.track(Map.of(A, EndpointState.UP), Set.of(A));
    advance(1_010);
    prober.set(A, FakeProber.Mode.HELD);
    prober.channel(A).unreadInput = true;
    verdicts.clear();

    advance(1_000);

    assertThat(verdictsStartingWith("dead")).isEmpty();
    assertThat(prober.connects).isEmpty();
    prober.set(A, FakeProber.Mode.UP);
    prober.channel(A).unreadInput = false;
    prober.channel(A).answerHeld();
    advance(2_000);

    assertThat(verdictsStartingWith("dead")).isEmpty();
    assertThat(prober.count("open " + A)).isEqualTo(1);
  }

  @Test
  void anIdleTlsProbeThatTimesOutAfterTheTcpConnectIsNotADeath() {
    prober.set(A, FakeProber.Mode.SILENT);
    monitor.track(Map.of(A, EndpointState.UNKNOWN), Set.of());
    scheduler.runPending();

    assertThat(prober.calls).containsExactly("handshake " + A);
    assertThat(verdicts).isEmpty();
    // Not judged: looked at again soon, not after the idle interval.
    prober.set(A, FakeProber.Mode.UP);
    advance(1_000);
    assertThat(verdicts).containsExactly("reachable " + A);
  }

  @Test
  void aGoAwayReopensAtOnceWithoutAVerdict() {
    monitor.track(Map.of(A, EndpointState.UP), Set.of(A));
    advance(300);
    FakeProber.FakeChannel first = prober.channel(A);

    first.listener.goAway(0);
    scheduler.runPending();

    assertThat(prober.channels.get(A)).hasSize(2);
    assertThat(verdictsStartingWith("dead")).isEmpty();
    advance(500);
    assertThat(prober.channel(A).pings).isNotEmpty();
    assertThat(first.closed).isFalse();
    advance(1_600);
    assertThat(first.closed).isTrue();
    first.listener.closed(null);
    assertThat(verdicts).noneMatch(v -> v.startsWith("broken") || v.startsWith("dead"));
  }

  @Test
  void aResetAfterAGoAwayIsReportedAsBroken() {
    monitor.track(Map.of(A, EndpointState.UP), Set.of(A));
    advance(300);
    FakeProber.FakeChannel first = prober.channel(A);

    first.listener.goAway(0);
    first.listener.closed(new java.net.SocketException("Connection reset"));
    scheduler.runPending();

    assertThat(verdictsStartingWith("broken"))
        .containsExactly("broken " + A + ": Connection reset");
  }

  @Test
  void aGoAwayFollowedByRefusedConnectsMeansGoingAwayNotDead() {
    monitor.track(Map.of(A, EndpointState.UP), Set.of(A));
    advance(300);
    prober.set(A, FakeProber.Mode.REFUSED);

    prober.channel(A).listener.goAway(0);
    scheduler.runPending();

    assertThat(verdictsStartingWith("going away"))
        .singleElement()
        .asString()
        .contains("closed its connection with GOAWAY and refuses new ones");
    assertThat(verdictsStartingWith("dead")).isEmpty();
  }

  @Test
  void aResetProbeConnectionThatCannotReopenIsDead() {
    monitor.track(Map.of(A, EndpointState.UP), Set.of(A));
    advance(300);
    prober.set(A, FakeProber.Mode.REFUSED);

    prober.channel(A).listener.closed(new java.net.SocketException("Connection reset"));
    scheduler.runPending();

    assertThat(verdictsStartingWith("dead"))
        .singleElement()
        .asString()
        .contains("cannot open the probe connection: Connection refused");
  }

  @Test
  void endpointsNotInUseAreProbedAtAJitteredSlowRate() {
    monitor.track(Map.of(A, EndpointState.UP, B, EndpointState.UP), Set.of());

    advance(29_000);
    assertThat(prober.calls).isEmpty();
    advance(62_000);
    assertThat(prober.count("handshake " + A)).isEqualTo(1);
    assertThat(prober.count("handshake " + B)).isEqualTo(1);
    advance(600_000);
    long probes = prober.count("handshake " + A);
    assertThat(probes).isBetween(7L, 20L);
  }

  @Test
  void aDownEndpointThatAnswersAgainPassesReadyzBeforeItIsReady() {
    monitor.track(Map.of(A, EndpointState.DOWN), Set.of());
    prober.readyz.put(A, 500);

    monitor.readmit(A, false);
    scheduler.runPending();
    assertThat(verdictsStartingWith("ready")).isEmpty();

    prober.readyz.put(A, 200);
    monitor.readmit(A, false);
    scheduler.runPending();
    assertThat(verdictsStartingWith("ready")).containsExactly("ready " + A);
  }

  @Test
  void aForbiddenReadyzStillReadmits() {
    monitor.track(Map.of(A, EndpointState.DOWN), Set.of());
    prober.readyz.put(A, 403);

    monitor.readmit(A, false);
    scheduler.runPending();

    assertThat(verdictsStartingWith("ready")).containsExactly("ready " + A);
  }

  @Test
  void aRecoveryFoundByAProbeIsCheckedAfterASpreadingDelay() {
    monitor.track(Map.of(A, EndpointState.DOWN), Set.of());

    monitor.readmit(A, true);
    scheduler.runPending();
    assertThat(prober.calls).doesNotContain("readyz " + A);

    advance(60_000);
    assertThat(prober.count("readyz " + A)).isEqualTo(1);
    assertThat(verdictsStartingWith("ready")).containsExactly("ready " + A);
  }

  @Test
  void aFailingPeriodicReadyzOnAnEndpointInUseMeansGoingAway() {
    monitor =
        monitor(
            FailoverConfig.builder(URI.create("https://api.test:6443"))
                .readyzInterval(Duration.ofSeconds(10)));
    monitor.track(Map.of(A, EndpointState.UP), Set.of(A));
    prober.readyz.put(A, 500);

    advance(15_001);

    assertThat(verdictsStartingWith("going away"))
        .first()
        .asString()
        .contains("/readyz answered 500: readyz check failed");
  }

  @Test
  void anHttp11OnlyEndpointInUseIsProbedWithHandshakesEverySecond() {
    prober.set(A, FakeProber.Mode.NO_HTTP2);
    monitor.track(Map.of(A, EndpointState.UP), Set.of(A));

    advance(3_500);

    assertThat(prober.count("handshake " + A)).isEqualTo(4);
    assertThat(verdictsStartingWith("dead")).isEmpty();
  }

  @Test
  void theSessionLingersThenStopsWhenTheEndpointIsNoLongerInUse() {
    monitor.track(Map.of(A, EndpointState.UP), Set.of(A));
    advance(500);

    monitor.track(Map.of(A, EndpointState.UP), Set.of());
    assertThat(monitor.hasSession(A)).isTrue();
    advance(10_001);
    monitor.track(Map.of(A, EndpointState.UP), Set.of());

    assertThat(monitor.hasSession(A)).isFalse();
    assertThat(prober.channel(A).closed).isTrue();
  }

  @Test
  void aDownEndpointLosesItsSessionAtOnce() {
    monitor.track(Map.of(A, EndpointState.UP), Set.of(A));
    advance(500);

    monitor.track(Map.of(A, EndpointState.DOWN), Set.of(A));

    assertThat(monitor.hasSession(A)).isFalse();
  }

  @Test
  void probeNowSendsAnExtraPingOnASession() {
    monitor.track(Map.of(A, EndpointState.UP), Set.of(A));
    advance(10);
    int before = prober.channel(A).pings.size();

    monitor.probeNow(A);
    scheduler.runPending();

    assertThat(prober.channel(A).pings).hasSize(before + 1);
  }

  @Test
  void closeStopsEveryTimerAndChannel() {
    monitor.track(Map.of(A, EndpointState.UP, B, EndpointState.UP), Set.of(A));
    advance(100);

    monitor.close();
    int pings = prober.channel(A).pings.size();
    advance(120_000);

    assertThat(prober.channel(A).closed).isTrue();
    assertThat(prober.channel(A).pings).hasSize(pings);
    assertThat(prober.count("handshake " + B)).isZero();
  }
}
