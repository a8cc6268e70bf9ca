package dev.lifeline.dnscheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeline.client.KubeClient;
import dev.lifeline.dnscheck.DnsCheckListener.RemediationEvent;
import dev.lifeline.testkit.RootRequirement;
import dev.lifeline.testkit.dns.DnsRecords;
import dev.lifeline.testkit.dns.FakeClusterDns;
import dev.lifeline.testkit.dns.FakeDnsPod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The checker end to end: the fake control plane for the API, a real dnsmasq per DNS pod, real
 * faults, real evictions (the test plays the ReplicaSet).
 */
class DnsCheckIT {
  private static FakeCluster fake;
  private static KubeClient client;

  private final List<DnsCheck> checks = new ArrayList<>();
  private final Recorder recorder = new Recorder();

  @BeforeAll
  static void start() {
    fake = new FakeCluster(3);
    client = fake.client();
  }

  @AfterAll
  static void stop() {
    client.close();
    fake.close();
  }

  private int deletedBefore;

  @BeforeEach
  void settle() {
    fake.cluster.replacing(true);
    deletedBefore = deleted().size();
  }

  /** DNS pods deleted (evicted) during this test. */
  private List<String> deleted() {
    List<String> all = fake.cluster.deletedPods();
    return all.subList(deletedBefore, all.size());
  }

