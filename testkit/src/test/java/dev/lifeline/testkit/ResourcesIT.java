package dev.lifeline.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verbs and kinds through HTTP: pagination, patches, subresources, eviction, ClusterIPs, seeding.
 */
class ResourcesIT {
  @RegisterExtension
  static final FakeControlPlaneExtension cp =
      new FakeControlPlaneExtension(
          FakeControlPlane.builder().instances(1).ephemeralPort().watchHistorySize(50));

  private static KubeHttp http;

  @BeforeAll
  static void connect() {
    http = new KubeHttp(cp, 0, cp.admin().token());
  }

  @AfterAll
  static void disconnect() {
    http.close();
  }

  private static String ns(String name) {
    cp.store()
        .create(
            "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\""
                + name
                + "\"}}");
    return name;
  }

  private static void pod(String ns, String name, boolean ready, String app) {
    cp.store()
        .create(
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\""
                + name
                + "\",\"namespace\":\""
                + ns
                + "\",\"labels\":{\"app\":\""
                + app
                + "\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]},"
                + "\"status\":{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\""
                + (ready ? "True" : "False")
                + "\"}]}}");
  }

  private static List<String> names(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.path("items").forEach(i -> out.add(i.at("/metadata/name").asText()));
    return out;
  }

  @Test
  void pagesAreConsistentAtTheFirstPagesVersion() {
    String ns = ns("pages");
    for (int i = 0; i < 5; i++) {
      pod(ns, "p" + i, true, "web");
    }
    JsonNode first = http.get("/api/v1/namespaces/" + ns + "/pods?limit=2").json();
    assertThat(names(first)).containsExactly("p0", "p1");
    assertThat(first.at("/metadata/remainingItemCount").asInt()).isEqualTo(3);
    assertThat(first.path("items").get(0).has("kind")).isFalse();
    String rv = first.at("/metadata/resourceVersion").asText();

    pod(ns, "p2a", true, "web");
    cp.store().delete("v1", "Pod", ns, "p4");

    JsonNode second =
        http.get(
                "/api/v1/namespaces/"
                    + ns
                    + "/pods?limit=2&continue="
                    + first.at("/metadata/continue").asText())
            .json();
    JsonNode third =
        http.get(
                "/api/v1/namespaces/"
                    + ns
                    + "/pods?limit=2&continue="
                    + second.at("/metadata/continue").asText())
            .json();
    assertThat(names(second)).containsExactly("p2", "p3");
    assertThat(names(third)).containsExactly("p4");
    assertThat(second.at("/metadata/resourceVersion").asText()).isEqualTo(rv);
    assertThat(third.at("/metadata/continue").isMissingNode()).isTrue();
  }

  @Test
  void anExpiredContinueTokenIs410WithAFreshToken() {
    String ns = ns("expiry");
    for (int i = 0; i < 3; i++) {
      pod(ns, "p" + i, true, "web");
    }
    JsonNode first = http.get("/api/v1/namespaces/" + ns + "/pods?limit=1").json();
    pod(ns, "p9", true, "web");
    cp.store().compact();
    KubeHttp.Response expired =
        http.get(
            "/api/v1/namespaces/"
                + ns
                + "/pods?limit=1&continue="
                + first.at("/metadata/continue").asText());
    assertThat(expired.code()).isEqualTo(410);
    assertThat(expired.json().path("reason").asText()).isEqualTo("Expired");
    assertThat(expired.json().path("message").asText())
        .startsWith(
            "The provided continue parameter is too old to display a consistent list result.");
    String fresh = expired.json().at("/metadata/continue").asText();
    assertThat(
            names(http.get("/api/v1/namespaces/" + ns + "/pods?limit=10&continue=" + fresh).json()))
        .containsExactly("p1", "p2", "p9");
  }

  @Test
  void resourceVersionZeroIsServedWholeFromTheCache() {
    String ns = ns("anyversion");
    for (int i = 0; i < 3; i++) {
      pod(ns, "p" + i, true, "web");
    }
    JsonNode any = http.get("/api/v1/namespaces/" + ns + "/pods?limit=1&resourceVersion=0").json();
    assertThat(names(any)).hasSize(3);
    assertThat(any.at("/metadata/continue").isMissingNode()).isTrue();
  }

