package dev.lifeline.kubernetesjava;

import static dev.lifeline.failover.it.ControlPlaneEngines.awaitUp;
import static dev.lifeline.failover.it.ControlPlaneEngines.endpoint;
import static dev.lifeline.failover.it.ControlPlaneEngines.instanceAt;
import static dev.lifeline.failover.it.ControlPlaneEngines.millis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lifeline.client.KubeConfig;
import dev.lifeline.failover.Endpoint;
import dev.lifeline.failover.EndpointDiscovery;
import dev.lifeline.failover.EndpointStatus;
import dev.lifeline.failover.FailoverConfig;
import dev.lifeline.failover.FailoverEngine;
import dev.lifeline.failover.it.ControlPlaneEngines;
import dev.lifeline.failover.it.EventRecorder;
import dev.lifeline.testkit.ApiServerInstance;
import dev.lifeline.testkit.DropMode;
import dev.lifeline.testkit.FakeControlPlaneExtension;
import dev.lifeline.testkit.Fault;
import dev.lifeline.testkit.KubeconfigWriter;
import dev.lifeline.testkit.RequiresRoot;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ConfigMapList;
import io.kubernetes.client.util.CallGenerator;
import io.kubernetes.client.util.ClientBuilder;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed rules, draining and eviction for kubernetes-client/java (OkHttp), wired with {@link
 * LifelineKubernetesJava#configure}, against three fake apiservers.
 */
class KubernetesJavaFailoverIT {
  @RegisterExtension static final FakeControlPlaneExtension cp = ControlPlaneEngines.controlPlane();
  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  @TempDir Path dir;
  final EventRecorder events = new EventRecorder();
  final List<AutoCloseable> resources = new ArrayList<>();
  String userAgent;

  @BeforeAll
  static void namespaces() {
    for (int i = 0; i < 10; i++) {
      cp.store()
          .create(
              "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"java-"
                  + i
                  + "\"}}");
    }
  }

  void name(TestInfo test) {
    ControlPlaneEngines.awaitAllListed(cp);
    userAgent = "k8s-java-it/" + test.getTestMethod().orElseThrow().getName();
  }

  @AfterEach
  void close() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  String kubeconfigYaml(UnaryOperator<KubeconfigWriter> customize) {
    return customize.apply(cp.kubeconfig()).toYaml();
  }

  KubeConfig lightConfig(String yaml) throws IOException {
    Path file = Files.createTempFile(dir, "kubeconfig", ".yaml");
    Files.writeString(file, yaml);
    return KubeConfig.loader().environment(Map.of()).kubeconfig(file).load();
  }

  FailoverEngine engine(FailoverConfig.Builder config) {
    FailoverEngine engine = FailoverEngine.start(config.build());
    resources.add(engine);
    return engine;
  }

  ApiClient client(String yaml, FailoverEngine engine) throws IOException {
    ApiClient client =
        ClientBuilder.kubeconfig(
                io.kubernetes.client.util.KubeConfig.loadKubeConfig(new StringReader(yaml)))
            .build();
    client.setHttpClient(
        client.getHttpClient().newBuilder().readTimeout(0, TimeUnit.SECONDS).build());
    client.setUserAgent(userAgent);
    LifelineKubernetesJava.configure(client, engine);
    resources.add(
        () -> {
          client.getHttpClient().dispatcher().executorService().shutdown();
          client.getHttpClient().connectionPool().evictAll();
        });
    return client;
  }

  ApiServerInstance read(ApiClient client) throws Exception {
    new CoreV1Api(client).listNamespace().execute();
    return cp.instanceUsedBy(userAgent).orElseThrow();
  }

  Path endpointsFile(List<Endpoint> endpoints) throws IOException {
    Path file = dir.resolve("endpoints");
    StringBuilder text = new StringBuilder();
    endpoints.forEach(e -> text.append(e).append('\n'));
    Files.writeString(file, text);
    return file;
  }

  List<Endpoint> allEndpoints() {
    return cp.instances().stream().map(ControlPlaneEngines::endpoint).toList();
  }

  /** A started k8s-java informer on ConfigMaps of a fresh namespace; returns names seen. */
  Set<String> watchConfigMaps(ApiClient client, String namespace) {
    Set<String> seen = ConcurrentHashMap.newKeySet();
    startInformer(
        client,
        namespace,
        false,
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(V1ConfigMap obj) {
            seen.add(obj.getMetadata().getName());
          }

          @Override
          public void onUpdate(V1ConfigMap oldObj, V1ConfigMap newObj) {}

          @Override
          public void onDelete(V1ConfigMap obj, boolean deletedFinalStateUnknown) {}
        });
    return seen;
  }

  /**
   * Starts a k8s-java informer on {@code namespace}'s ConfigMaps, the stock one or one on {@link
   * LifelineKubernetesJava#listerWatcher} when {@code resuming}, and waits until it has synced.
   */
  void startInformer(
      ApiClient client,
      String namespace,
      boolean resuming,
      ResourceEventHandler<V1ConfigMap> handler) {
    CoreV1Api core = new CoreV1Api(client);
    CallGenerator calls =
        params ->
            core.listNamespacedConfigMap(namespace)
                .resourceVersion(params.resourceVersion)
                .watch(params.watch)
                .timeoutSeconds(params.timeoutSeconds)
                .allowWatchBookmarks(true)
                .buildCall(null);
    SharedInformerFactory factory = new SharedInformerFactory(client);
    SharedIndexInformer<V1ConfigMap> informer =
        resuming
            ? factory.sharedIndexInformerFor(
                LifelineKubernetesJava.listerWatcher(
                    client, calls, V1ConfigMap.class, V1ConfigMapList.class),
                V1ConfigMap.class,
                0)
            : factory.sharedIndexInformerFor(calls, V1ConfigMap.class, V1ConfigMapList.class);
    informer.addEventHandler(handler);
    factory.startAllRegisteredInformers();
    resources.add(factory::stopAllRegisteredInformers);
    await().atMost(Duration.ofSeconds(10)).until(informer::hasSynced);
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

  @Test
  @RequiresRoot(value = "iptables to drop packets", commands = "iptables")
  void aBlackholedApiserverCostsTheClientUnderASecondAndTheInformerLosesNothing(TestInfo test)
      throws Exception {
    name(test);
    String yaml = kubeconfigYaml(KubeconfigWriter::serverByName);
    FailoverEngine engine = engine(ControlPlaneEngines.config(cp, lightConfig(yaml), events, 0));
    awaitUp(engine, 3);
    ApiClient client = client(yaml, engine);
    String namespace = "java-" + NAMESPACES.getAndIncrement();
    Set<String> seen = watchConfigMaps(client, namespace);
    ApiServerInstance victim = read(client);

    long blackholed = System.nanoTime();
    victim.inject(Fault.blackhole(DropMode.REAL_DROPS_REQUIRED));
    createConfigMap(namespace, "during");
    ApiServerInstance answered = read(client);
    long readDone = System.nanoTime();

    EventRecorder.Event down =
        events.await("down " + endpoint(victim), blackholed, Duration.ofSeconds(5));
    System.out.printf(
        "kubernetes-client/java: blackhole of %s detected in %d ms; a call issued at the blackhole"
            + " returned in %d ms from %s%n",
        victim.address().getHostAddress(),
        millis(blackholed, down.nanos()),
        millis(blackholed, readDone),
        answered.address().getHostAddress());
    assertThat(millis(blackholed, down.nanos())).isLessThan(1_500);
    assertThat(millis(blackholed, readDone)).isLessThan(3_000);
    assertThat(answered).isNotEqualTo(victim);
    createConfigMap(namespace, "after");
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.containsAll(Set.of("during", "after")));
  }

  @Test
  void aResetApiserverIsLeftAtOnce(TestInfo test) throws Exception {
    name(test);
    String yaml = kubeconfigYaml(KubeconfigWriter::serverByName);
    FailoverEngine engine = engine(ControlPlaneEngines.config(cp, lightConfig(yaml), events, 0));
    awaitUp(engine, 3);
    ApiClient client = client(yaml, engine);
    ApiServerInstance victim = read(client);

    long reset = System.nanoTime();
    victim.inject(Fault.reset());
    ApiServerInstance answered = read(client);

    assertThat(millis(reset, awaitLeft(engine, victim))).isLessThan(1_000);
    assertThat(answered).isNotEqualTo(victim);
  }

  @Test
  void anIpHostFailsOverAtTheConnectionLevel(TestInfo test) throws Exception {
    name(test);
    ApiServerInstance first = cp.instance(0);
    String yaml = kubeconfigYaml(w -> w.server(first));
    FailoverEngine engine = engine(ControlPlaneEngines.config(cp, lightConfig(yaml), events, 0));
    awaitUp(engine, 3);
    ApiClient client = client(yaml, engine);

    first.inject(Fault.reset());

    for (int i = 0; i < 3; i++) {
      assertThat(read(client)).isNotEqualTo(first);
    }
  }

  @Test
  void theClusterIpOnPort443IsDialledAsTheEndpointsOnTheirPort(TestInfo test) throws Exception {
    name(test);
    String yaml = kubeconfigYaml(w -> w.serverUrl("https://" + cp.clusterIp() + ":443"));
    FailoverEngine engine =
        engine(
            ControlPlaneEngines.config(cp, lightConfig(yaml), events, 0)
                .endpointsFile(endpointsFile(allEndpoints())));
    ApiClient client = client(yaml, engine);

    assertThat(cp.instances()).contains(read(client));
    assertThat(events.texts()).noneMatch(e -> e.startsWith("seed"));
  }

  @Test
  void aNameOnAnotherPortThanTheEndpointsIsDialledToTheirPort(TestInfo test) throws Exception {
    name(test);
    String yaml = kubeconfigYaml(w -> w.serverUrl("https://" + cp.serverName() + ":443"));
    FailoverEngine engine =
        engine(
            ControlPlaneEngines.config(cp, lightConfig(yaml), events, 0)
                .endpointsFile(endpointsFile(allEndpoints())));
    ApiClient client = client(yaml, engine);

    assertThat(cp.instances()).contains(read(client));
  }

  @Test
  void withoutEndpointsConnectionsGoToTheSeed(TestInfo test) throws Exception {
    name(test);
    String yaml = kubeconfigYaml(KubeconfigWriter::serverByName);
    FailoverEngine engine =
        engine(
            ControlPlaneEngines.config(cp, lightConfig(yaml), events, 2)
                .discovery(EndpointDiscovery.none()));
    ApiClient client = client(yaml, engine);

    assertThat(read(client)).isEqualTo(cp.instance(2));
  }

  @Test
  @RequiresRoot(value = "iptables to drop packets", commands = "iptables")
  void afterTheTimeoutWithNothingReachableTheSetIsClearedAndTheSeedTakesOver(TestInfo test)
      throws Exception {
    name(test);
    String yaml = kubeconfigYaml(KubeconfigWriter::serverByName);
    FailoverEngine engine =
        engine(
            ControlPlaneEngines.config(cp, lightConfig(yaml), events, 1)
                .timeout(Duration.ofSeconds(2)));
    awaitUp(engine, 3);
    ApiClient client = client(yaml, engine);
    read(client);

    long blackholed = System.nanoTime();
    cp.instances().forEach(i -> i.inject(Fault.blackhole(DropMode.REAL_DROPS_REQUIRED)));
    events.await("dns TIMEOUT", blackholed, Duration.ofSeconds(10));

    assertThat(engine.endpoints()).isEmpty();
    cp.instance(1).restore();
    client.getHttpClient().connectionPool().evictAll();
    assertThat(read(client)).isEqualTo(cp.instance(1));
  }

  @Test
  void theSameNodeEndpointComesFirst(TestInfo test) throws Exception {
    name(test);
    String yaml = kubeconfigYaml(KubeconfigWriter::serverByName);
    ApiServerInstance local = cp.instance(1);
    FailoverEngine engine =
        engine(
            ControlPlaneEngines.config(cp, lightConfig(yaml), events, 0)
                .environment(Map.of("HOST_IP", local.address().getHostAddress())));
    awaitUp(engine, 3);
    ApiClient client = client(yaml, engine);

    for (int i = 0; i < 3; i++) {
      client.getHttpClient().connectionPool().evictAll();
      assertThat(read(client)).isEqualTo(local);
    }
  }

  @Test
  void theLastWorkingEndpointIsTriedFirst(TestInfo test) throws Exception {
    name(test);
    String yaml = kubeconfigYaml(KubeconfigWriter::serverByName);
    FailoverEngine engine = engine(ControlPlaneEngines.config(cp, lightConfig(yaml), events, 0));
    awaitUp(engine, 3);
    ApiClient client = client(yaml, engine);
    ApiServerInstance first = read(client);
    Endpoint lastWorking =
        engine.endpoints().stream()
            .filter(EndpointStatus::lastWorking)
            .findFirst()
            .orElseThrow()
            .endpoint();
    assertThat(instanceAt(cp, lastWorking)).isEqualTo(first);

    for (int i = 0; i < 4; i++) {
      client.getHttpClient().connectionPool().evictAll();
      assertThat(read(client)).isEqualTo(first);
    }
  }

  @Test
  void whenEveryKnownEndpointFailsTheSeedAddressIsUsed(TestInfo test) throws Exception {
    name(test);
    String yaml = kubeconfigYaml(KubeconfigWriter::serverByName);
    List<Endpoint> stale =
        List.of(
            Endpoint.parse("127.0.0.20:" + cp.port()), Endpoint.parse("127.0.0.21:" + cp.port()));
    FailoverEngine engine =
        engine(
            ControlPlaneEngines.config(cp, lightConfig(yaml), events, 2)
                .discovery(EndpointDiscovery.none())
                .endpointsFile(endpointsFile(stale)));
    ApiClient client = client(yaml, engine);

    assertThat(read(client)).isEqualTo(cp.instance(2));
    events.await(
        "seed " + cp.instance(2).address().getHostAddress() + ":" + cp.port(),
        Duration.ofSeconds(2));
  }

  @Test
  void aGracefulShutdownMovesNewCallsAndTheInformerLosesNothing(TestInfo test) throws Exception {
    name(test);
    String yaml = kubeconfigYaml(KubeconfigWriter::serverByName);
    FailoverEngine engine = engine(ControlPlaneEngines.config(cp, lightConfig(yaml), events, 0));
    awaitUp(engine, 3);
    ApiClient client = client(yaml, engine);
    String namespace = "java-" + NAMESPACES.getAndIncrement();
    Set<String> seen = watchConfigMaps(client, namespace);
    ApiServerInstance leaving = read(client);

    long stop = System.nanoTime();
    var stopped = leaving.stopGracefullyAsync();
    events.await("closed DRAINED " + endpoint(leaving), stop, Duration.ofSeconds(6));
    assertThat(leaving.state()).isEqualTo(ApiServerInstance.State.TERMINATING);
    for (int i = 0; i < 3; i++) {
      assertThat(read(client)).isNotEqualTo(leaving);
    }
    for (int i = 0; i < 5; i++) {
      createConfigMap(namespace, "cm-" + i);
    }
    stopped.get(15, TimeUnit.SECONDS);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> seen.containsAll(Set.of("cm-0", "cm-1", "cm-2", "cm-3", "cm-4")));
  }

  @Test
  void anInformerOnTheResumingListerWatcherLosesAndRepeatsNothingWhenItsApiserverIsReset(
      TestInfo test) throws Exception {
    name(test);
    String yaml = kubeconfigYaml(KubeconfigWriter::serverByName);
    FailoverEngine engine = engine(ControlPlaneEngines.config(cp, lightConfig(yaml), events, 0));
    awaitUp(engine, 3);
    ApiClient client = client(yaml, engine);
    String namespace = "java-" + NAMESPACES.getAndIncrement();
    createConfigMap(namespace, "still");
    createConfigMap(namespace, "hot");
    List<String> delivered = new java.util.concurrent.CopyOnWriteArrayList<>();
    startInformer(
        client,
        namespace,
        true,
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(V1ConfigMap obj) {
            delivered.add("add " + obj.getMetadata().getName());
          }

          @Override
          public void onUpdate(V1ConfigMap oldObj, V1ConfigMap newObj) {
            delivered.add(
                "update "
                    + newObj.getMetadata().getName()
                    + "@"
                    + newObj.getMetadata().getResourceVersion());
          }

          @Override
          public void onDelete(V1ConfigMap obj, boolean deletedFinalStateUnknown) {
            delivered.add("delete " + obj.getMetadata().getName());
          }
        });
    ApiServerInstance victim =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> watchServer(namespace), java.util.Optional::isPresent)
            .orElseThrow();

    victim.inject(Fault.reset());
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      expected.add("update hot@" + updateConfigMap(namespace, "hot", "v" + i));
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> delivered.size() >= 2 + expected.size());
    assertThat(delivered.subList(0, 2)).containsExactlyInAnyOrder("add still", "add hot");
    assertThat(delivered.subList(2, delivered.size())).containsExactlyElementsOf(expected);
    assertThat(watchServer(namespace)).isPresent().get().isNotEqualTo(victim);
    assertThat(
            cp.instances().stream()
                .flatMap(i -> i.requestLog().stream())
                .filter(r -> r.userAgent().equals(userAgent))
                .filter(r -> r.pathAndQuery().contains("/namespaces/" + namespace + "/configmaps"))
                .filter(r -> !r.pathAndQuery().contains("watch=true")))
        .as("the informer listed once, at its start, and resumed its watch after the reset")
        .hasSize(1);
  }

  /** The instance whose latest watch on {@code namespace}'s ConfigMaps came from this test. */
  java.util.Optional<ApiServerInstance> watchServer(String namespace) {
    ApiServerInstance latest = null;
    java.time.Instant latestTime = java.time.Instant.MIN;
    for (ApiServerInstance instance : cp.instances()) {
      for (var r : instance.requestLog()) {
        if (r.userAgent().equals(userAgent)
            && r.status() == 200
            && r.pathAndQuery().contains("/namespaces/" + namespace + "/configmaps")
            && r.pathAndQuery().contains("watch=true")
            && r.time().isAfter(latestTime)) {
          latest = instance;
          latestTime = r.time();
        }
      }
    }
    return java.util.Optional.ofNullable(latest);
  }

  static String updateConfigMap(String namespace, String name, String value) {
    var object = cp.store().get("v1", "ConfigMap", namespace, name).orElseThrow().deepCopy();
    object.withObject("data").put("k", value);
    return cp.store().update(object).path("metadata").path("resourceVersion").asText();
  }

  @Test
  void anApiClientForAnotherServerIsRejected() throws Exception {
    String yaml = kubeconfigYaml(KubeconfigWriter::serverByName);
    FailoverEngine engine =
        engine(
            ControlPlaneEngines.config(cp, lightConfig(yaml), events, 0)
                .discovery(EndpointDiscovery.none()));
    ApiClient other = new ApiClient().setBasePath("https://elsewhere.test:6443");

    assertThatThrownBy(() -> LifelineKubernetesJava.configure(other, engine))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("https://elsewhere.test:6443")
        .hasMessageContaining(cp.serverName());
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
