package dev.lifeline.dnscheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeline.client.KubeClient;
import dev.lifeline.testkit.AccessRule;
import dev.lifeline.testkit.Fault;
import dev.lifeline.testkit.RequestRecord;
import dev.lifeline.testkit.StoreEvent;
import dev.lifeline.testkit.StoreListener;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The helper-pod mode end to end against the fake control plane: the checker creates the pod, waits
 * for it, reads its report through the real {@code pods/log} API and deletes it. The test plays
 * only the part no fake can: the kubelet running the pod's command (the probe agent, with the pod's
 * own arguments) and writing its output to the pod's log, and the pod's status as the kubelet
 * reports it.
 */
class HelperPodModeIT {
  private static FakeCluster fake;
  private static KubeClient admin;

  private final List<ObjectNode> created = new CopyOnWriteArrayList<>();
  private StoreListener kubelet;

  @BeforeAll
  static void start() {
    fake =
        new FakeCluster(
            3,
            b ->
                b.user(
                    "no-logs",
                    u ->
                        u.allow(AccessRule.readOnly("services", "pods", "configmaps", "daemonsets"))
                            .allow(
                                new AccessRule(
                                    Set.of("create", "get", "delete"),
                                    Set.of("pods"),
                                    Set.of("default")))));
    admin = fake.client();
  }

  @AfterAll
  static void stop() {
    admin.close();
    fake.close();
  }

  @AfterEach
  void stopKubelet() {
    if (kubelet != null) {
      fake.cp.store().removeListener(kubelet);
    }
    fake.cp.instance(0).restore();
  }

  private static DnsCheckConfig.Builder config() {
    return DnsCheckConfig.builder(Map.of())
        .mode(DeploymentMode.HELPER_POD)
        .helperNamespace("default")
        .helperImage("registry.example/lifeline:test")
        .helperTimeout(Duration.ofSeconds(20))
        .interval(Duration.ofMillis(200))
        .timeout(Duration.ofMillis(150))
        .onceRounds(3)
        .minSamples(3)
        .windowSize(10)
        .consecutiveFailures(3)
        .metricsAddress(null);
  }

  /**
   * Stands in for the kubelet: for each helper pod created, runs {@code container} on its own
   * thread, appends what it printed to the pod's log, and reports the pod as ended.
   *
   * @param container the container's run: the pod in, its output and final phase out
   */
  private void kubelet(Function<ObjectNode, Run> container) {
    kubelet =
        (StoreEvent e) -> {
          if (e.type().equals("ADDED")
              && e.kind().equals("Pod")
              && e.object()
                  .path("metadata")
                  .path("labels")
                  .path("app.kubernetes.io/name")
                  .asText()
                  .equals("lifeline-dnscheck-probe")) {
            ObjectNode pod = e.object();
            created.add(pod);
            Thread.ofVirtual().start(() -> runPod(pod, container));
          }
        };
    fake.cp.store().addListener(kubelet);
  }

  private record Run(List<String> output, String phase) {}

  private static void runPod(ObjectNode pod, Function<ObjectNode, Run> container) {
    String ns = pod.path("metadata").path("namespace").asText();
    String name = pod.path("metadata").path("name").asText();
    status(pod, "Running", null);
    Run run = container.apply(pod);
    if (run == null) {
      return;
    }
    if (!run.output().isEmpty()) {
      fake.cp.podLogs().append(ns, name, "probe", run.output().toArray(String[]::new));
    }
    status(pod, run.phase(), null);
  }

  private static void status(ObjectNode pod, String phase, ObjectNode waiting) {
    ObjectNode p =
        fake.cp
            .store()
            .get(
                "v1",
                "Pod",
                pod.path("metadata").path("namespace").asText(),
                pod.path("metadata").path("name").asText())
            .orElseThrow();
    ObjectNode status = p.putObject("status");
    status.put("phase", phase);
    ObjectNode container = status.putArray("containerStatuses").addObject();
    container.put("name", "probe");
    if (waiting != null) {
      container.putObject("state").set("waiting", waiting);
    }
    p.withObjectProperty("spec").put("nodeName", "node-1");
    p.withObjectProperty("metadata").remove("resourceVersion");
    fake.cp.store().update(p);
  }

  /** What the helper container does: {@code lifeline dnscheck probe} with the pod's arguments. */
  private static Run agent(ObjectNode pod) {
    List<String> args = new ArrayList<>();
    pod.path("spec").path("containers").path(0).path("args").forEach(a -> args.add(a.asText()));
    assertThat(args.subList(0, 2)).containsExactly("dnscheck", "probe");
    List<String> targets = new ArrayList<>();
    List<String> checks = new ArrayList<>();
    int rounds = 1;
    Duration interval = Duration.ofMillis(500);
    Duration timeout = Duration.ofMillis(250);
    int retries = 1;
    for (int i = 2; i < args.size(); i += 2) {
      String v = args.get(i + 1);
      switch (args.get(i)) {
        case "--target" -> targets.add(v);
        case "--check" -> checks.add(v);
        case "--rounds" -> rounds = Integer.parseInt(v);
        case "--interval" -> interval = DnsProbeAgent.duration("--interval", v);
        case "--timeout" -> timeout = DnsProbeAgent.duration("--timeout", v);
        case "--retries" -> retries = Integer.parseInt(v);
        case "--transports" -> assertThat(v).isEqualTo("udp,tcp");
        default -> throw new AssertionError("unexpected argument " + args.get(i));
      }
    }
    StringWriter out = new StringWriter();
    DnsProbeAgent.run(
        targets,
        checks,
        rounds,
        interval,
        timeout,
        retries,
        EnumSet.allOf(Transport.class),
        new PrintWriter(out));
    return new Run(out.toString().lines().toList(), "Succeeded");
  }

