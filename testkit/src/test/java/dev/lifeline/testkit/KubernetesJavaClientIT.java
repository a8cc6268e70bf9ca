package dev.lifeline.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.reflect.TypeToken;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.DiscoveryV1Api;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EndpointSlice;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodList;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import io.kubernetes.client.util.Watch;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * kubernetes-client/java 27 against a three-instance fake, configured only through a kubeconfig.
 */
class KubernetesJavaClientIT {
  @RegisterExtension
  static final FakeControlPlaneExtension cp = FakeControlPlaneExtension.withInstances(3);

  private static ApiClient client;
  private static CoreV1Api core;

  @BeforeAll
  static void connect() throws Exception {
    cp.store()
        .create("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"java\"}}");
    String kubeconfig =
        cp.kubeconfig()
            .server(cp.instance(2))
            .clientCertificate(KeyAlgorithm.EC_P256, KeyFormat.PKCS8)
            .toYaml();
    client =
        ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(new StringReader(kubeconfig))).build();
    client.setHttpClient(
        client.getHttpClient().newBuilder().readTimeout(0, TimeUnit.SECONDS).build());
    core = new CoreV1Api(client);
  }

  private static V1Pod pod(String name) {
    return new V1Pod()
        .metadata(new V1ObjectMeta().name(name).labels(Map.of("app", "api")))
        .spec(
            new V1PodSpec().containers(List.of(new V1Container().name("c").image("busybox:1.36"))));
  }

  @Test
  void createsListsAndDeletesPods() throws ApiException {
    V1Pod created = core.createNamespacedPod("java", pod("j-1")).execute();
    core.createNamespacedPod("java", pod("j-2")).execute();

    assertThat(created.getMetadata().getUid()).isNotBlank();
    V1PodList list = core.listNamespacedPod("java").labelSelector("app=api").execute();
    assertThat(list.getItems())
        .extracting(p -> p.getMetadata().getName())
        .containsExactly("j-1", "j-2");

    core.deleteNamespacedPod("j-1", "java").execute();
    core.deleteNamespacedPod("j-2", "java").execute();

    assertThat(core.listNamespacedPod("java").execute().getItems()).isEmpty();
    assertThat(cp.instance(2).requestLog())
        .allSatisfy(r -> assertThat(r.protocol()).isEqualTo("h2"));
  }

  @Test
  void watchesPodsFromAListedVersion() throws Exception {
    String rv = core.listNamespacedPod("java").execute().getMetadata().getResourceVersion();
    core.createNamespacedPod("java", pod("w-1")).execute();
    core.deleteNamespacedPod("w-1", "java").execute();

    List<String> seen = new ArrayList<>();
    try (Watch<V1Pod> watch =
        Watch.createWatch(
            client,
            core.listNamespacedPod("java")
                .watch(true)
                .resourceVersion(rv)
                .timeoutSeconds(1)
                .buildCall(null),
            new TypeToken<Watch.Response<V1Pod>>() {}.getType())) {
      for (Watch.Response<V1Pod> event : watch) {
        seen.add(event.type + " " + event.object.getMetadata().getName());
      }
    }

    assertThat(seen).containsExactly("ADDED w-1", "DELETED w-1");
  }

  @Test
  void readsTheKubernetesEndpointSlice() throws ApiException {
    V1EndpointSlice slice =
        new DiscoveryV1Api(client).readNamespacedEndpointSlice("kubernetes", "default").execute();

    assertThat(slice.getAddressType()).isEqualTo("IPv4");
    assertThat(slice.getEndpoints())
        .flatExtracting(e -> e.getAddresses())
        .containsExactly("127.0.0.2", "127.0.0.3", "127.0.0.4");
    assertThat(slice.getPorts().get(0).getPort()).isEqualTo(cp.port());
  }
}