  @Test
  void patchesOfEveryTypeAndTheStatusSubresource() {
    String ns = ns("patch");
    pod(ns, "p", true, "web");
    String base = "/api/v1/namespaces/" + ns + "/pods/p";
    KubeHttp.Response merge =
        http.send(
            "PATCH",
            base,
            "application/merge-patch+json",
            "{\"metadata\":{\"labels\":{\"tier\":\"fe\"}}}");
    assertThat(merge.code()).isEqualTo(200);
    assertThat(merge.json().at("/metadata/labels/tier").asText()).isEqualTo("fe");
    KubeHttp.Response strategic =
        http.send(
            "PATCH",
            base,
            "application/strategic-merge-patch+json",
            "{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i2\"}]}}");
    assertThat(strategic.json().at("/spec/containers").size()).isEqualTo(1);
    assertThat(strategic.json().at("/spec/containers/0/image").asText()).isEqualTo("i2");
    KubeHttp.Response json =
        http.send(
            "PATCH",
            base,
            "application/json-patch+json",
            "[{\"op\":\"add\",\"path\":\"/metadata/annotations\",\"value\":{\"a\":\"1\"}}]");
    assertThat(json.json().at("/metadata/annotations/a").asText()).isEqualTo("1");
    KubeHttp.Response ignoredStatus =
        http.send(
            "PATCH", base, "application/merge-patch+json", "{\"status\":{\"phase\":\"Failed\"}}");
    assertThat(ignoredStatus.json().at("/status/phase").asText()).isEqualTo("Running");
    KubeHttp.Response status =
        http.send(
            "PATCH",
            base + "/status",
            "application/merge-patch+json",
            "{\"status\":{\"phase\":\"Failed\"}}");
    assertThat(status.json().at("/status/phase").asText()).isEqualTo("Failed");
    assertThat(http.get(base + "/status").json().at("/status/phase").asText()).isEqualTo("Failed");
  }

  @Test
  void evictionHonoursTheDisruptionBudgetAndTheControllerKeepsItsStatus() {
    String ns = ns("evict");
    pod(ns, "a", true, "web");
    pod(ns, "b", true, "web");
    KubeHttp.Response pdb =
        http.post(
            "/apis/policy/v1/namespaces/" + ns + "/poddisruptionbudgets",
            "{\"metadata\":{\"name\":\"web\"},\"spec\":{\"minAvailable\":1,\"selector\":{\"matchLabels\":{\"app\":\"web\"}}}}");
    assertThat(pdb.code()).isEqualTo(201);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                http.get("/apis/policy/v1/namespaces/" + ns + "/poddisruptionbudgets/web")
                        .json()
                        .at("/status/disruptionsAllowed")
                        .asInt()
                    == 1);

    KubeHttp.Response ok =
        http.post(
            "/api/v1/namespaces/" + ns + "/pods/a/eviction",
            "{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\",\"metadata\":{\"name\":\"a\"}}");
    assertThat(ok.code()).isEqualTo(201);
    assertThat(ok.json().path("status").asText()).isEqualTo("Success");

