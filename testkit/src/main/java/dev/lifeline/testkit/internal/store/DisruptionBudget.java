package dev.lifeline.testkit.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeline.testkit.internal.selector.LabelSelector;
import dev.lifeline.testkit.internal.selector.LabelSelector.Operator;
import dev.lifeline.testkit.internal.selector.LabelSelector.Requirement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The arithmetic of a PodDisruptionBudget as the disruption controller computes it, over the pods
 * its selector matches: expected pods, healthy (Ready) pods, desired healthy pods and the
 * disruptions allowed.
 *
 * <p>Simplification: the expected count is the number of matching pods for every form of the budget
 * (the real controller asks the pods' controllers for their scale when the budget is a percentage
 * or maxUnavailable).
 */
public final class DisruptionBudget {
  private DisruptionBudget() {}

  /**
   * The computed status.
   *
   * @param expectedPods pods the budget covers
   * @param currentHealthy covered pods that are Ready
   * @param desiredHealthy pods that must stay Ready
   * @param disruptionsAllowed evictions allowed now
   */
  public record Status(
      int expectedPods, int currentHealthy, int desiredHealthy, int disruptionsAllowed) {}

  /**
   * The label selector of a budget: a missing selector selects nothing, an empty one selects every
   * pod in the namespace (policy/v1 semantics). Returns null for "nothing".
   */
  public static LabelSelector selector(JsonNode pdb) {
    JsonNode sel = pdb.path("spec").path("selector");
    if (sel.isMissingNode() || sel.isNull()) {
      return null;
    }
    List<Requirement> reqs = new ArrayList<>();
    Map<String, String> matchLabels = new LinkedHashMap<>();
    sel.path("matchLabels")
        .properties()
        .forEach(e -> matchLabels.put(e.getKey(), e.getValue().asText()));
    matchLabels.forEach((k, v) -> reqs.add(new Requirement(k, Operator.EQUALS, List.of(v))));
    for (JsonNode expr : sel.path("matchExpressions")) {
      String key = expr.path("key").asText();
      List<String> values = new ArrayList<>();
      expr.path("values").forEach(v -> values.add(v.asText()));
      Operator op =
          switch (expr.path("operator").asText()) {
            case "In" -> Operator.IN;
            case "NotIn" -> Operator.NOT_IN;
            case "Exists" -> Operator.EXISTS;
            case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
            default -> null;
          };
      if (op == null) {
        return null;
      }
      reqs.add(new Requirement(key, op, List.copyOf(values)));
    }
    return LabelSelector.of(reqs);
  }

  /** Whether the budget covers a pod. */
  public static boolean covers(JsonNode pdb, StoredObject pod) {
    LabelSelector s = selector(pdb);
    return s != null && s.matches(pod.labels());
  }

  /**
   * Computes the status of a budget.
   *
   * @param pdb the budget
   * @param coveredPods the pods its selector matches
   */
  public static Status compute(JsonNode pdb, List<StoredObject> coveredPods) {
    int expected = coveredPods.size();
    int healthy = 0;
    for (StoredObject p : coveredPods) {
      if (p.isReady()) {
        healthy++;
      }
    }
    JsonNode spec = pdb.path("spec");
    int desired;
    if (spec.hasNonNull("maxUnavailable")) {
      int maxUnavailable = scaled(spec.get("maxUnavailable"), expected);
      desired = Math.max(0, expected - maxUnavailable);
    } else if (spec.hasNonNull("minAvailable")) {
      desired = scaled(spec.get("minAvailable"), expected);
    } else {
      desired = 0;
    }
    int allowed = Math.max(0, healthy - desired);
    return new Status(expected, healthy, desired, allowed);
  }

  /**
   * An int-or-percent scaled to a total, rounding up as {@code GetScaledValueFromIntOrPercent(...,
   * true)}.
   */
  public static int scaled(JsonNode intOrPercent, int total) {
    if (intOrPercent.isNumber()) {
      return intOrPercent.asInt();
    }
    String s = intOrPercent.asText().trim();
    if (s.endsWith("%")) {
      int percent = Integer.parseInt(s.substring(0, s.length() - 1));
      return (int) Math.ceil(percent * (double) total / 100.0);
    }
    return Integer.parseInt(s);
  }
}
