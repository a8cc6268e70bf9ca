package dev.lifeline.dnscheck.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.client.model.GenericObject;
import dev.lifeline.client.model.ObjectMeta;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeLocalDaemonSetTest {
  private static GenericObject daemonSet(Map<String, Object> container) {
    return new GenericObject(
        "apps/v1",
        "DaemonSet",
        ObjectMeta.of("kube-system", "node-local-dns"),
        Map.of(
            "spec", Map.of("template", Map.of("spec", Map.of("containers", List.of(container))))));
  }

  @Test
  void theLocalIpsOfNodeCacheAreItsBindAddresses() {
    assertThat(
            ClusterDiscovery.localIps(
                daemonSet(
                    Map.of(
                        "name",
                        "node-cache",
                        "args",
                        List.of(
                            "-localip", "169.254.20.10,10.96.0.10", "-conf", "/etc/Corefile")))))
        .containsExactly("169.254.20.10", "10.96.0.10");
  }

  @Test
  void theFlagMayBeJoinedToItsValueOrBeInTheCommand() {
    assertThat(
            ClusterDiscovery.localIps(
                daemonSet(
                    Map.of(
                        "command",
                        List.of("/node-cache", "-localip=169.254.20.10"),
                        "args",
                        List.of("-health-port", "8080")))))
        .containsExactly("169.254.20.10");
  }

  @Test
  void placeholdersAndMissingFlagsGiveNoAddress() {
    assertThat(
            ClusterDiscovery.localIps(
                daemonSet(Map.of("args", List.of("-localip", "__PILLAR__LOCAL__DNS__")))))
        .isEmpty();
    assertThat(ClusterDiscovery.localIps(daemonSet(Map.of("args", List.of("-localip"))))).isEmpty();
    assertThat(ClusterDiscovery.localIps(daemonSet(Map.of("name", "x")))).isEmpty();
  }
}
