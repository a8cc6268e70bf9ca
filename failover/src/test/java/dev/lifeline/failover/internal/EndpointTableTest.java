package dev.lifeline.failover.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.failover.DiscoveredEndpoint;
import dev.lifeline.failover.Endpoint;
import dev.lifeline.failover.EndpointState;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EndpointTableTest {
  static final Endpoint A = Endpoint.parse("10.0.0.1:6443");
  static final Endpoint B = Endpoint.parse("10.0.0.2:6443");
  static final Endpoint C = Endpoint.parse("10.0.0.3:6443");

  final AtomicLong now = new AtomicLong(1_000);
  final EndpointTable table = table(Set.of());

  EndpointTable table(Set<InetAddress> sameNode) {
    return new EndpointTable(now::get, Duration.ofSeconds(5), new Random(7), sameNode);
  }

  void advance(long millis) {
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
  }

  static List<DiscoveredEndpoint> ready(Endpoint... endpoints) {
    return java.util.Arrays.stream(endpoints).map(DiscoveredEndpoint::ready).toList();
  }

  @Test
  void theFirstSetIsTakenAtOnce() {
    EndpointTable.Changes changes = table.applyDiscovered(ready(A, B), "slice");

    assertThat(changes.admitted()).containsExactlyInAnyOrder(A, B);
    assertThat(changes.setChanged()).isTrue();
    assertThat(table.order()).containsExactlyInAnyOrder(A, B);
    assertThat(table.stateOf(A)).contains(EndpointState.UNKNOWN);
  }

  @Test
  void aNewEndpointWaitsForTheDebounceBeforeItTakesConnections() {
    table.applyDiscovered(ready(A), "slice");

    table.applyDiscovered(ready(A, B), "slice");
    assertThat(table.order()).containsExactly(A);
    assertThat(table.nanosUntilNextAdmission()).isEqualTo(TimeUnit.SECONDS.toNanos(5));

    advance(4_999);
    assertThat(table.admitDue().admitted()).isEmpty();
    advance(1);
    assertThat(table.admitDue().admitted()).containsExactly(B);
    assertThat(table.order()).containsExactlyInAnyOrder(A, B);
  }

  @Test
  void anEndpointThatAddsAndRemovesItselfWithinTheDebounceIsNeverAdmitted() {
    table.applyDiscovered(ready(A), "slice");
    table.applyDiscovered(ready(A, B), "slice");
    advance(1_000);
    table.applyDiscovered(ready(A), "slice");
    advance(10_000);

    assertThat(table.admitDue().admitted()).isEmpty();
    assertThat(table.order()).containsExactly(A);
  }

  @Test
  void anEmptySetNeverReplacesTheLastGoodOne() {
    table.applyDiscovered(ready(A, B), "slice");

    assertThat(table.applyDiscovered(List.of(), "slice").isEmpty()).isTrue();
    assertThat(
            table
                .applyDiscovered(List.of(new DiscoveredEndpoint(A, false, false, false)), "slice")
                .isEmpty())
        .isTrue();
    assertThat(table.order()).containsExactlyInAnyOrder(A, B);
    assertThat(table.stateOf(A)).contains(EndpointState.UNKNOWN);
  }

  @Test
  void anEndpointThatLeavesTheSliceDrainsAndIsForgottenOnceEmpty() {
    table.applyDiscovered(ready(A, B), "slice");

    EndpointTable.Changes changes = table.applyDiscovered(ready(A), "slice");

    assertThat(changes.transitions())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.endpoint()).isEqualTo(B);
              assertThat(t.to()).isEqualTo(EndpointState.DRAINING);
              assertThat(t.reason()).isEqualTo("left slice");
            });
    assertThat(changes.listed()).containsExactly(A);
    assertThat(table.removeIfUnlisted(B)).isTrue();
    assertThat(table.removeIfUnlisted(A)).isFalse();
    assertThat(table.order()).containsExactly(A);
  }

  @Test
  void aTerminatingEndpointDrainsAndSaysWhy() {
    table.applyDiscovered(ready(A, B), "slice");

    EndpointTable.Changes changes =
        table.applyDiscovered(
            List.of(DiscoveredEndpoint.ready(A), new DiscoveredEndpoint(B, false, true, true)),
            "slice");

    assertThat(changes.transitions())
        .singleElement()
        .satisfies(t -> assertThat(t.reason()).contains("serving=true, terminating=true"));
  }

  @Test
  void aDrainingEndpointListedAgainMustProveItselfAgain() {
    table.applyDiscovered(ready(A, B), "slice");
    table.up(B);
    table.applyDiscovered(ready(A), "slice");

    EndpointTable.Changes changes = table.applyDiscovered(ready(A, B), "slice");

    assertThat(changes.admitted()).containsExactly(B);
    assertThat(table.stateOf(B)).contains(EndpointState.UNKNOWN);
  }

  @Test
  void upEndpointsComeBeforeUnknownThenDrainingThenDown() {
    table.applyDiscovered(ready(A, B, C), "slice");
    Endpoint d = Endpoint.parse("10.0.0.4:6443");
    table.applyDiscovered(ready(A, B, C, d), "slice");
    advance(5_000);
    table.admitDue();
    table.down(A, "no PING ack");
    table.draining(B, "/readyz answered 500");
    table.up(d);

    assertThat(table.order()).containsExactly(d, C, B, A);
    assertThat(table.preferred()).contains(d);
  }

  @Test
  void sameNodeComesFirstAmongHealthyEndpoints() throws Exception {
    EndpointTable local = table(Set.of(InetAddress.getByName("10.0.0.3")));
    local.applyDiscovered(ready(A, B, C), "slice");
    local.up(A);
    local.up(B);
    local.up(C);

    assertThat(local.order().get(0)).isEqualTo(C);
    assertThat(local.snapshot(e -> 0).get(0).sameNode()).isTrue();
  }

  @Test
  void aDownSameNodeEndpointIsPostponedBehindHealthyRemoteOnes() throws Exception {
    EndpointTable local = table(Set.of(InetAddress.getByName("10.0.0.3")));
    local.applyDiscovered(ready(A, B, C), "slice");
    local.down(C, "refused");

    assertThat(local.order()).last().isEqualTo(C);
  }

  @Test
  void nodeAddressesLearntLaterMakeEndpointsSameNode() throws Exception {
    table.applyDiscovered(ready(A, B, C), "slice");
    table.addSameNodeAddresses(List.of(InetAddress.getByName("10.0.0.2")));

    assertThat(table.order().get(0)).isEqualTo(B);
  }

  @Test
  void theLastWorkingEndpointComesFirstAmongEquals() {
    table.applyDiscovered(ready(A, B, C), "slice");
    for (Endpoint e : List.of(A, B, C)) {
      table.up(e);
    }
    Endpoint last = table.order().get(2);

    assertThat(table.connected(last, -1)).isNull();
    assertThat(table.order().get(0)).isEqualTo(last);
    assertThat(table.lastWorking()).isEqualTo(last);
  }

  @Test
  void lowerLatencyWinsOnlyWhenTheDifferenceIsReal() {
    table.applyDiscovered(ready(A, B), "slice");
    table.up(A);
    table.up(B);
    table.probeSucceeded(A, TimeUnit.MICROSECONDS.toNanos(4_000));
    table.probeSucceeded(B, TimeUnit.MICROSECONDS.toNanos(300));
    assertThat(table.order()).containsExactly(B, A);

    EndpointTable other = table(Set.of());
    other.applyDiscovered(ready(A, B), "slice");
    other.probeSucceeded(A, TimeUnit.MICROSECONDS.toNanos(300));
    other.probeSucceeded(B, TimeUnit.MICROSECONDS.toNanos(310));
    List<Endpoint> before = other.order();
    other.probeSucceeded(A, TimeUnit.MICROSECONDS.toNanos(320));
    assertThat(other.order()).isEqualTo(before);
  }

  @Test
  void aFailedConnectPostponesAnEndpointUntilItsNextSuccess() {
    table.applyDiscovered(ready(A, B), "slice");
    table.up(A);
    table.up(B);
    Endpoint first = table.order().get(0);
    Endpoint second = table.order().get(1);

    table.connectFailed(first);
    assertThat(table.order()).containsExactly(second, first);
    assertThat(table.stateOf(first)).contains(EndpointState.UP);

    table.connected(first, -1);
    assertThat(table.order()).containsExactly(first, second);
  }

  @Test
  void downEndpointsAreRetriedOldestFailureFirst() {
    table.applyDiscovered(ready(A, B), "slice");
    table.down(B, "refused");
    advance(10);
    table.down(A, "refused");

    assertThat(table.order()).containsExactly(B, A);
  }

  @Test
  void aDownEndpointNeedsAnExplicitUpToComeBack() {
    table.applyDiscovered(ready(A), "slice");
    table.down(A, "no PING ack");

    table.probeSucceeded(A, 1_000);
    assertThat(table.stateOf(A)).contains(EndpointState.DOWN);
    assertThat(table.up(A).from()).isEqualTo(EndpointState.DOWN);
  }

  @Test
  void anEndpointDrainingBecauseItLeftTheSliceIsNotRevivedByAProbe() {
    table.applyDiscovered(ready(A, B), "slice");
    table.applyDiscovered(ready(A), "slice");

    assertThat(table.up(B)).isNull();
    assertThat(table.stateOf(B)).contains(EndpointState.DRAINING);
  }

  @Test
  void theFileSetIsReplacedByTheFirstDiscoveredSet() {
    table.bootstrap(List.of(A, B), "file");
    assertThat(table.isTrusted()).isFalse();

    EndpointTable.Changes changes = table.applyDiscovered(ready(B, C), "slice");

    assertThat(changes.admitted()).containsExactly(C);
    assertThat(changes.listed()).containsExactlyInAnyOrder(B, C);
    assertThat(table.stateOf(A)).contains(EndpointState.DRAINING);
    assertThat(table.isTrusted()).isTrue();
  }

  @Test
  void clearForgetsEverythingAndTakesTheNextSetAtOnce() {
    table.applyDiscovered(ready(A), "slice");
    table.connected(A, -1);

    assertThat(table.clear()).containsExactly(A);
    assertThat(table.isEmpty()).isTrue();
    assertThat(table.lastWorking()).isNull();
    assertThat(table.applyDiscovered(ready(B), "slice").admitted()).containsExactly(B);
  }

  @Test
  void reachabilityIsTrackedForTheTimeout() {
    table.applyDiscovered(ready(A), "slice");
    long start = table.lastReachableNanos();
    advance(1_000);
    table.probeSucceeded(A, -1);

    assertThat(table.lastReachableNanos() - start).isEqualTo(TimeUnit.MILLISECONDS.toNanos(1_000));
  }

  @Test
  void processesSpreadOverEqualEndpoints() {
    int firstIsA = 0;
    for (int process = 0; process < 200; process++) {
      EndpointTable t = new EndpointTable(now::get, Duration.ZERO, new Random(), Set.of());
      t.applyDiscovered(ready(A, B), "slice");
      if (t.order().get(0).equals(A)) {
        firstIsA++;
      }
    }
    assertThat(firstIsA).isBetween(60, 140);
  }
}
