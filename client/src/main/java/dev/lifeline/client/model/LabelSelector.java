package dev.lifeline.client.model;

import dev.lifeline.client.internal.json.StringMap;
import java.util.List;
import java.util.Map;

/**
 * A label selector ({@code metav1.LabelSelector}).
 *
 * @param matchLabels labels that must be equal
 * @param matchExpressions requirements that must all hold
 */
public record LabelSelector(Map<String, String> matchLabels, List<Requirement> matchExpressions) {

  /** Checks and copies. */
  public LabelSelector {
    matchLabels = StringMap.copyOf(matchLabels);
    matchExpressions = Pod.copy(matchExpressions);
  }

  /** A selector of equal labels. */
  public static LabelSelector of(Map<String, String> matchLabels) {
    return new LabelSelector(matchLabels, List.of());
  }

  /**
   * A requirement.
   *
   * @param key the label key
   * @param operator In, NotIn, Exists or DoesNotExist
   * @param values the values for In and NotIn
   */
  public record Requirement(String key, String operator, List<String> values) {
    /** Checks and copies. */
    public Requirement {
      values = Pod.copy(values);
    }
  }

  /** Whether the given labels satisfy this selector. */
  public boolean matches(Map<String, String> labels) {
    for (Map.Entry<String, String> e : matchLabels.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    for (Requirement r : matchExpressions) {
      String value = labels.get(r.key());
      boolean ok;
      switch (r.operator()) {
        case "In":
          ok = value != null && r.values().contains(value);
          break;
        case "NotIn":
          ok = value == null || !r.values().contains(value);
          break;
        case "Exists":
          ok = labels.containsKey(r.key());
          break;
        case "DoesNotExist":
          ok = !labels.containsKey(r.key());
          break;
        default:
          ok = false;
      }
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
