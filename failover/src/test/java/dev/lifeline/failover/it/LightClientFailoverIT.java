package dev.lifeline.failover.it;

import static dev.lifeline.failover.it.ControlPlaneEngines.awaitUp;
import static dev.lifeline.failover.it.ControlPlaneEngines.endpoint;
import static dev.lifeline.failover.it.ControlPlaneEngines.instanceAt;
import static dev.lifeline.failover.it.ControlPlaneEngines.millis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeline.client.Informer;
import dev.lifeline.client.KubeClient;
import dev.lifeline.client.KubeConfig;
import dev.lifeline.client.ResourceHandler;
import dev.lifeline.client.ResourceType;
import dev.lifeline.client.model.ConfigMap;
import dev.lifeline.failover.Endpoint;
import dev.lifeline.failover.EndpointDiscovery;
import dev.lifeline.failover.EndpointStatus;
import dev.lifeline.failover.FailoverConfig;
import dev.lifeline.failover.FailoverEngine;
import dev.lifeline.testkit.ApiServerInstance;
import dev.lifeline.testkit.DropMode;
import dev.lifeline.testkit.FakeControlPlaneExtension;
import dev.lifeline.testkit.Fault;
import dev.lifeline.testkit.RequiresRoot;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed rules, draining and eviction for the light client wired natively to the engine ({@link
 * FailoverEngine#configure}), against three fake apiservers.
 */
class LightClientFailoverIT {
  @RegisterExtension static final FakeControlPlaneExtension cp = ControlPlaneEngines.controlPlane();
  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  @TempDir Path dir;
  final EventRecorder events = new EventRecorder();
  final List<AutoCloseable> resources = new ArrayList<>();
  String userAgent;

  @BeforeAll
  static void namespaces() {
    for (int i = 0; i < 20; i++) {
      cp.store()
          .create(
              "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"light-"
                  + i
                  + "\"}}");
    }
  }

  void name(TestInfo test) {
    ControlPlaneEngines.awaitAllListed(cp);
    userAgent = "light-it/" + test.getTestMethod().orElseThrow().getName();
  }

  @AfterEach
  void close() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  <T extends AutoCloseable> T closeLater(T resource) {
    resources.add(resource);
    return resource;
  }

  KubeConfig kubeConfig(UnaryOperator<dev.lifeline.testkit.KubeconfigWriter> customize) {
    return ControlPlaneEngines.kubeConfig(cp, dir, customize);
  }

  FailoverEngine engine(FailoverConfig.Builder config) {
    return closeLater(FailoverEngine.start(config.build()));
  }

  KubeClient client(FailoverEngine engine, KubeConfig kubeConfig) {
    return closeLater(
        engine.configure(KubeClient.builder(kubeConfig)).userAgent(userAgent).build());
  }

  /** A read, and the instance that answered it. */
  ApiServerInstance read(KubeClient client) {
    client.list(ResourceType.NAMESPACE, dev.lifeline.client.ListOptions.all());
    return cp.instanceUsedBy(userAgent).orElseThrow();
  }

  Path endpointsFile(List<Endpoint> endpoints) throws IOException {
    Path file = dir.resolve("endpoints");
    StringBuilder text = new StringBuilder();
    endpoints.forEach(e -> text.append(e).append('\n'));
    Files.writeString(file, text);
    return file;
  }

  @Test
  @RequiresRoot(value = "iptables to drop packets", commands = "iptables")
  void aBlackholedApiserverCostsTheClientUnderASecondAndTheWatchLosesNothing(TestInfo test)
      throws Exception {
    name(test);
    KubeConfig kubeConfig = kubeConfig(w -> w.serverByName());
    FailoverEngine engine = engine(ControlPlaneEngines.config(cp, kubeConfig, events, 0));
    awaitUp(engine, 3);
    KubeClient client = client(engine, kubeConfig);
    String namespace = "light-" + NAMESPACES.getAndIncrement();
    Set<String> seen = ConcurrentHashMap.newKeySet();
    Informer<ConfigMap> informer =
        closeLater(
            client
                .informer(ResourceType.CONFIG_MAP)
                .namespace(namespace)
                .handler(
                    new ResourceHandler<>() {
                      @Override
                      public void onAdd(ConfigMap object, boolean initial) {
                        seen.add(object.metadata().name());
                      }
                    })
                .start());
    assertThat(informer.awaitSynced(Duration.ofSeconds(10))).isTrue();
    ApiServerInstance victim = read(client);
    createConfigMap(namespace, "before");
    await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains("before"));

    long blackholed = System.nanoTime();
    victim.inject(Fault.blackhole(DropMode.REAL_DROPS_REQUIRED));
    createConfigMap(namespace, "during");
    ApiServerInstance answered = read(client);
    long readDone = System.nanoTime();

    EventRecorder.Event down =
        events.await("down " + endpoint(victim), blackholed, Duration.ofSeconds(5));
    long detection = millis(blackholed, down.nanos());
    System.out.printf(
        "light client: blackhole of %s detected in %d ms; a read issued at the blackhole returned"
            + " in %d ms from %s%n",
        victim.address().getHostAddress(),
        detection,
        millis(blackholed, readDone),
        answered.address().getHostAddress());
    assertThat(detection).isLessThan(1_500);
    assertThat(millis(blackholed, readDone)).isLessThan(3_000);
    assertThat(answered).isNotEqualTo(victim);
    events.await("closed EVICTED " + endpoint(victim), Duration.ofSeconds(2));
    createConfigMap(namespace, "after");
    await().atMost(Duration.ofSeconds(5)).until(() -> seen.containsAll(Set.of("during", "after")));
  }

  @Test
  void aProcessStarvedOfCpuAndPausedByCollectionsMarksNoHealthyApiserverDown(TestInfo test) {
    name(test);
    KubeConfig kubeConfig = kubeConfig(w -> w.serverByName());
    FailoverEngine engine = engine(ControlPlaneEngines.config(cp, kubeConfig, events, 0));
    awaitUp(engine, 3);
    KubeClient client = client(engine, kubeConfig);
    read(client);
    events.clear();

    // This JVM runs the fake apiservers too: spinning threads and full collections delay their
    // PING answers and the engine's own timers alike, as on the demo's loaded machine.
    long gcMillisBefore = collectionMillis();
    int reads = 0;
    try (Load load = Load.start(2 * Runtime.getRuntime().availableProcessors(), 700)) {
      long end = System.nanoTime() + Duration.ofSeconds(8).toNanos();
      while (System.nanoTime() < end) {
        read(client);
        reads++;
      }
      assertThat(load.running()).as("the load ran throughout").isTrue();
    }
    long gcMillis = collectionMillis() - gcMillisBefore;

    System.out.printf(
        "light client under load: %d reads in 8 s, %d ms of collections, events %s%n",
        reads, gcMillis, events.texts());
    assertThat(gcMillis).isPositive();
    // The fake's own lease renewals starve too: an apiserver may leave the EndpointSlice and come
    // back (discovery, then a drain), which is not the engine judging a healthy one dead.
    assertThat(events.texts())
        .noneMatch(e -> e.startsWith("down ") || e.startsWith("closed EVICTED"));
    assertThat(engine.endpoints())
        .noneMatch(s -> s.state() == dev.lifeline.failover.EndpointState.DOWN);
    assertThat(read(client)).isNotNull();
  }

  static long collectionMillis() {
    return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime)
        .sum();
  }

  /** Threads spinning on every core, and a retained live set with explicit full collections. */
  static final class Load implements AutoCloseable {
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stop;

    /** Where the spinners leave their sums, so that their loops are not optimised away. */
    volatile long sink;

    static Load start(int spinners, int liveSetMb) {
      Load load = new Load();
      for (int i = 0; i < spinners; i++) {
        load.thread(
            "spinner-" + i,
            () -> {
              long x = 0;
              while (!load.stop) {
                x += System.nanoTime() % 7;
              }
              load.sink = x;
            });
      }
      load.thread(
          "collector",
          () -> {
            // Small objects retained (about 64 bytes each), a share replaced all the time: every
            // full collection walks them all.
            Object[] live = new Object[liveSetMb * 16_384];
            java.util.Random random = new java.util.Random(7);
            for (int i = 0; i < live.length; i++) {
              live[i] = new long[4];
            }
            long next = System.nanoTime();
            while (!load.stop) {
              live[random.nextInt(live.length)] = new long[4];
              if (System.nanoTime() - next > 0) {
                System.gc();
                next = System.nanoTime() + Duration.ofSeconds(1).toNanos();
              }
            }
            load.sink = live.length;
          });
      return load;
    }

    boolean running() {
      return threads.stream().allMatch(Thread::isAlive);
    }

    private void thread(String name, Runnable work) {
      Thread thread = new Thread(work, "load-" + name);
      thread.setDaemon(true);
      thread.start();
      threads.add(thread);
    }

    @Override
    public void close() {
      stop = true;
      for (Thread thread : threads) {
        try {
          thread.join(5_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        assertThat(thread.isAlive()).as(thread.getName() + " stopped").isFalse();
      }
    }
  }

  @Test
  void aResetApiserverIsLeftAtOnce(TestInfo test) {
    name(test);
    KubeConfig kubeConfig = kubeConfig(w -> w.serverByName());
    FailoverEngine engine = engine(ControlPlaneEngines.config(cp, kubeConfig, events, 0));
    awaitUp(engine, 3);
    KubeClient client = client(engine, kubeConfig);
    ApiServerInstance victim = read(client);

    long reset = System.nanoTime();
    victim.inject(Fault.reset());
    ApiServerInstance answered = read(client);

    long left = awaitLeft(engine, victim);
    System.out.printf(
        "light client: reset of %s left after %d ms%n",
        victim.address().getHostAddress(), millis(reset, left));
    assertThat(millis(reset, left)).isLessThan(1_000);
    assertThat(answered).isNotEqualTo(victim);
  }

  @Test
  void anIpHostFailsOverAtTheConnectionLevel(TestInfo test) {
    name(test);
    ApiServerInstance first = cp.instance(0);
    KubeConfig kubeConfig = kubeConfig(w -> w.server(first));
    FailoverEngine engine = engine(ControlPlaneEngines.config(cp, kubeConfig, events, 0));
    awaitUp(engine, 3);
    KubeClient client = client(engine, kubeConfig);

    first.inject(Fault.reset());

    for (int i = 0; i < 3; i++) {
      assertThat(read(client)).isNotEqualTo(first);
    }
  }

  @Test
  void theClusterIpOnPort443IsDialledAsTheEndpointsOnTheirPort(TestInfo test) throws IOException {
    name(test);
    KubeConfig kubeConfig = kubeConfig(w -> w.serverUrl("https://" + cp.clusterIp() + ":443"));
    List<Endpoint> all = cp.instances().stream().map(ControlPlaneEngines::endpoint).toList();
    FailoverEngine engine =
        engine(
            ControlPlaneEngines.config(cp, kubeConfig, events, 0)
                .endpointsFile(endpointsFile(all)));
    KubeClient client = client(engine, kubeConfig);

    ApiServerInstance answered = read(client);

    assertThat(cp.instances()).contains(answered);
    assertThat(events.texts()).noneMatch(e -> e.startsWith("seed"));
    awaitUp(engine, 3);
  }

  @Test
  void aNameOnAnotherPortThanTheEndpointsIsDialledToTheirPort(TestInfo test) throws IOException {
    name(test);
    KubeConfig kubeConfig = kubeConfig(w -> w.serverUrl("https://" + cp.serverName() + ":443"));
    List<Endpoint> all = cp.instances().stream().map(ControlPlaneEngines::endpoint).toList();
    FailoverEngine engine =
        engine(
            ControlPlaneEngines.config(cp, kubeConfig, events, 0)
                .endpointsFile(endpointsFile(all)));
    KubeClient client = client(engine, kubeConfig);

    assertThat(cp.instances()).contains(read(client));
    assertThat(engine.resolve(cp.serverName(), host -> List.of(InetAddress.getByName("192.0.2.1"))))
        .extracting(InetAddress::getHostAddress)
        .containsExactly("192.0.2.1");
    events.await("dns PORT_MISMATCH", Duration.ofSeconds(2));
  }

  @Test
  void withoutEndpointsConnectionsGoToTheSeed(TestInfo test) {
    name(test);
    KubeConfig kubeConfig = kubeConfig(w -> w.serverByName());
    FailoverEngine engine =
        engine(
            ControlPlaneEngines.config(cp, kubeConfig, events, 2)
                .discovery(EndpointDiscovery.none()));
    KubeClient client = client(engine, kubeConfig);

    assertThat(read(client)).isEqualTo(cp.instance(2));
    assertThat(engine.endpoints()).isEmpty();
  }

  @Test
  @RequiresRoot(value = "iptables to drop packets", commands = "iptables")
  void afterTheTimeoutWithNothingReachableTheSetIsClearedAndTheSeedTakesOver(TestInfo test) {
    name(test);
    KubeConfig kubeConfig = kubeConfig(w -> w.serverByName());
    FailoverEngine engine =
        engine(
            ControlPlaneEngines.config(cp, kubeConfig, events, 1).timeout(Duration.ofSeconds(2)));
    awaitUp(engine, 3);
    KubeClient client = client(engine, kubeConfig);
    read(client);

    long blackholed = System.nanoTime();
    for (ApiServerInstance instance : cp.instances()) {
      instance.inject(Fault.blackhole(DropMode.REAL_DROPS_REQUIRED));
    }
    EventRecorder.Event timeout = events.await("dns TIMEOUT", blackholed, Duration.ofSeconds(10));

    // The timeout runs from the last answer, up to one PING interval before the blackhole.
    assertThat(millis(blackholed, timeout.nanos())).isBetween(1_700L, 5_000L);
    assertThat(engine.endpoints()).isEmpty();
    cp.instance(1).restore();
    assertThat(read(client)).isEqualTo(cp.instance(1));
    await().atMost(Duration.ofSeconds(10)).until(() -> !engine.endpoints().isEmpty());
  }

  @Test
  void theSameNodeEndpointComesFirst(TestInfo test) {
    name(test);
    KubeConfig kubeConfig = kubeConfig(w -> w.serverByName());
    ApiServerInstance local = cp.instance(1);
    FailoverEngine engine =
        engine(
            ControlPlaneEngines.config(cp, kubeConfig, events, 0)
                .environment(Map.of("HOST_IP", local.address().getHostAddress())));
    awaitUp(engine, 3);

    for (int i = 0; i < 3; i++) {
      try (KubeClient client =
          engine.configure(KubeClient.builder(kubeConfig)).userAgent(userAgent).build()) {
        assertThat(read(client)).isEqualTo(local);
      }
    }
    assertThat(engine.endpoints().get(0).sameNode()).isTrue();
  }

  @Test
  void theLastWorkingEndpointIsTriedFirst(TestInfo test) {
    name(test);
    KubeConfig kubeConfig = kubeConfig(w -> w.serverByName());
    FailoverEngine engine = engine(ControlPlaneEngines.config(cp, kubeConfig, events, 0));
    awaitUp(engine, 3);
    ApiServerInstance first;
    try (KubeClient client =
        engine.configure(KubeClient.builder(kubeConfig)).userAgent(userAgent).build()) {
      first = read(client);
    }
    Endpoint lastWorking =
        engine.endpoints().stream()
            .filter(EndpointStatus::lastWorking)
            .findFirst()
            .orElseThrow()
            .endpoint();
    assertThat(instanceAt(cp, lastWorking)).isEqualTo(first);

    for (int i = 0; i < 4; i++) {
      try (KubeClient client =
          engine.configure(KubeClient.builder(kubeConfig)).userAgent(userAgent).build()) {
        assertThat(read(client)).isEqualTo(first);
      }
    }
  }

  @Test
  void whenEveryKnownEndpointFailsTheSeedAddressIsUsed(TestInfo test) throws IOException {
    name(test);
    KubeConfig kubeConfig = kubeConfig(w -> w.serverByName());
    List<Endpoint> stale =
        List.of(
            Endpoint.parse("127.0.0.20:" + cp.port()), Endpoint.parse("127.0.0.21:" + cp.port()));
    FailoverEngine engine =
        engine(
            ControlPlaneEngines.config(cp, kubeConfig, events, 2)
                .discovery(EndpointDiscovery.none())
                .endpointsFile(endpointsFile(stale)));
    KubeClient client = client(engine, kubeConfig);

    assertThat(read(client)).isEqualTo(cp.instance(2));
    events.await(
        "seed " + cp.instance(2).address().getHostAddress() + ":" + cp.port(),
        Duration.ofSeconds(2));
  }

  @Test
  void aGracefulShutdownDrainsTheConnectionAndTheWatchResumesElsewhereLosingNothing(TestInfo test)
      throws Exception {
    name(test);
    KubeConfig kubeConfig = kubeConfig(w -> w.serverByName());
    FailoverEngine engine = engine(ControlPlaneEngines.config(cp, kubeConfig, events, 0));
    awaitUp(engine, 3);
    KubeClient client = client(engine, kubeConfig);
    String namespace = "light-" + NAMESPACES.getAndIncrement();
    Set<String> seen = ConcurrentHashMap.newKeySet();
    Informer<ConfigMap> informer =
        closeLater(
            client
                .informer(ResourceType.CONFIG_MAP)
                .namespace(namespace)
                .handler(
                    new ResourceHandler<>() {
                      @Override
                      public void onAdd(ConfigMap object, boolean initial) {
                        seen.add(object.metadata().name());
                      }
                    })
                .start());
    assertThat(informer.awaitSynced(Duration.ofSeconds(10))).isTrue();
    ApiServerInstance leaving = read(client);

    long stop = System.nanoTime();
    var stopped = leaving.stopGracefullyAsync();
    events.await("draining " + endpoint(leaving), stop, Duration.ofSeconds(5));
    events.await("closed DRAINED " + endpoint(leaving), stop, Duration.ofSeconds(5));
    // Still within the shutdown delay: the instance serves, yet new requests go elsewhere.
    assertThat(leaving.state()).isEqualTo(ApiServerInstance.State.TERMINATING);
    for (int i = 0; i < 3; i++) {
      assertThat(read(client)).isNotEqualTo(leaving);
    }
    for (int i = 0; i < 5; i++) {
      createConfigMap(namespace, "cm-" + i);
    }
    stopped.get(15, java.util.concurrent.TimeUnit.SECONDS);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> seen.containsAll(Set.of("cm-0", "cm-1", "cm-2", "cm-3", "cm-4")));
  }

  static void createConfigMap(String namespace, String name) {
    cp.store()
        .create(
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
                + name
                + "\",\"namespace\":\""
                + namespace
                + "\"},\"data\":{\"k\":\"v\"}}");
  }

  /**
   * Waits until the engine holds {@code victim} DOWN (a reset is an abortive close: no GOAWAY, so
   * never mistaken for draining). Returns when that happened.
   */
  static long awaitLeft(FailoverEngine engine, ApiServerInstance victim) {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                engine.endpoints().stream()
                    .anyMatch(
                        s ->
                            s.endpoint().equals(endpoint(victim))
                                && s.state() == dev.lifeline.failover.EndpointState.DOWN));
    return System.nanoTime();
  }
}