    KubeHttp.Response refused =
        http.post(
            "/api/v1/namespaces/" + ns + "/pods/b/eviction",
            "{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\",\"metadata\":{\"name\":\"b\"}}");
    assertThat(refused.code()).isEqualTo(429);
    assertThat(refused.json().path("message").asText())
        .isEqualTo("Cannot evict pod as it would violate the pod's disruption budget.");
    assertThat(refused.json().at("/details/causes/0").toString())
        .isEqualTo(
            "{\"reason\":\"DisruptionBudget\",\"message\":\"The disruption budget web needs 1 healthy pods and has 1 currently\"}");
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              JsonNode status =
                  http.get("/apis/policy/v1/namespaces/" + ns + "/poddisruptionbudgets/web")
                      .json()
                      .path("status");
              assertThat(status.path("currentHealthy").asInt()).isEqualTo(1);
              assertThat(status.path("desiredHealthy").asInt()).isEqualTo(1);
              assertThat(status.path("disruptionsAllowed").asInt()).isZero();
              assertThat(status.path("expectedPods").asInt()).isEqualTo(1);
            });
  }

  @Test
  void servicesGetClusterIpsFromTheServiceRange() {
    String ns = ns("svc");
    KubeHttp.Response svc =
        http.post(
            "/api/v1/namespaces/" + ns + "/services",
            "{\"metadata\":{\"name\":\"web\"},\"spec\":{\"ports\":[{\"port\":80}]}}");
    assertThat(svc.code()).isEqualTo(201);
    String ip = svc.json().at("/spec/clusterIP").asText();
    assertThat(ip).startsWith("10.");
    assertThat(svc.json().at("/spec/clusterIPs/0").asText()).isEqualTo(ip);
    assertThat(svc.json().at("/spec/ports/0/targetPort").asInt()).isEqualTo(80);
    KubeHttp.Response taken =
        http.post(
            "/api/v1/namespaces/" + ns + "/services",
            "{\"metadata\":{\"name\":\"copy\"},\"spec\":{\"clusterIP\":\""
                + ip
                + "\",\"ports\":[{\"port\":80}]}}");
    assertThat(taken.code()).isEqualTo(422);
    assertThat(taken.json().path("message").asText()).contains("provided IP is already allocated");
    JsonNode kubernetes = http.get("/api/v1/namespaces/default/services/kubernetes").json();
    assertThat(kubernetes.at("/spec/clusterIP").asText()).isEqualTo(cp.clusterIp());
    assertThat(kubernetes.at("/spec/ports/0/name").asText()).isEqualTo("https");
    assertThat(kubernetes.at("/spec/ports/0/port").asInt()).isEqualTo(443);
    assertThat(kubernetes.at("/spec/ports/0/targetPort").asInt()).isEqualTo(cp.port());
  }

  @Test
  void deleteAnswersWithTheObjectOrAStatusAsTheRealRegistriesDo() {
    String ns = ns("deletes");
    pod(ns, "p", true, "web");
    http.post("/api/v1/namespaces/" + ns + "/configmaps", "{\"metadata\":{\"name\":\"c\"}}");
    JsonNode deletedPod = http.delete("/api/v1/namespaces/" + ns + "/pods/p").json();
    assertThat(deletedPod.path("kind").asText()).isEqualTo("Pod");
    JsonNode deletedCm = http.delete("/api/v1/namespaces/" + ns + "/configmaps/c").json();
    assertThat(deletedCm.path("kind").asText()).isEqualTo("Status");
    assertThat(deletedCm.path("status").asText()).isEqualTo("Success");
    assertThat(deletedCm.at("/details/name").asText()).isEqualTo("c");
    assertThat(deletedCm.at("/details/kind").asText()).isEqualTo("configmaps");
    pod(ns, "x1", true, "gone");
    pod(ns, "x2", true, "gone");
    pod(ns, "keep", true, "stay");
    JsonNode collection =
        http.delete("/api/v1/namespaces/" + ns + "/pods?labelSelector=app%3Dgone").json();
    assertThat(collection.path("kind").asText()).isEqualTo("PodList");
    assertThat(names(collection)).containsExactly("x1", "x2");
    assertThat(names(http.get("/api/v1/namespaces/" + ns + "/pods").json()))
        .containsExactly("keep");
  }

  @Test
  void seedingReadsMultiDocumentYamlAndLists(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("seed.yaml");
    Files.writeString(
        file,
        """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: seeded
        ---
        apiVersion: v1
        kind: ConfigMapList
        items:
        - metadata: {name: one, namespace: seeded}
          data: {k: "1"}
        - metadata: {name: two, namespace: seeded}
        """);
    List<com.fasterxml.jackson.databind.node.ObjectNode> created = cp.store().seed(file);
    assertThat(created).hasSize(3);
    assertThat(names(http.get("/api/v1/namespaces/seeded/configmaps").json()))
        .containsExactly("one", "two");
  }

  @Test
  void fieldSelectorsSelectPodsByNodeAndPhase() {
    String ns = ns("fields");
    pod(ns, "running", true, "web");
    cp.store()
        .create(
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"on-node\",\"namespace\":\""
                + ns
                + "\"},\"spec\":{\"nodeName\":\"n1\",\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}");
    assertThat(
            names(
                http.get("/api/v1/namespaces/" + ns + "/pods?fieldSelector=spec.nodeName%3Dn1")
                    .json()))
        .containsExactly("on-node");
    assertThat(
            names(
                http.get("/api/v1/namespaces/" + ns + "/pods?fieldSelector=status.phase%3DRunning")
                    .json()))
        .containsExactly("running");
    assertThat(
            names(
                http.get(
                        "/api/v1/pods?fieldSelector=metadata.namespace%3D"
                            + ns
                            + ",metadata.name!%3Drunning")
                    .json()))
        .containsExactly("on-node");
  }
}
