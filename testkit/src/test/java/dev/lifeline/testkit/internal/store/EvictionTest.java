package dev.lifeline.testkit.internal.store;

import static dev.lifeline.testkit.internal.store.StoreFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.testkit.KubeApiException;
import org.junit.jupiter.api.Test;

class EvictionTest {
  private final StoreFixture f = new StoreFixture(100);
  private final Eviction eviction = new Eviction(f.store);

  private void budget(String spec) {
    f.store.create(
        f.pdbs,
        "default",
        json(
            "{\"metadata\":{\"name\":\"web-pdb\"},\"spec\":{"
                + spec
                + ",\"selector\":{\"matchLabels\":{\"app\":\"web\"}}}}"),
        true);
  }

  @Test
  void evictsWhileTheBudgetAllowsAndThenRefusesWith429() {
    f.pod("a", true, "app", "web");
    f.pod("b", true, "app", "web");
    f.pod("c", true, "app", "web");
    budget("\"minAvailable\":2");

    eviction.evict("default", "a", json("{\"metadata\":{\"name\":\"a\"}}"));

    assertThat(f.store.get(f.pods, "default", "a")).isEmpty();
    assertThat(
            f.store
                .get(f.pdbs, "default", "web-pdb")
                .orElseThrow()
                .toTree()
                .at("/status/disruptedPods/a")
                .isTextual())
        .isTrue();
    assertThatThrownBy(() -> eviction.evict("default", "b", json("{}")))
        .isInstanceOfSatisfying(
            KubeApiException.class,
            e -> {
              assertThat(e.code()).isEqualTo(429);
              assertThat(e.reason()).isEqualTo("TooManyRequests");
              assertThat(e.getMessage())
                  .isEqualTo("Cannot evict pod as it would violate the pod's disruption budget.");
              assertThat(e.status().at("/details/causes/0/reason").asText())
                  .isEqualTo("DisruptionBudget");
              assertThat(e.status().at("/details/causes/0/message").asText())
                  .isEqualTo(
                      "The disruption budget web-pdb needs 2 healthy pods and has 2 currently");
              assertThat(e.status().at("/details/retryAfterSeconds").isMissingNode()).isTrue();
            });
    assertThat(f.store.get(f.pods, "default", "b")).isPresent();
  }

  @Test
  void podsWithoutABudgetAndPendingPodsAreEvictedFreely() {
    f.pod("x", true, "app", "other");
    budget("\"minAvailable\":5");
    eviction.evict("default", "x", json("{}"));
    assertThat(f.store.get(f.pods, "default", "x")).isEmpty();
  }

  @Test
  void anUnhealthyPodMayGoWhenTheBudgetIsMetWithoutIt() {
    f.pod("a", true, "app", "web");
    f.pod("b", true, "app", "web");
    f.pod("sick", false, "app", "web");
    budget("\"minAvailable\":2");
    eviction.evict("default", "sick", json("{}"));
    assertThat(f.store.get(f.pods, "default", "sick")).isEmpty();
  }

  @Test
  void twoBudgetsForOnePodAreAnInternalError() {
    f.pod("a", true, "app", "web");
    budget("\"minAvailable\":0");
    f.store.create(
        f.pdbs,
        "default",
        json("{\"metadata\":{\"name\":\"second\"},\"spec\":{\"minAvailable\":0,\"selector\":{}}}"),
        true);
    assertThatThrownBy(() -> eviction.evict("default", "a", json("{}")))
        .isInstanceOfSatisfying(KubeApiException.class, e -> assertThat(e.code()).isEqualTo(500))
        .hasMessageContaining("more than one PodDisruptionBudget");
  }

  @Test
  void aMissingPodIsNotFoundAndAMismatchedNameABadRequest() {
    assertThatThrownBy(() -> eviction.evict("default", "nope", json("{}")))
        .hasMessage("pods \"nope\" not found");
    f.pod("a", true);
    assertThatThrownBy(
            () -> eviction.evict("default", "a", json("{\"metadata\":{\"name\":\"b\"}}")))
        .hasMessage("name in URL does not match name in Eviction object");
  }
}