  @AfterEach
  void cleanUp() {
    for (DnsCheck c : checks) {
      c.close();
    }
    // Closing stops every thread the checker started.
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(Thread.getAllStackTraces().keySet())
                    .filteredOn(Thread::isAlive)
                    .extracting(Thread::getName)
                    .noneMatch(n -> n.startsWith("lifeline-dnscheck-")));
    fake.heal();
    for (ObjectNode pdb : fake.cp.store().list("policy/v1", "PodDisruptionBudget", null)) {
      fake.cp
          .store()
          .delete(
              "policy/v1",
              "PodDisruptionBudget",
              "kube-system",
              pdb.path("metadata").path("name").asText());
    }
    fake.cp.store().delete("v1", "ConfigMap", "kube-system", "node-local-dns");
    fake.cp.store().delete("apps/v1", "DaemonSet", "kube-system", "node-local-dns");
    fake.cp.store().delete("v1", "Service", "kube-system", "kube-dns-lb");
    fake.cp.store().delete("coordination.k8s.io/v1", "Lease", "kube-system", "lifeline-dnscheck");
  }

  /** Quick settings for tests: a probe every 200 ms, failing at 3 in a row, restart after 1 s. */
  private static DnsCheckConfig.Builder fast() {
    return DnsCheckConfig.builder(Map.of())
        .interval(Duration.ofMillis(200))
        .timeout(Duration.ofMillis(150))
        .windowSize(10)
        .minSamples(5)
        .consecutiveFailures(3)
        .restartDelay(Duration.ofSeconds(1))
        .backoffInitial(Duration.ofSeconds(1))
        .podCooldown(Duration.ofSeconds(30))
        .evictionRetry(Duration.ofSeconds(2))
        .metricsAddress(null)
        .leaderElect(false)
        .identity("it-checker");
  }

  private DnsCheck start(DnsCheckConfig config) {
    DnsCheck c = DnsCheck.start(config, client, recorder);
    checks.add(c);
    return c;
  }

  private static void awaitHealthy(DnsCheck c, int targets) {
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> {
              DnsCheckReport r = c.report();
              assertThat(r.targets()).hasSize(targets);
              assertThat(r.targets())
                  .allSatisfy(t -> assertThat(t.verdict()).isEqualTo(Verdict.HEALTHY));
            });
  }

  private static String firstPod() {
    return fake.cluster.podNames().get(0);
  }

  private static DnsRecords wrongRecords() {
    return DnsRecords.forDomain("cluster.local")
        .withService("default", "kubernetes", "10.96.0.99")
        .withService(
            "kube-system", "kube-dns", fake.dns.serviceAddress().getAddress().getHostAddress());
  }

  @Test
  void aPodThatAnswersWronglyIsEvictedWithItsEvidenceAndReplaced() {
    DnsCheck c = start(fast().build());
    awaitHealthy(c, 4);
    assertThat(c.mode()).isEqualTo(DeploymentMode.IN_CLUSTER);
    String victim = firstPod();

    fake.cluster.pod(victim).serve(wrongRecords());

    await().atMost(Duration.ofSeconds(10)).until(() -> deleted().contains(victim));
    assertThat(deleted()).containsExactly(victim);
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(fake.events(victim))
                    .anySatisfy(
                        e -> {
                          assertThat(e.path("reason").asText()).isEqualTo("DNSCheckRestarted");
                          assertThat(e.path("type").asText()).isEqualTo("Warning");
                          assertThat(e.path("message").asText())
                              .startsWith("Evicted by lifeline-dnscheck")
                              .contains("answered 10.96.0.99, expected " + fake.cp.clusterIp());
                          assertThat(e.path("reportingInstance").asText()).isEqualTo("it-checker");
                        }));
    // The replacement is followed and judged healthy; nothing else was restarted.
    awaitHealthy(c, 4);
    assertThat(c.report().targets()).noneMatch(t -> t.name().equals(victim));
    assertThat(deleted()).containsExactly(victim);
  }

  @Test
  void aPodThatAnswersServfailIsEvicted() {
    DnsCheck c = start(fast().build());
    awaitHealthy(c, 4);
    String victim = firstPod();

    fake.cluster.pod(victim).serveFailure();

    await().atMost(Duration.ofSeconds(10)).until(() -> deleted().contains(victim));
    assertThat(recorder.remediations)
        .filteredOn(r -> r.action() == RemediationEvent.Action.RESTARTED)
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.evidence())
                    .anySatisfy(e -> assertThat(e).contains("answered SERVFAIL")));
    awaitHealthy(c, 4);
  }

  @Test
  void aSlowPodIsEvicted() {
    DnsCheck c = start(fast().build());
    awaitHealthy(c, 4);
    String victim = firstPod();

    fake.cluster.pod(victim).slow(Duration.ofMillis(400));

    await().atMost(Duration.ofSeconds(10)).until(() -> deleted().contains(victim));
    assertThat(fake.events(victim))
        .anySatisfy(e -> assertThat(e.path("message").asText()).contains("no reply within 150 ms"));
  }

  @Test
  void aPodThatStopsAnsweringUdpButStillAnswersTcpIsEvicted() {
    RootRequirement.require("iptables to drop a pod's UDP packets", "iptables");
    DnsCheck c = start(fast().build());
    awaitHealthy(c, 4);
    String victim = firstPod();
    FakeDnsPod pod = fake.cluster.pod(victim);

    fake.dns.faults().dropUdp(pod.ip(), fake.dns.port());

    await().atMost(Duration.ofSeconds(10)).until(() -> deleted().contains(victim));
    RemediationEvent restart =
        recorder.remediations.stream()
            .filter(r -> r.action() == RemediationEvent.Action.RESTARTED)
            .findFirst()
            .orElseThrow();
    assertThat(restart.evidence()).allSatisfy(e -> assertThat(e).contains("over udp"));
  }

  @Test
  void fivePercentPacketLossRestartsNothing() {
    RootRequirement.require("iptables to drop packets at random", "iptables");
    DnsCheck c =
        start(
            DnsCheckConfig.builder(Map.of())
                .metricsAddress(null)
                .leaderElect(false)
                .identity("it-checker")
                .build());
    awaitHealthy(c, 4);
    fake.dns.faults().dropRandomly(0.05, fake.dns.port());

    // 15 s at the default settings: 30 probes of each of the 16 streams.
    new CompletableFuture<Void>().completeOnTimeout(null, 15, TimeUnit.SECONDS).join();

    assertThat(recorder.verdicts).noneMatch(v -> v.current() == Verdict.FAILING);
    assertThat(deleted()).isEmpty();
    assertThat(recorder.probes.stream().filter(p -> p.attempts() > 1)).isNotEmpty();
  }

  @Test
  void everyPodFailingAtOnceRaisesAnAlertOnTheServiceAndRestartsNothing() {
    DnsCheck c = start(fast().build());
    awaitHealthy(c, 4);

    for (String p : fake.cluster.podNames()) {
      fake.cluster.pod(p).serveFailure();
    }

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                recorder.alerts.stream()
                    .anyMatch(a -> a.reason().equals("majority_failing") && a.active()));
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(fake.events(FakeClusterDns.SERVICE))
                    .anySatisfy(
                        e ->
                            assertThat(e.path("message").asText())
                                .startsWith("majority_failing: ")
                                .contains("DNS pods fail at once")));
    // Past the restart delay, still nothing restarted.
    new CompletableFuture<Void>().completeOnTimeout(null, 2, TimeUnit.SECONDS).join();
    assertThat(deleted()).isEmpty();
    assertThat(c.report().alerts()).anySatisfy(a -> assertThat(a).startsWith("majority_failing"));
    assertThat(c.report().healthy()).isFalse();
  }

  @Test
  void aPodDisruptionBudgetThatForbidsTheEvictionIsHonoured() {
    fake.cp
        .store()
        .create(
            """
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: coredns, namespace: kube-system}
            spec:
              minAvailable: 3
              selector: {matchLabels: {k8s-app: kube-dns}}
            """);
    DnsCheck c = start(fast().build());
    awaitHealthy(c, 4);
    String victim = firstPod();

    fake.cluster.pod(victim).serve(wrongRecords());

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                recorder.remediations.stream()
                    .anyMatch(r -> r.action() == RemediationEvent.Action.REFUSED));
    assertThat(deleted()).isEmpty();
    assertThat(fake.events(victim))
        .anySatisfy(
            e -> {
              assertThat(e.path("reason").asText()).isEqualTo("DNSCheckRestartRefused");
              assertThat(e.path("message").asText()).contains("429");
            });
    // Retried after the eviction-retry interval, refused again; never deleted.
    await()
        .atMost(Duration.ofSeconds(8))
        .until(
            () ->
                recorder.remediations.stream()
                        .filter(r -> r.action() == RemediationEvent.Action.REFUSED)
                        .count()
                    >= 2);
    assertThat(deleted()).isEmpty();
  }

  @Test
  void ofTwoReplicasOnlyTheLeaderActs() {
    Recorder other = new Recorder();
    DnsCheckConfig.Builder replica =
        fast()
            .leaderElect(true)
            .leaseNamespace("kube-system")
            .leaseDuration(Duration.ofSeconds(3))
            .renewDeadline(Duration.ofSeconds(2))
            .retryPeriod(Duration.ofMillis(500));
    DnsCheck a = start(replica.identity("replica-a").build());
    DnsCheck b = DnsCheck.start(replica.identity("replica-b").build(), client, other);
    checks.add(b);
    awaitHealthy(a, 4);
    awaitHealthy(b, 4);
    await().atMost(Duration.ofSeconds(5)).until(() -> a.isLeader() || b.isLeader());
    assertThat(a.isLeader() && b.isLeader()).isFalse();
    String leader = a.isLeader() ? "replica-a" : "replica-b";
    String victim = firstPod();

    fake.cluster.pod(victim).serve(wrongRecords());

    await().atMost(Duration.ofSeconds(10)).until(() -> deleted().contains(victim));
    awaitHealthy(a, 4);
    awaitHealthy(b, 4);
    assertThat(deleted()).containsExactly(victim);
    assertThat(fake.eventsWithReason("DNSCheckRestarted"))
        .singleElement()
        .satisfies(e -> assertThat(e.path("reportingInstance").asText()).isEqualTo(leader));
    ObjectNode lease =
        fake.cp
            .store()
            .get("coordination.k8s.io/v1", "Lease", "kube-system", "lifeline-dnscheck")
            .orElseThrow();
    assertThat(lease.path("spec").path("holderIdentity").asText()).isEqualTo(leader);
    List<RemediationEvent> followerSaw =
        (leader.equals("replica-a") ? other : recorder).remediations;
    assertThat(followerSaw).noneMatch(r -> r.action() == RemediationEvent.Action.RESTARTED);
  }

  @Test
  void aDryRunDecidesButActsOnNothingAndWritesNothing() {
    int eventsBefore = fake.cp.store().list("v1", "Event", null).size();
    DnsCheck c = start(fast().dryRun(true).leaderElect(true).build());
    awaitHealthy(c, 4);
    String victim = firstPod();

    fake.cluster.pod(victim).serve(wrongRecords());

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> recorder.remediations.stream().anyMatch(r -> r.reason().equals("dry_run")));
    assertThat(recorder.remediations)
        .filteredOn(r -> r.reason().equals("dry_run"))
        .first()
        .satisfies(r -> assertThat(r.pod()).isEqualTo("kube-system/" + victim));
    assertThat(deleted()).isEmpty();
    assertThat(fake.cp.store().list("v1", "Event", null)).hasSize(eventsBefore);
    assertThat(
            fake.cp
                .store()
                .get("coordination.k8s.io/v1", "Lease", "kube-system", "lifeline-dnscheck"))
        .isEmpty();
  }

  @Test
  void podsThatComeAndGoAreFollowed() {
    DnsCheck c = start(fast().build());
    awaitHealthy(c, 4);

    String added = fake.cluster.addPod();
    awaitHealthy(c, 5);
    assertThat(c.report().targets()).anySatisfy(t -> assertThat(t.name()).isEqualTo(added));

    fake.cluster.replacing(false);
    fake.cp.store().delete("v1", "Pod", "kube-system", added);
    awaitHealthy(c, 4);
    assertThat(c.report().targets()).noneMatch(t -> t.name().equals(added));
  }

  @Test
  void aOneShotRunReportsWithoutActing() {
    DnsCheckReport healthy = DnsCheck.once(fast().onceRounds(5).build(), client, recorder);
    assertThat(healthy.healthy()).isTrue();
    assertThat(healthy.mode()).isEqualTo(DeploymentMode.IN_CLUSTER);
    assertThat(healthy.clusterDomainSource())
        .isEqualTo("Corefile in ConfigMap kube-system/coredns");
    assertThat(healthy.checks())
        .anySatisfy(
            ch ->
                assertThat(ch)
                    .startsWith(
                        "kubernetes: kubernetes.default.svc.cluster.local. A = "
                            + fake.cp.clusterIp()));
    assertThat(healthy.toJson()).contains("\"status\" : \"healthy\"");

    String victim = firstPod();
    fake.cluster.pod(victim).serve(wrongRecords());
    DnsCheckReport sick = DnsCheck.once(fast().onceRounds(5).build(), client, recorder);

    assertThat(sick.healthy()).isFalse();
    assertThat(sick.targets())
        .filteredOn(t -> t.name().equals(victim))
        .singleElement()
        .satisfies(t -> assertThat(t.verdict()).isEqualTo(Verdict.FAILING));
    assertThat(sick.toTable())
        // The Service IP may fail too: a third of its queries reach the wrong pod.
        .startsWith("cluster DNS: UNHEALTHY (")
        .contains(victim, "FAILING");
    assertThat(deleted()).isEmpty();
  }

  @Test
  void nodeLocalDnsCacheOnTheServiceIpIsReported() {
    String serviceIp = fake.dns.serviceAddress().getAddress().getHostAddress();
    fake.cp
        .store()
        .create(
            """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: node-local-dns, namespace: kube-system}
            data:
              Corefile: |
                cluster.local:53 {
                    errors
                    cache 30
                    bind 169.254.20.10 %s
                    forward . __PILLAR__CLUSTER__DNS__ { force_tcp }
                }
            """
                .formatted(serviceIp));

    DnsCheckReport r = DnsCheck.once(fast().onceRounds(5).build(), client, recorder);

    assertThat(r.notes())
        .anySatisfy(n -> assertThat(n).contains("NodeLocal DNSCache runs", "169.254.20.10"));
    assertThat(r.targets())
        .filteredOn(t -> t.kind().equals("service"))
        .singleElement()
        .satisfies(t -> assertThat(t.note()).contains("answers on this IP on every node"));
  }

  @Test
  void nodeLocalDnsCacheIsFoundFromItsDaemonSetWhoseLocalIpsFillTheCorefilesPlaceholders() {
    String serviceIp = fake.dns.serviceAddress().getAddress().getHostAddress();
    fake.cp
        .store()
        .create(
            """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: node-local-dns, namespace: kube-system, labels: {k8s-app: node-local-dns}}
            spec:
              selector: {matchLabels: {k8s-app: node-local-dns}}
              template:
                metadata: {labels: {k8s-app: node-local-dns}}
                spec:
                  hostNetwork: true
                  containers:
                  - name: node-cache
                    image: registry.k8s.io/dns/k8s-dns-node-cache:1.23.1
                    args: [-localip, "169.254.20.10,%s", -conf, /etc/Corefile, -upstreamsvc, kube-dns-upstream]
            """
                .formatted(serviceIp));
    fake.cp
        .store()
        .create(
            """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: node-local-dns, namespace: kube-system}
            data:
              Corefile: |
                cluster.local:53 {
                    errors
                    cache 30
                    bind __PILLAR__LOCAL__DNS__ __PILLAR__DNS__SERVER__
                    forward . __PILLAR__CLUSTER__DNS__ { force_tcp }
                }
            """);

    DnsCheckReport r = DnsCheck.once(fast().onceRounds(3).build(), client, recorder);

    assertThat(r.notes())
        .anySatisfy(
            n ->
                assertThat(n)
                    .contains(
                        "NodeLocal DNSCache runs (DaemonSet kube-system/node-local-dns and"
                            + " ConfigMap kube-system/node-local-dns, binds 169.254.20.10, "
                            + serviceIp
                            + ")"));
    assertThat(r.targets())
        .filteredOn(t -> t.kind().equals("service"))
        .singleElement()
        .satisfies(t -> assertThat(t.note()).contains("answers on this IP on every node"));
  }

  @Test
  void theExposedPortModeProbesALoadBalancersIngress() {
    java.net.InetSocketAddress lb = fake.dns.exposeLoadBalancer();
    fake.cp
        .store()
        .create(
            """
            apiVersion: v1
            kind: Service
            metadata: {name: kube-dns-lb, namespace: kube-system}
            spec:
              type: LoadBalancer
              selector: {k8s-app: kube-dns}
              ports:
              - {name: dns, protocol: UDP, port: %d, targetPort: dns, nodePort: 31053}
              - {name: dns-tcp, protocol: TCP, port: %d, targetPort: dns-tcp, nodePort: 31054}
            """
                .formatted(lb.getPort(), lb.getPort()));
    fake.cp.setLoadBalancerIngress("kube-system", "kube-dns-lb", lb.getAddress().getHostAddress());

    DnsCheckReport r =
        DnsCheck.once(
            fast().onceRounds(5).mode(DeploymentMode.EXPOSED_PORT).build(), client, recorder);

    assertThat(r.mode()).isEqualTo(DeploymentMode.EXPOSED_PORT);
    assertThat(r.modeReason())
        .isEqualTo(
            "configured with --mode: LoadBalancer Service kube-system/kube-dns-lb (ingress "
                + lb.getAddress().getHostAddress()
                + ")");
    assertThat(r.targets())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.endpoint())
                  .isEqualTo(lb.getAddress().getHostAddress() + ":" + lb.getPort());
              assertThat(t.verdict()).isEqualTo(Verdict.HEALTHY);
              assertThat(t.streams())
                  .extracting(DnsCheckReport.StreamReport::transport)
                  .contains(Transport.UDP, Transport.TCP);
            });
    assertThat(deleted()).isEmpty();
  }

  @Test
  void aNamedTargetPortResolvesToEachPodsDeclaredContainerPort() {
    ObjectNode service =
        fake.cp.store().get("v1", "Service", "kube-system", FakeClusterDns.SERVICE).orElseThrow();
    ObjectNode named = service.deepCopy();
    ((ObjectNode) named.at("/spec/ports/0")).put("targetPort", "dns");
    ((ObjectNode) named.at("/spec/ports/1")).put("targetPort", "dns-tcp");
    named.withObjectProperty("metadata").remove("resourceVersion");
    fake.cp.store().update(named);
    String noPort = "coredns-without-ports";
    try {
      fake.cp
          .store()
          .create(
              """
              apiVersion: v1
              kind: Pod
              metadata: {name: %s, namespace: kube-system, labels: {k8s-app: kube-dns}}
              spec:
                nodeName: node-1
                containers: [{name: coredns, image: registry.k8s.io/coredns/coredns:v1.11.3}]
              status:
                phase: Running
                podIP: 127.0.0.9
                conditions: [{type: Ready, status: "True"}]
              """
                  .formatted(noPort));

      DnsCheckReport r = DnsCheck.once(fast().onceRounds(5).build(), client, recorder);

      assertThat(r.targets())
          .filteredOn(t -> t.kind().equals("pod"))
          .hasSize(3)
          .allSatisfy(
              t -> {
                assertThat(t.endpoint()).endsWith(":" + fake.dns.port());
                assertThat(t.verdict()).isEqualTo(Verdict.HEALTHY);
              });
      assertThat(r.notes())
          .contains(
              "pod kube-system/"
                  + noPort
                  + " declares no container port named 'dns': it is no endpoint of the Service,"
                  + " not probed");
    } finally {
      fake.cp.store().delete("v1", "Pod", "kube-system", noPort);
      ObjectNode back = service.deepCopy();
      back.withObjectProperty("metadata").remove("resourceVersion");
      fake.cp.store().update(back);
    }
  }

  @Test
  void theExposedPortModeProbesTheNodePortsAndRestartsNothing() {
    int udpPort = 30053;
    int tcpPort = 30054;
    fake.dns.exposeNodePort(udpPort);
    fake.dns.exposeNodePort(tcpPort);
    String nodeIp = fake.dns.nodeIp().getHostAddress();
    fake.cp
        .store()
        .create(
            """
            apiVersion: v1
            kind: Node
            metadata: {name: node-1}
            status:
              addresses:
              - {type: InternalIP, address: %s}
              - {type: Hostname, address: node-1}
            """
                .formatted(nodeIp));
    fake.cp
        .store()
        .create(
            """
            apiVersion: v1
            kind: Service
            metadata: {name: kube-dns-external, namespace: kube-system}
            spec:
              type: NodePort
              selector: {k8s-app: kube-dns}
              ports:
              - {name: dns, protocol: UDP, port: 53, targetPort: 53, nodePort: %d}
              - {name: dns-tcp, protocol: TCP, port: 53, targetPort: 53, nodePort: %d}
            """
                .formatted(udpPort, tcpPort));

    DnsCheckReport r =
        DnsCheck.once(
            fast().onceRounds(5).mode(DeploymentMode.EXPOSED_PORT).build(), client, recorder);

    assertThat(r.mode()).isEqualTo(DeploymentMode.EXPOSED_PORT);
    assertThat(r.modeReason()).contains("NodePort Service kube-system/kube-dns-external");
    assertThat(r.targets())
        .extracting(DnsCheckReport.TargetReport::endpoint)
        .containsExactly(nodeIp + ":" + udpPort, nodeIp + ":" + tcpPort);
    assertThat(r.targets()).allSatisfy(t -> assertThat(t.verdict()).isEqualTo(Verdict.HEALTHY));
    assertThat(r.targets().get(0).streams())
        .allSatisfy(s -> assertThat(s.transport()).isEqualTo(Transport.UDP));
    assertThat(r.targets().get(1).streams())
        .allSatisfy(s -> assertThat(s.transport()).isEqualTo(Transport.TCP));
    assertThat(r.toTable()).contains("cannot see: individual pods");
  }

  @Test
  void deletingInsteadOfEvictingIsOnlyDoneWhenConfiguredAndIgnoresTheBudget() {
    fake.cp
        .store()
        .create(
            """
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: coredns, namespace: kube-system}
            spec:
              minAvailable: 3
              selector: {matchLabels: {k8s-app: kube-dns}}
            """);
    DnsCheck c = start(fast().restartMethod(RestartMethod.DELETE).build());
    awaitHealthy(c, 4);
    String victim = firstPod();

    fake.cluster.pod(victim).serve(wrongRecords());

    await().atMost(Duration.ofSeconds(10)).until(() -> deleted().contains(victim));
    assertThat(recorder.remediations)
        .filteredOn(r -> r.action() == RemediationEvent.Action.RESTARTED)
        .singleElement()
        .satisfies(r -> assertThat(r.reason()).isEqualTo("delete"));
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(fake.events(victim))
                    .anySatisfy(
                        e ->
                            assertThat(e.path("message").asText())
                                .startsWith("Deleted by lifeline-dnscheck")));
  }

  @Test
  void theDnsServiceCanBeFoundByLabelAndPodsThatAreNotReadyAreProbedAnyway() {
    String notReady = fake.cluster.podNames().get(1);
    ObjectNode pod = fake.cp.store().get("v1", "Pod", "kube-system", notReady).orElseThrow();
    ((ObjectNode) pod.path("metadata")).remove("resourceVersion");
    ObjectNode changed = pod.deepCopy();
    ((com.fasterxml.jackson.databind.node.ArrayNode) changed.path("status").path("conditions"))
        .removeAll()
        .addObject()
        .put("type", "Ready")
        .put("status", "False");
    fake.cp.store().update(changed);
    try {
      DnsCheckReport r =
          DnsCheck.once(
              DnsCheckConfig.builder(Map.of())
                  .dnsServiceSelector("k8s-app=kube-dns")
                  .interval(Duration.ofMillis(200))
                  .timeout(Duration.ofMillis(150))
                  .minSamples(5)
                  .windowSize(10)
                  .consecutiveFailures(3)
                  .onceRounds(5)
                  .metricsAddress(null)
                  .build(),
              client,
              recorder);

      assertThat(r.healthy()).isTrue();
      assertThat(r.targets()).anySatisfy(t -> assertThat(t.name()).isEqualTo(notReady));
      assertThat(r.notes())
          .contains(
              "pod kube-system/"
                  + notReady
                  + " is not Ready: probed anyway, clients do not reach it");
    } finally {
      fake.cp.store().update(pod);
    }
  }

  @Test
  void theDaemonServesItsMetricsOnLoopback() throws Exception {
    DnsCheck c =
        start(
            fast()
                .metricsAddress(
                    new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0))
                .build());
    awaitHealthy(c, 4);
    int port = c.metricsPort().orElseThrow();

    String text;
    try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
      text =
          http.send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create("http://127.0.0.1:" + port + "/metrics"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString())
              .body();
    }

    assertThat(text)
        .contains(
            "lifeline_dnscheck_targets 4.0",
            "lifeline_dnscheck_leader 1.0",
            "lifeline_dnscheck_worst_case_detection_seconds 0.9",
            "lifeline_dnscheck_target_verdict{kind=\"service\",target=\"service/kube-system/kube-dns\",verdict=\"healthy\"} 1.0");
    assertThat(
            text.lines()
                .filter(
                    l ->
                        l.startsWith("lifeline_dnscheck_target_verdict")
                            && l.contains("verdict=\"healthy\"} 1.0")))
        .hasSize(4);
  }

  /** Records what the checker reports. */
  static final class Recorder implements DnsCheckListener {
    final List<RemediationEvent> remediations = new CopyOnWriteArrayList<>();
    final List<AlertEvent> alerts = new CopyOnWriteArrayList<>();
    final List<VerdictEvent> verdicts = new CopyOnWriteArrayList<>();
    final List<ProbeEvent> probes = new CopyOnWriteArrayList<>();

    @Override
    public void remediation(RemediationEvent event) {
      remediations.add(event);
    }

    @Override
    public void alert(AlertEvent event) {
      alerts.add(event);
    }

    @Override
    public void verdictChanged(VerdictEvent event) {
      verdicts.add(event);
    }

    @Override
    public void probeCompleted(ProbeEvent event) {
      probes.add(event);
    }
  }
}
