package dev.lifeline.dnscheck;

import java.util.Locale;

/**
 * The transport a DNS probe uses. Clients use UDP first; TCP carries large answers and zone data.
 */
public enum Transport {
  UDP,
  TCP;

  /** The lower-case name used in flags, JSON and metric labels. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code udp} or {@code tcp} (any case).
   *
   * @throws IllegalArgumentException naming the value when it is neither
   */
  public static Transport parse(String value) {
    for (Transport t : values()) {
      if (t.label().equalsIgnoreCase(value.strip())) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "transport was '" + value + "'; use udp or tcp (or both, separated by a comma)");
  }
}
