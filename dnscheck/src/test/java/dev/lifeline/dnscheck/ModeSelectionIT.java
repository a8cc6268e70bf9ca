package dev.lifeline.dnscheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.client.KubeClient;
import dev.lifeline.dnscheck.internal.cluster.ClusterDiscovery;
import dev.lifeline.dnscheck.internal.engine.ModeSetup;
import dev.lifeline.dnscheck.internal.mode.ClientForwarder;
import dev.lifeline.dnscheck.internal.mode.HelperPods;
import dev.lifeline.dnscheck.internal.mode.ModeSelector;
import dev.lifeline.dnscheck.internal.mode.PortForwards;
import dev.lifeline.dnscheck.internal.probe.DnsProber;
import dev.lifeline.testkit.AccessRule;
import dev.lifeline.testkit.FakeControlPlane;
import dev.lifeline.testkit.Fault;
import dev.lifeline.testkit.UserSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Automatic mode selection by what the user may do: each user of the fake control plane holds one
 * combination of permissions, and the selector asks the fake with SelfSubjectAccessReviews, as it
 * asks a real API server. In the fake every DNS pod is a loopback address that answers from the
 * test host, so the tests say whether the pod network answers from here (as from a laptop: no),
 * except where that is what is tested.
 */
class ModeSelectionIT {
  private static final String LB_SERVICE = "kube-dns-public";

  private static FakeCluster fake;
  private static DnsProber prober;
  private static ExecutorService helperThread;

  @BeforeAll
  static void start() throws IOException {
    fake =
        new FakeCluster(
            2,
            b -> {
              user(b, "reader");
              user(b, "helper", helperPods());
              user(b, "no-logs", u -> u.allow(podsIn("default", "create", "get", "delete")));
              user(
                  b,
                  "forwarder",
                  u ->
                      u.allow(
                          new AccessRule(
                              Set.of("get", "create"),
                              Set.of("pods/portforward"),
                              Set.of("kube-system"))));
              user(
                  b,
                  "post-only",
                  u ->
                      u.allow(
                          new AccessRule(
                              Set.of("create"),
                              Set.of("pods/portforward"),
                              Set.of("kube-system"))));
              user(
                  b,
                  "node-reader",
                  u -> u.allow(new AccessRule(Set.of("list"), Set.of("nodes"), Set.of(""))));
              user(
                  b,
                  "evictor",
                  u ->
                      u.allow(
                          new AccessRule(
                              Set.of("create"), Set.of("pods/eviction"), Set.of("kube-system"))));
            });
    prober = DnsProber.start();
    helperThread = Executors.newSingleThreadExecutor();
  }

  @AfterAll
  static void stop() {
    helperThread.shutdownNow();
    prober.close();
    fake.close();
  }

  @AfterEach
  void removeExposure() {
    fake.cp.store().delete("v1", "Service", "kube-system", LB_SERVICE);
    fake.cp.store().delete("v1", "Node", null, "node-1");
    fake.cp.instance(0).restore();
  }

  /** Every user may read what discovery reads; the rest is the combination under test. */
  private static void user(FakeControlPlane.Builder b, String name, Consumer<UserSpec> more) {
    b.user(
        name,
        u -> {
          u.allow(AccessRule.readOnly("services", "pods", "configmaps", "daemonsets"));
          more.accept(u);
        });
  }

  private static void user(FakeControlPlane.Builder b, String name) {
    user(b, name, u -> {});
  }

  private static AccessRule podsIn(String ns, String... verbs) {
    return new AccessRule(Set.of(verbs), Set.of("pods"), Set.of(ns));
  }

  private static Consumer<UserSpec> helperPods() {
    return u ->
        u.allow(podsIn("default", "create", "get", "delete"))
            .allow(new AccessRule(Set.of("get"), Set.of("pods/log"), Set.of("default")));
  }

  private static DnsCheckConfig.Builder config() {
    return DnsCheckConfig.builder(Map.of())
        .timeout(Duration.ofMillis(150))
        .metricsAddress(null)
        .leaderElect(false);
  }

  /** Selects as {@code user}; the pod network answers from here only when {@code reachable}. */
  private static ModeSetup select(
      String user, DnsCheckConfig config, boolean inPod, boolean reachable) {
    try (KubeClient client = fake.client(user);
        ClusterDiscovery discovery =
            ClusterDiscovery.start(client, config, Duration.ofSeconds(10));
        PortForwards forwards = new PortForwards(config, prober, new ClientForwarder(client))) {
      return new ModeSelector(
              config,
              client,
              prober,
              inPod,
              topology -> reachable,
              new HelperPods(config, client, helperThread),
              forwards)
          .select(discovery.current());
    }
  }

