package dev.lifeline.dnscheck.internal.engine;

import dev.lifeline.dnscheck.internal.PodRef;
import dev.lifeline.dnscheck.internal.cluster.DnsTopology;
import dev.lifeline.testkit.dns.FakeCoreDns;
import dev.lifeline.testkit.dns.FakeDnsPod;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The topology the API would report for a fake CoreDNS, for tests without a control plane. */
final class HarnessTopology {
  private HarnessTopology() {}

  static DnsTopology of(FakeCoreDns dns) {
    List<DnsTopology.DnsPod> pods = new ArrayList<>();
    for (FakeDnsPod p : dns.pods()) {
      pods.add(
          new DnsTopology.DnsPod(
              new PodRef("kube-system", p.name(), "uid-" + p.name(), "node-1"),
              p.ip(),
              dns.port(),
              true,
              false,
              "Running"));
    }
    try {
      return new DnsTopology(
          new DnsTopology.DnsService(
              "kube-system",
              "kube-dns",
              "uid-kube-dns",
              List.of(dns.serviceAddress().getAddress()),
              dns.port(),
              dns.port(),
              "",
              "ClusterIP",
              Map.of("k8s-app", "kube-dns")),
          pods,
          List.of(InetAddress.getByName("10.96.0.1")),
          "cluster.local",
          "test",
          Optional.empty());
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
