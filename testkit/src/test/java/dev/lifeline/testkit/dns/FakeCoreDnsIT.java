package dev.lifeline.testkit.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.testkit.RootRequirement;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class FakeCoreDnsIT {
  private static final String K8S = "kubernetes.default.svc.cluster.local";
  private static final Duration T = Duration.ofMillis(500);
  private static final DnsRecords RECORDS =
      DnsRecords.forDomain("cluster.local").withService("default", "kubernetes", "10.96.0.1");

  @Test
  void aDnsmasqPodAnswersItsRecordsAndNxdomainOverUdpAndTcp() throws IOException {
    try (FakeCoreDns dns = FakeCoreDns.builder().records(RECORDS).build()) {
      FakeDnsPod a = dns.addPod("coredns-a");

      assertThat(MiniDnsClient.queryUdp(a.address(), K8S, T))
          .isEqualTo(new MiniDnsClient.Reply(0, List.of("10.96.0.1")));
      assertThat(MiniDnsClient.queryTcp(a.address(), K8S, T))
          .isEqualTo(new MiniDnsClient.Reply(0, List.of("10.96.0.1")));
      assertThat(MiniDnsClient.queryUdp(a.address(), "nope.default.svc.cluster.local", T).rcode())
          .isEqualTo(3);
      assertThat(a.ip().getHostAddress()).startsWith("127.").endsWith(".1.1");
    }
  }

  @Test
  void theServiceIpSpreadsQueriesOverThePods() throws IOException {
    try (FakeCoreDns dns = FakeCoreDns.builder().records(RECORDS).build()) {
      dns.addPod("coredns-a");
      FakeDnsPod b = dns.addPod("coredns-b");
      b.serve(
          DnsRecords.forDomain("cluster.local").withService("default", "kubernetes", "10.96.0.2"));

      Set<String> seen = new HashSet<>();
      for (int i = 0; i < 6; i++) {
        seen.addAll(MiniDnsClient.queryUdp(dns.serviceAddress(), K8S, T).addresses());
      }
      assertThat(seen).containsExactlyInAnyOrder("10.96.0.1", "10.96.0.2");
      assertThat(MiniDnsClient.queryTcp(dns.serviceAddress(), K8S, T).rcode()).isZero();

      dns.removePod("coredns-b");
      for (int i = 0; i < 4; i++) {
        assertThat(MiniDnsClient.queryUdp(dns.serviceAddress(), K8S, T).addresses())
            .containsExactly("10.96.0.1");
      }
    }
  }

  @Test
  void aPodCanAnswerWronglyFailAndHeal() throws IOException {
    for (DnsServerKind kind : DnsServerKind.values()) {
      try (FakeCoreDns dns = FakeCoreDns.builder().kind(kind).records(RECORDS).build()) {
        FakeDnsPod a = dns.addPod("coredns-a");

        a.serve(
            DnsRecords.forDomain("cluster.local")
                .withService("default", "kubernetes", "10.96.0.99"));
        assertThat(MiniDnsClient.queryUdp(a.address(), K8S, T).addresses())
            .as(kind + " wrong answer")
            .containsExactly("10.96.0.99");

        a.serveFailure();
        assertThat(MiniDnsClient.queryUdp(a.address(), K8S, T).rcode())
            .as(kind + " SERVFAIL")
            .isEqualTo(2);
        assertThat(MiniDnsClient.queryTcp(a.address(), K8S, T).rcode()).isEqualTo(2);

        a.heal();
        assertThat(MiniDnsClient.queryUdp(a.address(), K8S, T).addresses())
            .containsExactly("10.96.0.1");
      }
    }
  }

  @Test
  void aSlowPodAnswersLateAndCanBeMadeFastAgain() throws IOException {
    try (FakeCoreDns dns = FakeCoreDns.builder().records(RECORDS).build()) {
      FakeDnsPod a = dns.addPod("coredns-a");

      a.slow(Duration.ofMillis(300));
      long start = System.nanoTime();
      assertThat(MiniDnsClient.queryUdp(a.address(), K8S, Duration.ofSeconds(2)).rcode()).isZero();
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(300));
      assertThat(MiniDnsClient.queryUdp(a.address(), K8S, Duration.ofMillis(150))).isNull();
      assertThat(MiniDnsClient.queryTcp(a.address(), K8S, Duration.ofSeconds(2)).rcode()).isZero();

      a.slow(Duration.ZERO);
      assertThat(MiniDnsClient.queryUdp(a.address(), K8S, Duration.ofMillis(150)).rcode()).isZero();
    }
  }

  @Test
  void aFrozenPodIsSilentUntilThawed() throws IOException {
    try (FakeCoreDns dns = FakeCoreDns.builder().records(RECORDS).build()) {
      FakeDnsPod a = dns.addPod("coredns-a");
      a.freeze();
      assertThat(MiniDnsClient.queryUdp(a.address(), K8S, Duration.ofMillis(200))).isNull();
      a.thaw();
      assertThat(MiniDnsClient.queryUdp(a.address(), K8S, T).rcode()).isZero();
    }
  }

  @Test
  void closingStopsEveryProcess() {
    FakeCoreDns dns = FakeCoreDns.builder().records(RECORDS).build();
    FakeDnsPod a = dns.addPod("coredns-a");
    a.serveFailure(); // starts the broken upstream too
    long pid = a.server().pid();

    dns.close();

    assertThat(ProcessHandle.of(pid)).isEmpty();
    assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)).isEmpty();
  }

  @Test
  void droppedUdpLeavesTcpAnswering() throws IOException {
    requireRoot();
    try (FakeCoreDns dns = FakeCoreDns.builder().records(RECORDS).build()) {
      FakeDnsPod a = dns.addPod("coredns-a");
      FakeDnsPod b = dns.addPod("coredns-b");

      dns.faults().dropUdp(a.ip(), dns.port());

      assertThat(MiniDnsClient.queryUdp(a.address(), K8S, Duration.ofMillis(200))).isNull();
      assertThat(MiniDnsClient.queryTcp(a.address(), K8S, T).rcode()).isZero();
      assertThat(MiniDnsClient.queryUdp(b.address(), K8S, T).rcode()).isZero();

      dns.faults().clear();
      assertThat(MiniDnsClient.queryUdp(a.address(), K8S, T).rcode()).isZero();
    }
  }

  @Test
  void randomLossDropsAboutThatShareAndClosingRemovesTheRules() throws IOException {
    requireRoot();
    String chain;
    try (FakeCoreDns dns = FakeCoreDns.builder().records(RECORDS).build()) {
      FakeDnsPod a = dns.addPod("coredns-a");
      dns.faults().dropRandomly(0.3, dns.port());
      chain = dns.faults().rules().lines().findFirst().orElseThrow();

      int lost = 0;
      for (int i = 0; i < 100; i++) {
        if (MiniDnsClient.queryUdp(a.address(), K8S, Duration.ofMillis(40)) == null) {
          lost++;
        }
      }
      // Each direction drops 30 %: about 51 % of exchanges are lost (4 standard deviations).
      assertThat(lost).isBetween(30, 72);
    }
    assertThat(ManagedProcess.run(List.of("iptables", "-w", "-S")))
        .doesNotContain(chain.substring(3));
  }

  @Test
  void packetFaultsRefuseToRunWithoutRoot() {
    Assumptions.assumeFalse(Executables.isRoot(), "running as root");
    try (FakeCoreDns dns = FakeCoreDns.builder().records(RECORDS).build()) {
      assertThatThrownBy(dns::faults).hasMessageContaining("need root");
    }
  }

  @Test
  void addressesAreNeverReused() {
    try (FakeCoreDns dns = FakeCoreDns.builder().records(RECORDS).build()) {
      InetSocketAddress first = dns.addPod("coredns-a").address();
      dns.removePod("coredns-a");
      assertThat(dns.addPod("coredns-a").address()).isNotEqualTo(first);
    }
  }

  private static void requireRoot() {
    RootRequirement.require("iptables to drop packets", "iptables");
  }
}
