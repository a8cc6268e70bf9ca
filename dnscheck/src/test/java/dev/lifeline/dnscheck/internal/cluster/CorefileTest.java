package dev.lifeline.dnscheck.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CorefileTest {
  @Test
  void theClusterDomainIsTheKubernetesPluginsFirstForwardZone() {
    String corefile =
        """
        .:53 {
            errors
            health {
               lameduck 5s
            }
            # kubernetes old.local in-addr.arpa  (a comment, not a directive)
            kubernetes in-addr.arpa ip6.arpa cluster.example. {
               pods insecure
               fallthrough in-addr.arpa ip6.arpa
            }
            forward . /etc/resolv.conf
        }
        """;

    assertThat(Corefile.clusterDomain(corefile)).hasValue("cluster.example");
  }

  @Test
  void aCorefileWithoutTheKubernetesPluginHasNoDomain() {
    assertThat(Corefile.clusterDomain(".:53 {\n forward . 8.8.8.8\n}\n")).isEmpty();
  }

  @Test
  void bindAddressesAreCollectedFromEveryServerBlock() {
    String nodeLocal =
        """
        cluster.local:53 {
            bind 169.254.20.10 10.96.0.10
            forward . __PILLAR__CLUSTER__DNS__
        }
        .:53 {
            bind 169.254.20.10 10.96.0.10
        }
        """;

    assertThat(Corefile.bindAddresses(nodeLocal)).containsExactly("169.254.20.10", "10.96.0.10");
  }
}
