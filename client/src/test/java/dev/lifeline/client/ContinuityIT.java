package dev.lifeline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeline.client.model.Pod;
import dev.lifeline.testkit.ApiServerInstance;
import dev.lifeline.testkit.FakeControlPlane;
import dev.lifeline.testkit.FakeControlPlaneExtension;
import dev.lifeline.testkit.Fault;
import dev.lifeline.testkit.StoreEvent;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The continuity test: while a writer makes 10,000 changes to pods, the instance serving the watch
 * is reset, blackholed and gracefully stopped, and the history is compacted during an outage of
 * every instance (forcing a 410 and a relist). The informer reaches the other instances through its
 * {@code Dns} hook, which names all three for the server name. At the end the handler's view equals
 * the store's, and every change it was told about happened, exactly once.
 */
class ContinuityIT {
  private static final String NS = "continuity";
  private static final String AGENT = "continuity-it";
  private static final Duration CATCH_UP = Duration.ofSeconds(60);
  private static final int BATCH = 2_000;

  @RegisterExtension
  static final FakeControlPlaneExtension cp =
      new FakeControlPlaneExtension(
              FakeControlPlane.builder()
                  .ephemeralPort()
                  .instances(3)
                  .watchHistorySize(500)
                  .bookmarkInterval(Duration.ofSeconds(1))
                  .shutdownGracePeriod(Duration.ofSeconds(1))
                  .endpointLease(Duration.ofSeconds(2), Duration.ofMillis(500)))
          .keepFaultsBetweenTests();

  @TempDir Path dir;

  /** What the handler was told, per pod: the versions added or updated to, and deletions. */
  private final Map<String, String> view = new ConcurrentHashMap<>();

  private final List<String> told = new CopyOnWriteArrayList<>();
  private final List<String> relists = new CopyOnWriteArrayList<>();
  private final AtomicInteger watches = new AtomicInteger();

  /** Every change the store committed, as "TYPE name@rv". */
  private final Set<String> committed = ConcurrentHashMap.newKeySet();

  private final Map<String, List<Long>> deletions = new ConcurrentHashMap<>();

  private final Random random = new Random(42);
  private final List<String> live = new ArrayList<>();
  private int created;
  private int changes;

  @Test
  void theInformersViewSurvivesResetsBlackholesGracefulStopsAndCompactions() throws Exception {
    cp.store()
        .addListener(
            (StoreEvent e) -> {
              if (e.kind().equals("Pod") && e.namespace().equals(NS)) {
                committed.add(e.type() + " " + e.name() + "@" + e.resourceVersion());
                if (e.type().equals("DELETED")) {
                  deletions
                      .computeIfAbsent(e.name(), k -> new CopyOnWriteArrayList<>())
                      .add(e.resourceVersion());
                }
              }
            });
    cp.store()
        .create(
            "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\""
                + NS
                + "\"}}");
    for (int i = 0; i < 300; i++) {
      create();
    }

    ExecutorService writer = Executors.newSingleThreadExecutor();
    try (KubeClient client = client();
        Informer<Pod> informer =
            client
                .informer(
                    ResourceType.POD.withProjection(
                        Projection.of("metadata.labels", "spec.nodeName", "status.phase")))
                .namespace(NS)
                .handler(handler())
                .listener(listener())
                .start()) {
      assertThat(informer.awaitSynced(CATCH_UP)).isTrue();
      assertThat(informer.isUsingWatchList()).isTrue();

      // 1. The serving instance resets every connection and refuses new ones.
      ApiServerInstance serving = serving();
      CompletableFuture<Void> batch = write(writer, BATCH);
      awaitWritten(BATCH / 4);
      serving.inject(Fault.reset());
      batch.join();
      catchUp(informer);
      assertThat(serving()).isNotSameAs(serving);
      serving.restore();

      // 2. The serving instance is blackholed: HTTP/2 pings notice, the watch moves on.
      serving = serving();
      int before = watches.get();
      batch = write(writer, BATCH);
      awaitWritten(BATCH / 4);
      serving.inject(Fault.blackhole());
      batch.join();
      catchUp(informer);
      assertThat(watches.get()).isGreaterThan(before);
      assertThat(serving()).isNotSameAs(serving);
      serving.restore();

      // 3. The serving instance stops gracefully (GOAWAY, watches ended).
      serving = serving();
      batch = write(writer, BATCH);
      awaitWritten(BATCH / 4);
      CompletableFuture<Void> stopped = serving.stopGracefullyAsync();
      batch.join();
      stopped.join();
      catchUp(informer);
      assertThat(serving()).isNotSameAs(serving);
      serving.restart();

      // 4. Every instance is down while the writer goes on and the history is compacted: a 410, a
      // relist.
      for (ApiServerInstance instance : cp.instances()) {
        instance.inject(Fault.reset());
      }
      write(writer, BATCH).join();
      cp.store().compact();
      for (ApiServerInstance instance : cp.instances()) {
        instance.restore();
      }
      catchUp(informer);
      assertThat(relists).isNotEmpty();

      // 5. More changes with compactions along the way and one more reset.
      batch = write(writer, BATCH);
      for (int i = 0; i < 3; i++) {
        awaitWritten(BATCH / 4);
        cp.store().compact();
      }
      serving().inject(Fault.reset());
      batch.join();
      cp.restoreAll();
      catchUp(informer);

      assertThat(changes).isEqualTo(5 * BATCH);
      Map<String, String> store = storeView();
      await().atMost(CATCH_UP).untilAsserted(() -> assertThat(view).isEqualTo(store));
      Map<String, String> cache = new HashMap<>();
      for (Pod pod : informer.store().list()) {
        cache.put(pod.name(), pod.metadata().resourceVersion());
      }
      assertThat(cache).isEqualTo(store);
    } finally {
      writer.shutdownNow();
    }

    // Every change the handler was told about happened, and none was told twice.
    Set<String> distinct = new HashSet<>();
    for (String line : told) {
      assertThat(distinct.add(line)).as("told twice: %s", line).isTrue();
      String[] parts = line.split(" ");
      switch (parts[0]) {
        case "set":
          assertThat(committed).as(line).containsAnyOf("ADDED " + parts[1], "MODIFIED " + parts[1]);
          break;
        case "deleted":
          assertThat(committed).as(line).contains("DELETED " + parts[1]);
          break;
        default:
          // "gone name@rv": inferred by a relist; the pod was deleted after the version last seen.
          String name = parts[1].substring(0, parts[1].indexOf('@'));
          long lastSeen = Long.parseLong(parts[1].substring(parts[1].indexOf('@') + 1));
          assertThat(deletions.getOrDefault(name, List.of()))
              .as(line)
              .anyMatch(rv -> rv > lastSeen);
      }
    }
    // Most changes came one by one through watches; only those made while the informer was away
    // (and past the
    // server's history) were folded into a relist's difference, so how many depends on how fast it
    // reconnected.
    assertThat(told.size()).isGreaterThan(BATCH);
  }

