package dev.lifeline.dnscheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeline.client.KubeClient;
import dev.lifeline.testkit.StoreEvent;
import dev.lifeline.testkit.StoreListener;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The helper-pod mode against the fake control plane, as far as the fake allows: it has no kubelet
 * and no {@code pods/log}. The test plays the kubelet: it runs the created pod's own arguments with
 * the probe agent (what the container would run) and marks the pod Succeeded. The checker's log
 * read then meets the fake's missing subresource, which is what a cluster that forbids {@code
 * pods/log} looks like.
 */
class HelperPodModeIT {
  private static FakeCluster fake;
  private static KubeClient client;

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

  @Test
  void aHelperPodCarriesEveryTargetAndCheckRunsToAHealthyReportAndIsDeleted() {
    List<ObjectNode> created = new CopyOnWriteArrayList<>();
    List<String> agentOutput = new CopyOnWriteArrayList<>();
    StoreListener kubelet =
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
            agentOutput.add(runContainer(pod));
            ObjectNode done = pod.deepCopy();
            done.putObject("status").put("phase", "Succeeded");
            fake.cp.store().update(done);
          }
        };
    fake.cp.store().addListener(kubelet);
    try {
      DnsCheckConfig config =
          DnsCheckConfig.builder(Map.of())
              .mode(DeploymentMode.HELPER_POD)
              .helperNamespace("default")
              .helperImage("registry.example/lifeline:test")
              .helperTimeout(Duration.ofSeconds(10))
              .interval(Duration.ofMillis(200))
              .timeout(Duration.ofMillis(150))
              .onceRounds(3)
              .minSamples(3)
              .windowSize(10)
              .consecutiveFailures(3)
              .metricsAddress(null)
              .build();

      assertThatThrownBy(() -> DnsCheck.once(config, client, DnsCheckListener.NONE))
          .isInstanceOf(DnsCheckException.class)
          .hasMessageStartingWith(
              "cannot read the log of helper pod default/lifeline-dnscheck-probe-")
          .hasMessageContaining("the checker needs get on pods/log in default");
    } finally {
      fake.cp.store().removeListener(kubelet);
    }

    assertThat(created).hasSize(1);
    JsonNode spec = created.get(0).path("spec");
    assertThat(spec.path("restartPolicy").asText()).isEqualTo("Never");
    assertThat(spec.path("automountServiceAccountToken").asBoolean(true)).isFalse();
    JsonNode container = spec.path("containers").path(0);
    assertThat(container.path("image").asText()).isEqualTo("registry.example/lifeline:test");
    assertThat(container.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
    // The pod's own arguments, run as its container would, reach every target healthily.
    String report = agentOutput.get(0);
    assertThat(report.lines().filter(l -> l.contains("\"outcome\":\"ok\""))).hasSize(3 * 4 * 2 * 2);
    assertThat(
            report
                .lines()
                .filter(l -> l.contains("\"outcome\"") && !l.contains("\"outcome\":\"ok\"")))
        .isEmpty();
    assertThat(report.strip()).endsWith("{\"done\":true,\"rounds\":3,\"probes\":48}");
    // Deleted afterwards, even though the run failed.
    assertThat(fake.cp.store().list("v1", "Pod", "default")).isEmpty();
  }

  /** What the helper container does: {@code lifeline dnscheck probe} with the pod's arguments. */
  private static String runContainer(ObjectNode pod) {
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
        case "--interval" -> interval = Duration.ofMillis(Long.parseLong(v.replace("ms", "")));
        case "--timeout" -> timeout = Duration.ofMillis(Long.parseLong(v.replace("ms", "")));
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
    return out.toString();
  }
}
