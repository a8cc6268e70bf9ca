package dev.lifeline.dnscheck;

import java.util.Locale;

/** How a failing DNS pod is restarted. */
public enum RestartMethod {
  /** The Eviction API: a PodDisruptionBudget that forbids the disruption is honoured. */
  EVICT,
  /** Deleting the pod: ignores PodDisruptionBudgets; only when configured. */
  DELETE;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code evict} or {@code delete}.
   *
   * @throws IllegalArgumentException naming the value
   */
  public static RestartMethod parse(String value) {
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "evict" -> EVICT;
      case "delete" -> DELETE;
      default ->
          throw new IllegalArgumentException(
              "restart-method was '" + value + "'; use evict or delete");
    };
  }
}