  private KubeClient client() throws UnknownHostException {
    List<InetAddress> all = new ArrayList<>();
    for (ApiServerInstance instance : cp.instances()) {
      all.add(instance.address());
    }
    KubeConfig config = FakeClusters.config(cp.kubeconfig().serverByName(), dir);
    return KubeClient.builder(config)
        .userAgent(AGENT)
        .dns(
            host -> {
              if (host.equals(cp.serverName())) {
                return all;
              }
              return List.of(InetAddress.getAllByName(host));
            })
        .pingInterval(Duration.ofMillis(500))
        .connectTimeout(Duration.ofSeconds(1))
        .readTimeout(Duration.ofSeconds(2))
        .build();
  }

  private static ApiServerInstance serving() {
    return cp.instanceUsedBy(AGENT).orElseThrow();
  }

  private ResourceHandler<Pod> handler() {
    return new ResourceHandler<>() {
      @Override
      public void onAdd(Pod pod, boolean isInInitialList) {
        set(pod);
      }

      @Override
      public void onUpdate(Pod oldPod, Pod newPod) {
        set(newPod);
      }

      private void set(Pod pod) {
        view.put(pod.name(), pod.metadata().resourceVersion());
        told.add("set " + pod.name() + "@" + pod.metadata().resourceVersion());
      }

      @Override
      public void onDelete(Pod pod, boolean finalStateUnknown) {
        view.remove(pod.name());
        told.add(
            (finalStateUnknown ? "gone " : "deleted ")
                + pod.name()
                + "@"
                + pod.metadata().resourceVersion());
      }
    };
  }

  private InformerListener listener() {
    return new InformerListener() {
      @Override
      public void watchStarted(String informer, String resourceVersion) {
        watches.incrementAndGet();
      }

      @Override
      public void relisted(String informer, String resourceVersion) {
        relists.add(resourceVersion);
      }
    };
  }

  private final AtomicInteger written = new AtomicInteger();

  private CompletableFuture<Void> write(ExecutorService writer, int count) {
    written.set(0);
    return CompletableFuture.runAsync(
        () -> {
          for (int i = 0; i < count; i++) {
            change();
            written.incrementAndGet();
          }
        },
        writer);
  }

  private void awaitWritten(int count) {
    await().atMost(CATCH_UP).until(() -> written.get() >= count);
  }

  /** One change: create, update or delete a pod, keeping a few hundred alive. */
  private void change() {
    int dice = random.nextInt(10);
    if (live.size() < 200 || dice < 2) {
      create();
    } else if (dice < 4 && live.size() > 50) {
      String name = live.remove(random.nextInt(live.size()));
      cp.store().delete("v1", "Pod", NS, name);
    } else {
      String name = live.get(random.nextInt(live.size()));
      ObjectNode pod = cp.store().get("v1", "Pod", NS, name).orElseThrow();
      ((ObjectNode) pod.get("metadata")).putObject("labels").put("gen", Integer.toString(changes));
      ((ObjectNode) pod.get("status")).put("phase", random.nextBoolean() ? "Running" : "Pending");
      cp.store().update(pod);
    }
    changes++;
  }

  private void create() {
    String name = "p-" + created++;
    cp.store()
        .create(
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\""
                + name
                + "\",\"namespace\":\""
                + NS
                + "\",\"labels\":{\"gen\":\"0\"}},\"spec\":{\"nodeName\":\"node-"
                + (created % 7)
                + "\",\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]},\"status\":{\"phase\":\"Pending\"}}");
    live.add(name);
  }

  private static Map<String, String> storeView() {
    Map<String, String> out = new HashMap<>();
    for (ObjectNode pod : cp.store().list("v1", "Pod", NS)) {
      out.put(
          pod.get("metadata").get("name").asText(),
          pod.get("metadata").get("resourceVersion").asText());
    }
    return out;
  }

  private static void catchUp(Informer<Pod> informer) {
    long target = cp.store().resourceVersion();
    await()
        .atMost(CATCH_UP)
        .until(
            () ->
                !informer.lastSyncResourceVersion().isEmpty()
                    && Long.parseLong(informer.lastSyncResourceVersion()) >= target);
  }
}
