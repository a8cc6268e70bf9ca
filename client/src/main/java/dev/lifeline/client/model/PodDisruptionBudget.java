package dev.lifeline.client.model;

import java.util.List;
import java.util.Objects;

/**
 * A PodDisruptionBudget ({@code policy/v1}): how many pods of a set may be down for voluntary
 * disruptions such as evictions.
 *
 * @param metadata the metadata
 * @param minAvailable {@code spec.minAvailable}, a count or percentage, or null
 * @param maxUnavailable {@code spec.maxUnavailable}, a count or percentage, or null
 * @param selector {@code spec.selector}
 * @param unhealthyPodEvictionPolicy {@code spec.unhealthyPodEvictionPolicy}, or null
 * @param currentHealthy {@code status.currentHealthy}
 * @param desiredHealthy {@code status.desiredHealthy}
 * @param disruptionsAllowed {@code status.disruptionsAllowed}
 * @param expectedPods {@code status.expectedPods}
 * @param observedGeneration {@code status.observedGeneration}
 * @param conditions {@code status.conditions}
 */
public record PodDisruptionBudget(
    ObjectMeta metadata,
    IntOrString minAvailable,
    IntOrString maxUnavailable,
    LabelSelector selector,
    String unhealthyPodEvictionPolicy,
    int currentHealthy,
    int desiredHealthy,
    int disruptionsAllowed,
    int expectedPods,
    long observedGeneration,
    List<Condition> conditions)
    implements KubeObject {

  /** Checks and copies. */
  public PodDisruptionBudget {
    metadata = Objects.requireNonNullElse(metadata, ObjectMeta.empty());
    conditions = Pod.copy(conditions);
  }

  /** A budget to create: the selector and either a minimum available or a maximum unavailable. */
  public static PodDisruptionBudget of(
      ObjectMeta metadata,
      LabelSelector selector,
      IntOrString minAvailable,
      IntOrString maxUnavailable) {
    return new PodDisruptionBudget(
        metadata, minAvailable, maxUnavailable, selector, null, 0, 0, 0, 0, 0, List.of());
  }
}
