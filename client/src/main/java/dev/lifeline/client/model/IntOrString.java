package dev.lifeline.client.model;

import java.util.Objects;

/**
 * A value that is either an integer or a string ({@code intstr.IntOrString}): a port number or
 * name, a count or a percentage. Immutable.
 */
public final class IntOrString {
  private final Integer intValue;
  private final String stringValue;

  private IntOrString(Integer intValue, String stringValue) {
    this.intValue = intValue;
    this.stringValue = stringValue;
  }

  /** An integer value. */
  public static IntOrString of(int value) {
    return new IntOrString(value, null);
  }

  /** A string value (a port name or a percentage such as {@code "50%"}). */
  public static IntOrString of(String value) {
    return new IntOrString(null, Objects.requireNonNull(value, "value"));
  }

  /** Whether this is an integer. */
  public boolean isInt() {
    return intValue != null;
  }

  /**
   * The integer value.
   *
   * @throws IllegalStateException when this is a string
   */
  public int intValue() {
    if (intValue == null) {
      throw new IllegalStateException("not an integer: \"" + stringValue + "\"");
    }
    return intValue;
  }

  /** The string value, or the integer in decimal. */
  public String stringValue() {
    return intValue != null ? intValue.toString() : stringValue;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IntOrString
        && Objects.equals(intValue, ((IntOrString) o).intValue)
        && Objects.equals(stringValue, ((IntOrString) o).stringValue);
  }

  @Override
  public int hashCode() {
    return Objects.hash(intValue, stringValue);
  }

  @Override
  public String toString() {
    return intValue != null ? intValue.toString() : '"' + stringValue + '"';
  }
}
