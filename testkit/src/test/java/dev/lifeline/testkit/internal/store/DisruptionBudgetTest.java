package dev.lifeline.testkit.internal.store;

import static dev.lifeline.testkit.internal.store.StoreFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DisruptionBudgetTest {
  private final StoreFixture f = new StoreFixture(100);

  @ParameterizedTest(name = "{0} over 4 pods, {1} ready -> desired {2}, allowed {3}")
  @CsvSource({
    "'\"minAvailable\":2', 4, 2, 2",
    "'\"minAvailable\":2', 2, 2, 0",
    "'\"minAvailable\":\"50%\"', 3, 2, 1",
    "'\"minAvailable\":\"30%\"', 4, 2, 2",
    "'\"maxUnavailable\":1', 4, 3, 1",
    "'\"maxUnavailable\":1', 3, 3, 0",
    "'\"maxUnavailable\":\"25%\"', 4, 3, 1",
    "'\"maxUnavailable\":\"30%\"', 4, 2, 2",
    "'\"minAvailable\":5', 4, 5, 0"
  })
  void computesWhatTheDisruptionControllerComputes(
      String budget, int ready, int desired, int allowed) {
    List<StoredObject> pods =
        List.of(
            f.pod("a", ready > 0, "app", "web"),
            f.pod("b", ready > 1, "app", "web"),
            f.pod("c", ready > 2, "app", "web"),
            f.pod("d", ready > 3, "app", "web"));
    ObjectNode pdb =
        json("{\"spec\":{" + budget + ",\"selector\":{\"matchLabels\":{\"app\":\"web\"}}}}");

    DisruptionBudget.Status s = DisruptionBudget.compute(pdb, pods);

    assertThat(s.expectedPods()).isEqualTo(4);
    assertThat(s.currentHealthy()).isEqualTo(ready);
    assertThat(s.desiredHealthy()).isEqualTo(desired);
    assertThat(s.disruptionsAllowed()).isEqualTo(allowed);
  }

  @ParameterizedTest(name = "selector {0} covers app=web,tier=fe: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"matchLabels\":{\"app\":\"web\"}} | true",
        "{} | true",
        "{\"matchExpressions\":[{\"key\":\"tier\",\"operator\":\"In\",\"values\":[\"fe\",\"be\"]}]} | true",
        "{\"matchExpressions\":[{\"key\":\"tier\",\"operator\":\"DoesNotExist\"}]} | false",
        "{\"matchLabels\":{\"app\":\"db\"}} | false"
      })
  void selectorsFollowPolicyV1(String selector, boolean covers) {
    StoredObject pod = f.pod("p", true, "app", "web", "tier", "fe");
    assertThat(DisruptionBudget.covers(json("{\"spec\":{\"selector\":" + selector + "}}"), pod))
        .isEqualTo(covers);
  }
}
