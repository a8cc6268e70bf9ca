package dev.lifeline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeline.client.model.ConfigMap;
import dev.lifeline.client.model.Namespace;
import dev.lifeline.client.model.ObjectMeta;
import dev.lifeline.client.model.Pod;
import dev.lifeline.testkit.FakeControlPlane;
import dev.lifeline.testkit.FakeControlPlaneExtension;
import dev.lifeline.testkit.Fault;
import dev.lifeline.testkit.RequestRecord;
import dev.lifeline.testkit.WatchListSupport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The list/watch engine against the fake control plane. */
class InformerIT {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @RegisterExtension
  static final FakeControlPlaneExtension cp =
      new FakeControlPlaneExtension(
          FakeControlPlane.builder()
              .ephemeralPort()
              .instances(1)
              .bookmarkInterval(Duration.ofSeconds(1)));

  @TempDir static Path dir;
  static KubeClient client;
  private static final AtomicInteger names = new AtomicInteger();

  @BeforeAll
  static void connect() {
    client = FakeClusters.client(cp.kubeconfig(), dir);
  }

  @AfterAll
  static void disconnect() {
    client.close();
  }

  private static String namespace() {
    String ns = "inf-" + names.incrementAndGet();
    client.create(ResourceType.NAMESPACE, Namespace.named(ns));
    return ns;
  }

  private static void configMap(String ns, String name, String value) {
    client.create(
        ResourceType.CONFIG_MAP, ConfigMap.of(ObjectMeta.of(ns, name), Map.of("v", value)));
  }

  private static void change(String ns, String name, String value) {
    client.patch(
        ResourceType.CONFIG_MAP, ns, name, PatchType.MERGE, "{\"data\":{\"v\":\"" + value + "\"}}");
  }

  private static RequestRecord lastWatch(String ns) {
    return cp.instance(0).requestLog().stream()
        .filter(
            r ->
                r.pathAndQuery().contains("/namespaces/" + ns + "/")
                    && r.pathAndQuery().contains("watch=true"))
        .reduce((a, b) -> b)
        .orElseThrow();
  }

