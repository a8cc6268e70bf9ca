package dev.lifeline.testkit.internal.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeline.testkit.internal.api.Json;
import dev.lifeline.testkit.internal.api.ResourceRegistry;
import dev.lifeline.testkit.internal.api.ResourceType;
import dev.lifeline.testkit.internal.store.ObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EndpointReconcilerTest {
  /** A clock tests move by hand. */
  static final class ManualClock extends Clock {
    private Instant now = Instant.parse("2025-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final ManualClock clock = new ManualClock();
  private final ObjectStore store =
      new ObjectStore(ResourceRegistry.standard(), clock, 100, "10.96.0.0/12", new Random(1));
  private final EndpointReconciler reconciler =
      new EndpointReconciler(store, clock, Duration.ofSeconds(15), 6443, "10.96.0.1");

  EndpointReconcilerTest() {
    ResourceType ns = store.registry().byKind("v1", "Namespace").orElseThrow();
    ObjectNode n = Json.object();
    n.putObject("metadata").put("name", "default");
    store.create(ns, "", n, true);
  }

  private List<String> sliceAddresses() {
    ResourceType slices =
        store.registry().byKind("discovery.k8s.io/v1", "EndpointSlice").orElseThrow();
    List<String> out = new ArrayList<>();
    store
        .get(slices, "default", "kubernetes")
        .orElseThrow()
        .toTree()
        .path("endpoints")
        .forEach(e -> out.add(e.path("addresses").get(0).asText()));
    return out;
  }

  private ObjectNode endpoints() {
    ResourceType eps = store.registry().byKind("v1", "Endpoints").orElseThrow();
    return store.get(eps, "default", "kubernetes").orElseThrow().toTree();
  }

  @Test
  void eachRenewingInstanceAppearsSortedWithThePortNamedHttps() {
    reconciler.renewAndReconcile("127.0.0.3");
    reconciler.renewAndReconcile("127.0.0.2");

    assertThat(sliceAddresses()).containsExactly("127.0.0.2", "127.0.0.3");
    ObjectNode ep = endpoints();
    assertThat(ep.at("/metadata/labels/endpointslice.kubernetes.io~1skip-mirror").asText())
        .isEqualTo("true");
    assertThat(ep.at("/subsets/0/ports/0").toString())
        .isEqualTo("{\"name\":\"https\",\"port\":6443,\"protocol\":\"TCP\"}");
    assertThat(
            store.get(
                store.registry().byKind("v1", "Service").orElseThrow(), "default", "kubernetes"))
        .hasValueSatisfying(
            s -> assertThat(s.toTree().at("/spec/clusterIP").asText()).isEqualTo("10.96.0.1"));
  }

  @Test
  void anInstanceThatStopsRenewingLeavesWhenItsLeaseExpiresAndAnotherReconciles() {
    reconciler.renewAndReconcile("127.0.0.2");
    reconciler.renewAndReconcile("127.0.0.3");

    clock.advance(Duration.ofSeconds(10));
    reconciler.renewAndReconcile("127.0.0.2");
    assertThat(sliceAddresses()).containsExactly("127.0.0.2", "127.0.0.3");

    clock.advance(Duration.ofSeconds(6));
    reconciler.renewAndReconcile("127.0.0.2");
    assertThat(sliceAddresses()).containsExactly("127.0.0.2");
  }

  @Test
  void aRemovedLeaseLeavesAtOnceButTheLastAddressIsNeverErased() {
    reconciler.renewAndReconcile("127.0.0.2");
    reconciler.renewAndReconcile("127.0.0.3");
    reconciler.removeAndReconcile("127.0.0.3");
    assertThat(sliceAddresses()).containsExactly("127.0.0.2");

    reconciler.removeAndReconcile("127.0.0.2");
    assertThat(sliceAddresses()).containsExactly("127.0.0.2");
  }

  @Test
  void anUnchangedSetWritesNothing() {
    reconciler.renewAndReconcile("127.0.0.2");
    long rv = store.resourceVersion();
    reconciler.renewAndReconcile("127.0.0.2");
    assertThat(store.resourceVersion()).isEqualTo(rv);
  }
}
