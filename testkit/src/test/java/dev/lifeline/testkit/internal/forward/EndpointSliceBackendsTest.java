package dev.lifeline.testkit.internal.forward;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeline.testkit.internal.api.Json;
import dev.lifeline.testkit.internal.api.ResourceRegistry;
import dev.lifeline.testkit.internal.api.ResourceType;
import dev.lifeline.testkit.internal.store.ObjectStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EndpointSliceBackendsTest {
  private final ObjectStore store =
      new ObjectStore(
          ResourceRegistry.standard(), Clock.systemUTC(), 100, "10.96.0.0/12", new Random(1));
  private final ResourceType slices =
      store.registry().byKind("discovery.k8s.io/v1", "EndpointSlice").orElseThrow();
  private final EndpointSliceBackends backends =
      new EndpointSliceBackends(store, "default", "kubernetes", "https");

  EndpointSliceBackendsTest() {
    store.create(
        store.registry().byKind("v1", "Namespace").orElseThrow(),
        "",
        json("{\"metadata\":{\"name\":\"default\"}}"),
        true);
  }

  private static ObjectNode json(String s) {
    try {
      return (ObjectNode) Json.parse(s.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void slice(String name, String service, String endpoints, String ports) {
    store.create(
        slices,
        "default",
        json(
            "{\"metadata\":{\"name\":\""
                + name
                + "\",\"labels\":{\"kubernetes.io/service-name\":\""
                + service
                + "\"}},\"addressType\":\"IPv4\",\"endpoints\":["
                + endpoints
                + "],\"ports\":["
                + ports
                + "]}"),
        true);
  }

  private static final String HTTPS = "{\"name\":\"https\",\"port\":6443,\"protocol\":\"TCP\"}";

  @Test
  void readyEndpointsOfEverySliceOfTheServiceAreChosenAtTheNamedPort() {
    slice(
        "kubernetes",
        "kubernetes",
        "{\"addresses\":[\"127.0.0.2\"],\"conditions\":{\"ready\":true}},"
            + "{\"addresses\":[\"127.0.0.3\"]},"
            + "{\"addresses\":[\"127.0.0.4\"],\"conditions\":{\"ready\":false}}",
        "{\"name\":\"other\",\"port\":1,\"protocol\":\"TCP\"}," + HTTPS);
    slice(
        "kubernetes-extra",
        "kubernetes",
        "{\"addresses\":[\"127.0.0.5\"],\"conditions\":{\"ready\":true}}",
        HTTPS);
    slice(
        "unrelated",
        "web",
        "{\"addresses\":[\"127.0.0.9\"],\"conditions\":{\"ready\":true}}",
        HTTPS);

    assertThat(backends.endpoints())
        .containsExactlyInAnyOrder(
            new InetSocketAddress("127.0.0.2", 6443),
            new InetSocketAddress("127.0.0.3", 6443),
            new InetSocketAddress("127.0.0.5", 6443));
    Set<InetSocketAddress> picked = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      picked.add(backends.pick().orElseThrow());
    }
    assertThat(picked).containsExactlyInAnyOrderElementsOf(backends.endpoints());
  }

  @Test
  void withoutReadyEndpointsServingTerminatingOnesAreUsed() {
    slice(
        "kubernetes",
        "kubernetes",
        "{\"addresses\":[\"127.0.0.2\"],\"conditions\":{\"ready\":false,\"serving\":true,"
            + "\"terminating\":true}},"
            + "{\"addresses\":[\"127.0.0.3\"],\"conditions\":{\"ready\":false,\"serving\":false,"
            + "\"terminating\":true}}",
        HTTPS);

    assertThat(backends.endpoints()).containsExactly(new InetSocketAddress("127.0.0.2", 6443));
  }

  @Test
  void withoutEndpointsThereIsNoBackend() {
    slice("kubernetes", "kubernetes", "", HTTPS);

    assertThat(backends.pick()).isEmpty();
  }
}
