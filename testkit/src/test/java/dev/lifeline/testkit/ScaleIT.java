package dev.lifeline.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Benchmark scale: 10,000 pods of about 4 KB list and stream fast, from bytes encoded once. */
class ScaleIT {
  @RegisterExtension
  static final FakeControlPlaneExtension cp = FakeControlPlaneExtension.withInstances(1);

  private static final int PODS = 10_000;

  private static ObjectNode pod(int i) {
    ObjectNode pod = KubeHttp.JSON.createObjectNode();
    pod.put("apiVersion", "v1").put("kind", "Pod");
    ObjectNode meta = pod.putObject("metadata");
    meta.put("name", String.format("load-%05d", i)).put("namespace", "default");
    meta.putObject("labels").put("app", "load").put("shard", Integer.toString(i % 10));
    meta.putObject("annotations").put("lifeline.dev/padding", "p".repeat(2800));
    ObjectNode c = pod.putObject("spec").putArray("containers").addObject();
    c.put("name", "app").put("image", "registry.example.com/team/app:1.2.3");
    for (int e = 0; e < 10; e++) {
      c.withArray("env").addObject().put("name", "ENV_" + e).put("value", "value-" + e + "-" + i);
    }
    pod.putObject("status").put("phase", "Running");
    return pod;
  }

  @Test
  void tenThousandPodsListAndStreamFast() throws Exception {
    long t0 = System.nanoTime();
    for (int i = 0; i < PODS; i++) {
      cp.store().create(pod(i));
    }
    long created = System.nanoTime();
    try (KubeHttp http = new KubeHttp(cp, 0, cp.admin().token())) {
      http.get("/api/v1/namespaces/default/pods?limit=1");
      long l0 = System.nanoTime();
      KubeHttp.Response list = http.get("/api/v1/namespaces/default/pods");
      long listed = System.nanoTime();
      assertThat(list.code()).isEqualTo(200);
      assertThat(list.body().length()).isGreaterThan(PODS * 3000);
      JsonNode parsed = list.json();
      assertThat(parsed.path("items").size()).isEqualTo(PODS);

      long w0 = System.nanoTime();
      int events = 0;
      try (KubeHttp.Watch w =
          http.watch(
              "/api/v1/namespaces/default/pods?watch=true&sendInitialEvents=true"
                  + "&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true")) {
        JsonNode e;
        while ((e = w.next(Duration.ofSeconds(30))) != null
            && !e.path("type").asText().equals("BOOKMARK")) {
          events++;
        }
      }
      long streamed = System.nanoTime();
      System.out.printf(
          "scale: created %d pods (%d MB JSON) in %d ms, listed in %d ms, streamed in %d ms%n",
          PODS,
          list.body().length() / (1024 * 1024),
          (created - t0) / 1_000_000,
          (listed - l0) / 1_000_000,
          (streamed - w0) / 1_000_000);
      assertThat(events).isEqualTo(PODS);
      assertThat(Duration.ofNanos(listed - l0)).isLessThan(Duration.ofSeconds(5));
      assertThat(Duration.ofNanos(streamed - w0)).isLessThan(Duration.ofSeconds(10));
    }
  }
}