  @Test
  void watchListStreamsTheInitialStateThenFollowsChanges() throws InterruptedException {
    String ns = namespace();
    configMap(ns, "a", "1");
    configMap(ns, "b", "1");
    Recorder<ConfigMap> recorder = new Recorder<>();
    try (Informer<ConfigMap> informer =
        client
            .informer(ResourceType.CONFIG_MAP)
            .namespace(ns)
            .handler(recorder)
            .listener(recorder)
            .start()) {
      assertThat(informer.awaitSynced(WAIT)).isTrue();
      assertThat(recorder.snapshot()).containsExactly("add a initial", "add b initial", "synced");
      assertThat(informer.isUsingWatchList()).isTrue();
      assertThat(lastWatch(ns).pathAndQuery())
          .contains("sendInitialEvents=true")
          .contains("resourceVersionMatch=NotOlderThan")
          .contains("allowWatchBookmarks=true");

      change(ns, "a", "2");
      client.delete(ResourceType.CONFIG_MAP, ns, "b");
      configMap(ns, "c", "1");
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> assertThat(recorder.snapshot()).endsWith("update a", "delete b", "add c"));
      assertThat(informer.store().get(ns, "a").orElseThrow().get("v")).isEqualTo("2");
      assertThat(informer.store().list(ns)).hasSize(2);
      assertThat(
              cp.instance(0).requestLog().stream()
                  .filter(
                      r ->
                          r.pathAndQuery().contains("/namespaces/" + ns + "/configmaps?")
                              && !r.pathAndQuery().contains("watch=true")))
          .isEmpty();
    }
    await().atMost(WAIT).until(() -> cp.instance(0).openWatches() == 0);
  }

  @Test
  void bookmarksMoveTheResourceVersionWithoutChanges() throws InterruptedException {
    String ns = namespace();
    try (Informer<ConfigMap> informer =
        client.informer(ResourceType.CONFIG_MAP).namespace(ns).start()) {
      assertThat(informer.awaitSynced(WAIT)).isTrue();
      long before = Long.parseLong(informer.lastSyncResourceVersion());
      String other = namespace();
      configMap(other, "elsewhere", "1");
      await().atMost(WAIT).until(() -> Long.parseLong(informer.lastSyncResourceVersion()) > before);
    }
  }

  @Test
  void labelSelectorsAndProjectionsKeepOnlyWhatWasAskedFor() throws InterruptedException {
    String ns = namespace();
    for (String name : new String[] {"web-1", "web-2", "db-1"}) {
      cp.store()
          .create(
              "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\""
                  + name
                  + "\",\"namespace\":\""
                  + ns
                  + "\",\"labels\":{\"app\":\""
                  + name.substring(0, name.indexOf('-'))
                  + "\"},\"annotations\":{\"big\":\"x\"}},\"spec\":{\"nodeName\":\"node-1\",\"containers\":[{\"name\":\"c\","
                  + "\"image\":\"nginx\"}]},\"status\":{\"phase\":\"Running\",\"podIP\":\"10.0.0.1\"}}");
    }
    ResourceType<Pod> pods =
        ResourceType.POD.withProjection(
            Projection.of("metadata.labels", "spec.nodeName", "status.podIP", "status.phase"));
    try (Informer<Pod> informer =
        client.informer(pods).namespace(ns).labelSelector("app=web").start()) {
      assertThat(informer.awaitSynced(WAIT)).isTrue();
      assertThat(informer.store().list())
          .extracting(Pod::name)
          .containsExactlyInAnyOrder("web-1", "web-2");
      Pod pod = informer.store().get(ns, "web-1").orElseThrow();
      assertThat(pod.nodeName()).isEqualTo("node-1");
      assertThat(pod.phase()).isEqualTo("Running");
      assertThat(pod.metadata().annotations()).isEmpty();
      assertThat(pod.containers()).isEmpty();
    }
  }

  @Test
  void aServerWithWatchListDisabledFallsBackToListAndWatch(TestInfo info)
      throws InterruptedException {
    try (FakeControlPlane old =
            FakeControlPlane.builder()
                .ephemeralPort()
                .instances(1)
                .watchList(WatchListSupport.DISABLED)
                .start();
        KubeClient oldClient = FakeClusters.client(old.kubeconfig(), dir)) {
      old.store()
          .create(
              "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\",\"namespace\":\"default\"}}");
      Recorder<ConfigMap> recorder = new Recorder<>();
      try (Informer<ConfigMap> informer =
          oldClient
              .informer(ResourceType.CONFIG_MAP)
              .namespace("default")
              .handler(recorder)
              .listener(recorder)
              .start()) {
        assertThat(informer.awaitSynced(WAIT)).isTrue();
        assertThat(informer.isUsingWatchList()).isFalse();
        assertThat(recorder.notes)
            .anyMatch(n -> n.startsWith("fallback: the server refused it") && n.contains("422"));
        assertThat(recorder.snapshot()).containsExactly("add a initial", "synced");
        assertThat(old.instance(0).requestLog())
            .anySatisfy(
                r -> assertThat(r.pathAndQuery()).contains("/configmaps?resourceVersion=0"));
      }
    }
  }

  @Test
  void aServerThatIgnoresWatchListIsDetectedAndFallenBackFrom() throws InterruptedException {
    try (FakeControlPlane old =
            FakeControlPlane.builder()
                .ephemeralPort()
                .instances(1)
                .watchList(WatchListSupport.UNKNOWN_TO_SERVER)
                .bookmarkInterval(Duration.ofMinutes(1))
                .start();
        KubeClient oldClient = FakeClusters.client(old.kubeconfig(), dir)) {
      old.store()
          .create(
              "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\",\"namespace\":\"default\"}}");
      Recorder<ConfigMap> recorder = new Recorder<>();
      try (Informer<ConfigMap> informer =
          oldClient
              .informer(ResourceType.CONFIG_MAP)
              .namespace("default")
              .initialEventsTimeout(Duration.ofSeconds(1))
              .handler(recorder)
              .listener(recorder)
              .start()) {
        assertThat(informer.awaitSynced(WAIT)).isTrue();
        assertThat(informer.isUsingWatchList()).isFalse();
        assertThat(recorder.notes).anyMatch(n -> n.contains("ignores sendInitialEvents"));
        assertThat(recorder.snapshot()).containsExactly("add a initial", "synced");
      }
    }
  }

  @Test
  void afterAnOutageAndACompactionTheRelistDeliversOnlyTheDifference() throws InterruptedException {
    String ns = namespace();
    configMap(ns, "kept", "1");
    configMap(ns, "changed", "1");
    configMap(ns, "removed", "1");
    Recorder<ConfigMap> recorder = new Recorder<>();
    try (Informer<ConfigMap> informer =
        client
            .informer(ResourceType.CONFIG_MAP)
            .namespace(ns)
            .handler(recorder)
            .listener(recorder)
            .start()) {
      assertThat(informer.awaitSynced(WAIT)).isTrue();
      recorder.events.clear();

      cp.instance(0).inject(Fault.reset());
      await().atMost(WAIT).until(() -> recorder.notes.contains("backoff"));
      com.fasterxml.jackson.databind.node.ObjectNode changed =
          cp.store().get("v1", "ConfigMap", ns, "changed").orElseThrow();
      changed.putObject("data").put("v", "2");
      cp.store().update(changed);
      cp.store().delete("v1", "ConfigMap", ns, "removed");
      cp.store()
          .create(
              "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"added\",\"namespace\":\""
                  + ns
                  + "\"}}");
      cp.store().compact();
      cp.instance(0).restore();

      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(recorder.snapshot())
                      .containsExactlyInAnyOrder(
                          "delete removed unknown", "update changed", "add added"));
      assertThat(recorder.notes).contains("relisted");
      assertThat(informer.store().list())
          .extracting(ConfigMap::name)
          .containsExactlyInAnyOrder("kept", "changed", "added");
    }
  }

  @Test
  void closingStopsTheWatchPromptly() throws InterruptedException {
    String ns = namespace();
    Informer<ConfigMap> informer = client.informer(ResourceType.CONFIG_MAP).namespace(ns).start();
    assertThat(informer.awaitSynced(WAIT)).isTrue();
    await().atMost(WAIT).until(() -> cp.instance(0).openWatches() >= 1);
    long start = System.nanoTime();
    informer.close();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    await().atMost(WAIT).until(() -> cp.instance(0).openWatches() == 0);
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().startsWith("lifeline-informer-configmaps@" + ns));
  }
}