  private static ModeSetup select(String user) {
    return select(user, config().build(), false, false);
  }

  @Test
  void inAPodTheCheckerProbesDirectlyWithoutAskingAnything() {
    AtomicInteger probed = new AtomicInteger();
    try (KubeClient client = fake.client("reader");
        ClusterDiscovery discovery =
            ClusterDiscovery.start(client, config().build(), Duration.ofSeconds(10))) {
      ModeSetup m =
          new ModeSelector(
                  config().build(),
                  client,
                  prober,
                  true,
                  topology -> probed.incrementAndGet() > 0,
                  new HelperPods(config().build(), client, helperThread),
                  new PortForwards(config().build(), prober, new ClientForwarder(client)))
              .select(discovery.current());
      assertThat(m.mode()).isEqualTo(DeploymentMode.IN_CLUSTER);
      assertThat(m.selection())
          .containsExactly("in-cluster: chosen: running in a pod of the cluster");
      assertThat(probed).hasValue(0);
    }
  }

  @Test
  void aHostThatReachesThePodNetworkProbesDirectlyAndIsToldWhenItMayNotRestart() {
    ModeSetup reader = select("reader", config().build(), false, true);
    assertThat(reader.mode()).isEqualTo(DeploymentMode.IN_CLUSTER);
    assertThat(reader.reason()).contains("a DNS pod answered a query from this host");
    assertThat(reader.notes())
        .anySatisfy(
            n ->
                assertThat(n)
                    .startsWith(
                        "this user may not create pods/eviction in kube-system: failing pods are"
                            + " reported, their restarts will be refused"));

    assertThat(select("evictor", config().build(), false, true).notes())
        .noneMatch(n -> n.contains("may not"));
    assertThat(select("reader", config().dryRun(true).build(), false, true).notes())
        .noneMatch(n -> n.contains("may not"));
  }

  @Test
  void whoMayRunPodsAndReadTheirLogsGetsAHelperPod() {
    ModeSetup m = select("helper");
    assertThat(m.mode()).isEqualTo(DeploymentMode.HELPER_POD);
    assertThat(m.selection())
        .containsExactly(
            "in-cluster: skipped: not running in a pod, and no DNS pod IP answered a query from"
                + " here",
            "helper-pod: chosen: this user may run pods and read their logs in default");
    assertThat(m.isBatch()).isTrue();
  }

