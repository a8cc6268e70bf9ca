package dev.lifeline.fabric8;

import static dev.lifeline.failover.it.ControlPlaneEngines.awaitUp;
import static dev.lifeline.failover.it.ControlPlaneEngines.endpoint;
import static dev.lifeline.failover.it.ControlPlaneEngines.millis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeline.client.KubeConfig;
import dev.lifeline.failover.FailoverEngine;
import dev.lifeline.failover.it.ControlPlaneEngines;
import dev.lifeline.failover.it.EventRecorder;
import dev.lifeline.testkit.ApiServerInstance;
import dev.lifeline.testkit.DropMode;
import dev.lifeline.testkit.FakeControlPlaneExtension;
import dev.lifeline.testkit.Fault;
import dev.lifeline.testkit.KubeconfigWriter;
import dev.lifeline.testkit.RequestRecord;
import dev.lifeline.testkit.RequiresRoot;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.okhttp.OkHttpClientFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * fabric8 against three fake apiservers: the OkHttp backend at the connection level (eviction, IP
 * host, draining), the JDK backend at the name level.
 */
class Fabric8FailoverIT {
  @RegisterExtension static final FakeControlPlaneExtension cp = ControlPlaneEngines.controlPlane();
  private static final String NAMESPACE = "fabric8-failover";

  @TempDir Path dir;
  final EventRecorder events = new EventRecorder();
  final List<AutoCloseable> resources = new ArrayList<>();

  @BeforeAll
  static void namespace() {
    cp.store()
        .create(
            "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\""
                + NAMESPACE
                + "\"}}");
  }

  @AfterEach
  void close() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  KubernetesClient client(UnaryOperator<KubeconfigWriter> server, HttpClient.Factory backend) {
    ControlPlaneEngines.awaitAllListed(cp);
    String yaml = server.apply(cp.kubeconfig()).toYaml();
    KubeConfig light = ControlPlaneEngines.kubeConfig(cp, dir, server);
    FailoverEngine engine =
        FailoverEngine.start(ControlPlaneEngines.config(cp, light, events, 0).build());
    resources.add(engine);
    awaitUp(engine, 3);
    KubernetesClient client =
        LifelineFabric8.clientBuilder(engine, Config.fromKubeconfig(yaml), backend).build();
    resources.add(client);
    return client;
  }

  /** A read of a unique name, and the instance that answered it. */
  static ApiServerInstance read(KubernetesClient client) {
    String name = "probe-" + UUID.randomUUID();
    client.configMaps().inNamespace(NAMESPACE).withName(name).get();
    return cp.instances().stream()
        .filter(i -> i.requestLog().stream().anyMatch(r -> r.pathAndQuery().contains(name)))
        .max(
            Comparator.comparing(
                i ->
                    i.requestLog().stream()
                        .filter(r -> r.pathAndQuery().contains(name))
                        .map(RequestRecord::time)
                        .max(Comparator.naturalOrder())
                        .orElseThrow()))
        .orElseThrow(() -> new AssertionError("no instance logged the read of " + name));
  }

  static void createConfigMap(String name) {
    cp.store()
        .create(
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
                + name
                + "\",\"namespace\":\""
                + NAMESPACE
                + "\"},\"data\":{\"k\":\"v\"}}");
  }

  @Test
  @RequiresRoot(value = "iptables to drop packets", commands = "iptables")
  void withTheOkHttpBackendABlackholedApiserverCostsUnderASecondAndTheInformerLosesNothing() {
    KubernetesClient client = client(KubeconfigWriter::serverByName, new OkHttpClientFactory());
    Set<String> seen = ConcurrentHashMap.newKeySet();
    var informer =
        client
            .configMaps()
            .inNamespace(NAMESPACE)
            .inform(
                new ResourceEventHandler<ConfigMap>() {
                  @Override
                  public void onAdd(ConfigMap obj) {
                    seen.add(obj.getMetadata().getName());
                  }

                  @Override
                  public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {}

                  @Override
                  public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {}
                });
    resources.add(informer::close);
    ApiServerInstance victim = read(client);

    long blackholed = System.nanoTime();
    victim.inject(Fault.blackhole(DropMode.REAL_DROPS_REQUIRED));
    String during = "during-" + UUID.randomUUID();
    createConfigMap(during);
    ApiServerInstance answered = read(client);
    long readDone = System.nanoTime();

    EventRecorder.Event down =
        events.await("down " + endpoint(victim), blackholed, Duration.ofSeconds(5));
    System.out.printf(
        "fabric8 (OkHttp): blackhole of %s detected in %d ms; a read issued at the blackhole"
            + " returned in %d ms from %s%n",
        victim.address().getHostAddress(),
        millis(blackholed, down.nanos()),
        millis(blackholed, readDone),
        answered.address().getHostAddress());
    assertThat(millis(blackholed, down.nanos())).isLessThan(1_500);
    assertThat(millis(blackholed, readDone)).isLessThan(3_000);
    assertThat(answered).isNotEqualTo(victim);
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains(during));
  }

  @Test
  void withTheOkHttpBackendAnIpHostFailsOver() {
    ApiServerInstance first = cp.instance(0);
    KubernetesClient client = client(w -> w.server(first), new OkHttpClientFactory());

    first.inject(Fault.reset());

    for (int i = 0; i < 3; i++) {
      assertThat(read(client)).isNotEqualTo(first);
    }
  }

  @Test
  void withTheOkHttpBackendNewCallsMoveDuringAGracefulShutdown() throws Exception {
    KubernetesClient client = client(KubeconfigWriter::serverByName, new OkHttpClientFactory());
    ApiServerInstance leaving = read(client);

    long stop = System.nanoTime();
    var stopped = leaving.stopGracefullyAsync();
    events.await("closed DRAINED " + endpoint(leaving), stop, Duration.ofSeconds(6));

    assertThat(leaving.state()).isEqualTo(ApiServerInstance.State.TERMINATING);
    for (int i = 0; i < 3; i++) {
      assertThat(read(client)).isNotEqualTo(leaving);
    }
    stopped.get(15, TimeUnit.SECONDS);
  }

  @Test
  @RequiresRoot(value = "iptables to drop packets", commands = "iptables")
  void withTheJdkBackendNewClientsAvoidABlackholedApiserver() {
    UnaryOperator<KubeconfigWriter> localhost = w -> w.serverUrl("https://localhost:" + cp.port());
    KubernetesClient client = client(localhost, new JdkHttpClientFactory());
    ApiServerInstance victim = read(client);

    long blackholed = System.nanoTime();
    victim.inject(Fault.blackhole(DropMode.REAL_DROPS_REQUIRED));
    events.await("down " + endpoint(victim), blackholed, Duration.ofSeconds(5));

    // Name level: the first client's pooled connection is not evicted; a new client's is new.
    KubernetesClient fresh =
        LifelineFabric8.clientBuilder(
                (FailoverEngine) resources.get(0),
                Config.fromKubeconfig(localhost.apply(cp.kubeconfig()).toYaml()),
                new JdkHttpClientFactory())
            .build();
    resources.add(fresh);
    assertThat(read(fresh)).isNotEqualTo(victim);
  }
}
