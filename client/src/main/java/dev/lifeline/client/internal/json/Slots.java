package dev.lifeline.client.internal.json;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The values read for one JSON object, by slot, handed to the factory that builds the immutable
 * model.
 */
public final class Slots {
  private final Object[] values;

  Slots(Object[] values) {
    this.values = values;
  }

  /** The string in a slot, or null. */
  public String str(int slot) {
    return (String) values[slot];
  }

  /** The integer in a slot, or null. */
  public Integer integer(int slot) {
    return (Integer) values[slot];
  }

  /** The integer in a slot, or {@code absent}. */
  public int intOr(int slot, int absent) {
    Integer v = (Integer) values[slot];
    return v == null ? absent : v;
  }

  /** The long in a slot, or {@code absent}. */
  public long longOr(int slot, long absent) {
    Object v = values[slot];
    return v == null ? absent : ((Number) v).longValue();
  }

  /** The boolean in a slot, or null. */
  public Boolean bool(int slot) {
    return (Boolean) values[slot];
  }

  /** The boolean in a slot, false when absent. */
  public boolean flag(int slot) {
    return Boolean.TRUE.equals(values[slot]);
  }

  /** The time in a slot, or null. */
  public Instant instant(int slot) {
    return (Instant) values[slot];
  }

  /** The list in a slot, empty when absent. */
  @SuppressWarnings("unchecked")
  public <T> List<T> list(int slot) {
    Object v = values[slot];
    return v == null ? List.of() : (List<T>) v;
  }

  /** The string map in a slot, empty when absent. */
  @SuppressWarnings("unchecked")
  public Map<String, String> map(int slot) {
    Object v = values[slot];
    return v == null ? StringMap.EMPTY : (Map<String, String>) v;
  }

  /** The value in a slot, of the type its field declared, or null. */
  @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"})
  public <T> T get(int slot) {
    return (T) values[slot];
  }
}