  private static List<String> logReads() {
    List<String> out = new ArrayList<>();
    for (RequestRecord r : fake.cp.instance(0).requestLog()) {
      if (r.pathAndQuery().contains("/pods/lifeline-dnscheck-probe-")
          && r.pathAndQuery().contains("/log")) {
        out.add(r.method() + " " + r.status());
      }
    }
    return out;
  }

  @Test
  void theHelperPodsReportIsReadThroughItsLogAndThePodIsDeleted() {
    kubelet(HelperPodModeIT::agent);

    DnsCheckReport r = DnsCheck.once(config().build(), admin, DnsCheckListener.NONE);

    assertThat(r.mode()).isEqualTo(DeploymentMode.HELPER_POD);
    assertThat(r.modeReason())
        .isEqualTo(
            "configured with --mode in default: pods run registry.example/lifeline:test in"
                + " default");
    assertThat(r.healthy()).as(r.toTable()).isTrue();
    assertThat(r.targets()).hasSize(4);
    assertThat(r.targets())
        .allSatisfy(
            t ->
                assertThat(t.streams())
                    .extracting(DnsCheckReport.StreamReport::samples)
                    .containsOnly(3));
    assertThat(logReads()).contains("GET 200");
    assertThat(created).hasSize(1);
    JsonNode spec = created.get(0).path("spec");
    assertThat(spec.path("restartPolicy").asText()).isEqualTo("Never");
    assertThat(spec.path("automountServiceAccountToken").asBoolean(true)).isFalse();
    JsonNode container = spec.path("containers").path(0);
    assertThat(container.path("image").asText()).isEqualTo("registry.example/lifeline:test");
    assertThat(container.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(fake.cp.store().list("v1", "Pod", "default")).isEmpty();
  }

  @Test
  void aPodThatNeverStartsTimesOutWithWhatItWaitsFor() {
    kubelet(
        pod -> {
          ObjectNode waiting = pod.objectNode();
          waiting.put("reason", "ImagePullBackOff");
          waiting.put("message", "Back-off pulling image \"registry.example/lifeline:test\"");
          status(pod, "Pending", waiting);
          return null;
        });

    assertThatThrownBy(
            () ->
                DnsCheck.once(
                    config().helperTimeout(Duration.ofSeconds(5)).build(),
                    admin,
                    DnsCheckListener.NONE))
        .isInstanceOf(DnsCheckException.class)
        .hasMessageStartingWith("helper pod default/lifeline-dnscheck-probe-")
        .hasMessageContaining(
            " did not finish within 5 s (phase Pending, container probe waiting: ImagePullBackOff"
                + " (Back-off pulling image \"registry.example/lifeline:test\")); check"
                + " --helper-image");
    assertThat(fake.cp.store().list("v1", "Pod", "default")).isEmpty();
  }

  @Test
  void malformedAgentOutputIsRefusedWithTheEndOfTheLog() {
    kubelet(
        pod ->
            new Run(
                List.of(
                    "Picked up JAVA_TOOL_OPTIONS: -Xmx64m",
                    "{\"target\":\"pod/kube-system/x\",\"check\":\"kubernetes\"",
                    "Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space"),
                "Failed"));

    assertThatThrownBy(() -> DnsCheck.once(config().build(), admin, DnsCheckListener.NONE))
        .isInstanceOf(DnsCheckException.class)
        .hasMessageContaining("ended (phase Failed) without a usable report:")
        .hasMessageContaining("the helper pod's report is incomplete (0 probes, no final line)")
        .hasMessageContaining(
            "its log ends: Picked up JAVA_TOOL_OPTIONS: -Xmx64m |"
                + " {\"target\":\"pod/kube-system/x\",\"check\":\"kubernetes\" | Exception in"
                + " thread \"main\" java.lang.OutOfMemoryError: Java heap space");
    assertThat(fake.cp.store().list("v1", "Pod", "default")).isEmpty();
  }

  @Test
  void aUserWhoMayNotReadPodLogsIsToldBeforeAnyPodIsCreated() {
    kubelet(HelperPodModeIT::agent);
    try (KubeClient noLogs = fake.client("no-logs")) {
      assertThatThrownBy(() -> DnsCheck.once(config().build(), noLogs, DnsCheckListener.NONE))
          .isInstanceOf(DnsCheckException.class)
          .hasMessage(
              "mode helper-pod (--mode) cannot run: this user may not get pods/log in default"
                  + " (--helper-namespace default)");
    }
    assertThat(created).isEmpty();
  }

  @Test
  void aLogReadThatIsForbiddenAfterAllFailsClearlyAndTheHelperPodIsStillDeleted() {
    // The API cannot answer the review, so the configured mode is tried and meets the 403.
    fake.cp.instance(0).inject(Fault.errorResponses(500).onPaths("selfsubjectaccessreviews"));
    kubelet(HelperPodModeIT::agent);
    try (KubeClient noLogs = fake.client("no-logs")) {
      assertThatThrownBy(() -> DnsCheck.once(config().build(), noLogs, DnsCheckListener.NONE))
          .isInstanceOf(DnsCheckException.class)
          .hasMessageStartingWith(
              "cannot read the log of helper pod default/lifeline-dnscheck-probe-")
          .hasMessageContaining("403")
          .hasMessageEndingWith("the checker needs get on pods/log in default");
    }
    assertThat(created).hasSize(1);
    assertThat(logReads()).contains("GET 403");
    assertThat(fake.cp.store().list("v1", "Pod", "default")).isEmpty();
  }
}
