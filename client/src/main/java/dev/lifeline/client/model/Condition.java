package dev.lifeline.client.model;

import java.time.Instant;

/**
 * A status condition (pods, PodDisruptionBudgets, and {@code metav1.Condition}).
 *
 * @param type the condition type, e.g. {@code Ready}
 * @param status {@code True}, {@code False} or {@code Unknown}
 * @param reason a machine-readable reason, or null
 * @param message a human-readable message, or null
 * @param lastTransitionTime when the status last changed, or null
 */
public record Condition(
    String type, String status, String reason, String message, Instant lastTransitionTime) {

  /** A condition of the given type and status. */
  public static Condition of(String type, boolean status) {
    return new Condition(type, status ? "True" : "False", null, null, null);
  }

  /** Whether the status is {@code True}. */
  public boolean isTrue() {
    return "True".equals(status);
  }
}
