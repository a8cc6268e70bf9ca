package dev.lifeline.testkit.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClusterIpAllocatorTest {
  @Test
  void handsOutDistinctAddressesInsideTheRangeNeverNetworkOrBroadcast() {
    ClusterIpAllocator a = new ClusterIpAllocator("10.96.0.0/29", new Random(3));
    Set<String> ips = new HashSet<>();
    for (int i = 0; i < 6; i++) {
      ips.add(a.allocateNext());
    }
    assertThat(ips)
        .containsExactlyInAnyOrder(
            "10.96.0.1", "10.96.0.2", "10.96.0.3", "10.96.0.4", "10.96.0.5", "10.96.0.6");
  }

  @Test
  void aSpecificAddressCanBeTakenOnceAndReleased() {
    ClusterIpAllocator a = new ClusterIpAllocator("10.96.0.0/12", new Random(3));
    assertThat(a.allocate("10.96.0.1")).isTrue();
    assertThat(a.allocate("10.96.0.1")).isFalse();
    a.release("10.96.0.1");
    assertThat(a.allocate("10.96.0.1")).isTrue();
    assertThat(a.contains("10.111.255.254")).isTrue();
    assertThat(a.contains("10.112.0.1")).isFalse();
    assertThat(a.contains("10.96.0.0")).isFalse();
  }
}