  @Test
  void withoutLogsTheHelperPodIsSkippedNamingWhatIsMissing() {
    DnsCheckException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            DnsCheckException.class, () -> select("no-logs"));
    assertThat(e.kind()).isEqualTo(DnsCheckException.Kind.NO_MODE);
    assertThat(e.getMessage())
        .contains(
            "helper-pod: skipped: this user may not get pods/log in default (--helper-namespace"
                + " default)");
  }

  @Test
  void whoMayPortForwardGetsPortForward() {
    ModeSetup m = select("forwarder");
    assertThat(m.mode()).isEqualTo(DeploymentMode.PORT_FORWARD);
    assertThat(m.selection())
        .containsExactly(
            "in-cluster: skipped: not running in a pod, and no DNS pod IP answered a query from"
                + " here",
            "helper-pod: skipped: this user may not create pods in default, delete pods in"
                + " default, get pods/log in default (--helper-namespace default)",
            "exposed-port: skipped: no NodePort or LoadBalancer Service in kube-system selects the"
                + " DNS pods (name one with --exposed-service)",
            "port-forward: chosen: this user may port-forward to pods in kube-system");
  }

  @Test
  void portForwardNeedsGetForItsWebSocketNotOnlyCreate() {
    assertThatThrownBy(() -> select("post-only"))
        .isInstanceOf(DnsCheckException.class)
        .hasMessageContaining(
            "port-forward: skipped: this user may not get pods/portforward in kube-system");
  }

  @Test
  void aLoadBalancerWithAnIngressIsUsedBeforePortForward() {
    exposeThroughLoadBalancer(true);
    ModeSetup m = select("forwarder");
    assertThat(m.mode()).isEqualTo(DeploymentMode.EXPOSED_PORT);
    assertThat(m.selection().get(2))
        .isEqualTo(
            "exposed-port: chosen: the DNS is exposed: LoadBalancer Service kube-system/"
                + LB_SERVICE
                + " (ingress 203.0.113.53)");
    // Exposed targets do not depend on the topology.
    assertThat(m.planner().targets(null))
        .extracting(t -> t.endpoint())
        .containsExactly("203.0.113.53:53");
  }

  @Test
  void aNodePortNeedsTheNodesAddresses() {
    exposeThroughLoadBalancer(false);
    assertThatThrownBy(() -> select("reader"))
        .isInstanceOf(DnsCheckException.class)
        .hasMessageContaining(
            "exposed-port: skipped: LoadBalancer Service kube-system/"
                + LB_SERVICE
                + " exposes the DNS pods (its load balancer has no ingress IP yet), but this user"
                + " may not list nodes at the cluster scope to find the node ports' addresses");

    fake.cp
        .store()
        .create(
            """
            {"apiVersion":"v1","kind":"Node","metadata":{"name":"node-1"},
             "status":{"addresses":[{"type":"InternalIP","address":"192.0.2.7"}]}}""");
    ModeSetup m = select("node-reader");
    assertThat(m.mode()).isEqualTo(DeploymentMode.EXPOSED_PORT);
    assertThat(m.reason()).contains("node ports");
    // Exposed targets do not depend on the topology.
    assertThat(m.planner().targets(null))
        .extracting(t -> t.endpoint())
        .containsExactly("192.0.2.7:30053");
  }

  @Test
  void withNoPermissionAtAllEveryModeSaysWhatItLacked() {
    assertThatThrownBy(() -> select("reader"))
        .isInstanceOf(DnsCheckException.class)
        .hasMessageStartingWith("no way to reach the cluster's DNS from here (in-cluster: skipped:")
        .hasMessageContaining("helper-pod: skipped: this user may not create pods in default")
        .hasMessageContaining("exposed-port: skipped: no NodePort or LoadBalancer Service")
        .hasMessageContaining(
            "port-forward: skipped: this user may not get pods/portforward in kube-system, create"
                + " pods/portforward in kube-system")
        .hasMessageEndingWith("or choose one with --mode");
  }

  @Test
  void aConfiguredModeThatIsDeniedFailsAtOnceNamingWhatIsMissing() {
    assertThatThrownBy(
            () -> select("reader", config().mode(DeploymentMode.HELPER_POD).build(), false, false))
        .isInstanceOf(DnsCheckException.class)
        .hasMessage(
            "mode helper-pod (--mode) cannot run: this user may not create pods in default,"
                + " delete pods in default, get pods/log in default"
                + " (--helper-namespace default)");
  }

  @Test
  void whenTheApiCannotSayAutoSelectionSkipsAndAConfiguredModeIsTried() {
    fake.cp.instance(0).inject(Fault.errorResponses(500).onPaths("selfsubjectaccessreviews"));

    assertThatThrownBy(() -> select("helper"))
        .isInstanceOf(DnsCheckException.class)
        .hasMessageContaining(
            "helper-pod: skipped: the API did not answer a SelfSubjectAccessReview (")
        .hasMessageContaining("choose it with --mode helper-pod to try anyway");
    ModeSetup configured =
        select("helper", config().mode(DeploymentMode.HELPER_POD).build(), false, false);
    assertThat(configured.mode()).isEqualTo(DeploymentMode.HELPER_POD);
    assertThat(configured.selection())
        .singleElement()
        .satisfies(
            l ->
                assertThat(l)
                    .startsWith(
                        "helper-pod: chosen: configured with --mode; the API did not answer")
                    .endsWith("so it is tried"));
  }

  /** The exposing Service: a LoadBalancer selecting the DNS pods, with or without an ingress. */
  private static void exposeThroughLoadBalancer(boolean withIngress) {
    fake.cp
        .store()
        .create(
            """
            apiVersion: v1
            kind: Service
            metadata: {name: %s, namespace: kube-system}
            spec:
              type: LoadBalancer
              selector: {k8s-app: kube-dns}
              ports:
              - {name: dns, protocol: UDP, port: 53, targetPort: 53, nodePort: 30053}
            """
                .formatted(LB_SERVICE));
    if (withIngress) {
      fake.cp.setLoadBalancerIngress("kube-system", LB_SERVICE, "203.0.113.53");
    }
  }
}
