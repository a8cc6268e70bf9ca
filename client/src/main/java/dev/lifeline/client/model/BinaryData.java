package dev.lifeline.client.model;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Immutable named byte values (Secret data, ConfigMap binary data). Values are copied in and out,
 * so a caller can wipe its copy; {@link #toString()} names the keys and never shows a value.
 */
public final class BinaryData {
  private static final BinaryData EMPTY = new BinaryData(Map.of());

  private final Map<String, byte[]> values;

  private BinaryData(Map<String, byte[]> values) {
    this.values = values;
  }

  /** No values. */
  public static BinaryData empty() {
    return EMPTY;
  }

  /** A copy of the given values. */
  public static BinaryData of(Map<String, byte[]> values) {
    if (values == null || values.isEmpty()) {
      return EMPTY;
    }
    Map<String, byte[]> copy = new TreeMap<>();
    values.forEach((k, v) -> copy.put(k, v.clone()));
    return new BinaryData(Collections.unmodifiableMap(copy));
  }

  /** UTF-8 encodings of the given strings. */
  public static BinaryData ofStrings(Map<String, String> values) {
    if (values == null || values.isEmpty()) {
      return EMPTY;
    }
    Map<String, byte[]> copy = new TreeMap<>();
    values.forEach((k, v) -> copy.put(k, v.getBytes(StandardCharsets.UTF_8)));
    return new BinaryData(Collections.unmodifiableMap(copy));
  }

  /** The keys. */
  public Set<String> keys() {
    return values.keySet();
  }

  /** Whether there are no values. */
  public boolean isEmpty() {
    return values.isEmpty();
  }

  /** A copy of the value of {@code key}, or null. */
  public byte[] bytes(String key) {
    byte[] v = values.get(key);
    return v == null ? null : v.clone();
  }

  /** The value of {@code key} decoded as UTF-8, or null. */
  public String string(String key) {
    byte[] v = values.get(key);
    return v == null ? null : new String(v, StandardCharsets.UTF_8);
  }

  /** Calls {@code action} with each key and a copy of its value. */
  public void forEach(java.util.function.BiConsumer<String, byte[]> action) {
    values.forEach((k, v) -> action.accept(k, v.clone()));
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof BinaryData)) {
      return false;
    }
    Map<String, byte[]> other = ((BinaryData) o).values;
    if (!values.keySet().equals(other.keySet())) {
      return false;
    }
    for (Map.Entry<String, byte[]> e : values.entrySet()) {
      if (!Arrays.equals(e.getValue(), other.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = 0;
    for (Map.Entry<String, byte[]> e : values.entrySet()) {
      h += e.getKey().hashCode() ^ Arrays.hashCode(e.getValue());
    }
    return h;
  }

  /** The keys only: values may be secret. */
  @Override
  public String toString() {
    return values.keySet().toString();
  }
}
