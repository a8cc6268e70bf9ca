package dev.lifeline.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a fabric8 client does against a three-instance fake, with its configuration coming only from
 * the kubeconfig, as a user's would. Subclasses pick the HTTP backend explicitly.
 */
abstract class Fabric8ClientContract {
  @RegisterExtension
  static final FakeControlPlaneExtension cp = FakeControlPlaneExtension.withInstances(3);

  private KubernetesClient client;

  abstract HttpClient.Factory backend();

  abstract String namespace();

  @BeforeEach
  void connect() {
    cp.store()
        .create(
            "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\""
                + namespace()
                + "\"}}");
    Config config = Config.fromKubeconfig(cp.kubeconfig().server(cp.instance(1)).toYaml());
    client =
        new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(backend()).build();
  }

  @AfterEach
  void disconnect() {
    client.close();
    cp.store().delete("v1", "Namespace", "", namespace());
  }

  private static Pod pod(String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels("app", "web")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("web")
        .withImage("nginx:1.27")
        .endContainer()
        .endSpec()
        .build();
  }

  @Test
  void createsListsAndDeletesPods() {
    Pod created = client.pods().inNamespace(namespace()).resource(pod("web-1")).create();
    client.pods().inNamespace(namespace()).resource(pod("web-2")).create();

    assertThat(created.getMetadata().getUid()).isNotBlank();
    assertThat(created.getMetadata().getResourceVersion()).isNotBlank();
    assertThat(created.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(client.pods().inNamespace(namespace()).withLabel("app", "web").list().getItems())
        .extracting(p -> p.getMetadata().getName())
        .containsExactly("web-1", "web-2");

    client.pods().inNamespace(namespace()).withName("web-1").delete();

    assertThat(client.pods().inNamespace(namespace()).list().getItems())
        .extracting(p -> p.getMetadata().getName())
        .containsExactly("web-2");
    assertThat(client.pods().inNamespace(namespace()).withName("web-1").get()).isNull();
  }

  @Test
  void watchesPodsAsTheyChange() {
    List<String> seen = new CopyOnWriteArrayList<>();
    try (Watch watch =
        client
            .pods()
            .inNamespace(namespace())
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Pod pod) {
                    seen.add(action + " " + pod.getMetadata().getName());
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                })) {
      client.pods().inNamespace(namespace()).resource(pod("w-1")).create();
      client.pods().inNamespace(namespace()).withName("w-1").delete();

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(seen).containsExactly("ADDED w-1", "DELETED w-1"));
      assertThat(watch).isNotNull();
    }
    // fabric8 watches over a WebSocket first, as it does against a real apiserver.
    assertThat(cp.instance(1).requestLog())
        .anySatisfy(
            r -> {
              assertThat(r.status()).isEqualTo(101);
              assertThat(r.pathAndQuery()).contains("watch=true");
            });
  }

  @Test
  void informerSyncsAndFollowsChanges() {
    client.pods().inNamespace(namespace()).resource(pod("i-1")).create();
    List<String> seen = new CopyOnWriteArrayList<>();
    SharedIndexInformer<Pod> informer =
        client
            .pods()
            .inNamespace(namespace())
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Pod obj) {
                    seen.add("add " + obj.getMetadata().getName());
                  }

                  @Override
                  public void onUpdate(Pod oldObj, Pod newObj) {}

                  @Override
                  public void onDelete(Pod obj, boolean deletedFinalStateUnknown) {
                    seen.add("delete " + obj.getMetadata().getName());
                  }
                });
    try {
      await().atMost(Duration.ofSeconds(10)).until(informer::hasSynced);
      client.pods().inNamespace(namespace()).resource(pod("i-2")).create();
      client.pods().inNamespace(namespace()).withName("i-1").delete();
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> assertThat(seen).containsExactly("add i-1", "add i-2", "delete i-1"));
    } finally {
      informer.close();
    }
  }

  @Test
  void readsTheKubernetesEndpointSlice() {
    EndpointSlice slice =
        client
            .discovery()
            .v1()
            .endpointSlices()
            .inNamespace("default")
            .withName("kubernetes")
            .get();

    assertThat(slice.getAddressType()).isEqualTo("IPv4");
    assertThat(slice.getMetadata().getLabels())
        .containsEntry("kubernetes.io/service-name", "kubernetes");
    assertThat(slice.getEndpoints())
        .flatExtracting(Endpoint::getAddresses)
        .containsExactly("127.0.0.2", "127.0.0.3", "127.0.0.4");
    assertThat(slice.getEndpoints()).allMatch(e -> e.getConditions().getReady());
    assertThat(slice.getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("https");
              assertThat(p.getPort()).isEqualTo(cp.port());
            });
  }
}
