package dev.lifeline.client.internal.json;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An immutable JSON object: keys and values in two arrays, in document order. Lookups scan, which
 * is what a JSON object of a few dozen fields wants; there is no hash table per object. Larger
 * objects get an ordinary hash map.
 */
final class JsonObjectMap extends AbstractMap<String, Object> {
  private static final int SCAN_LIMIT = 32;
  private static final JsonObjectMap EMPTY = new JsonObjectMap(new String[0], new Object[0]);

  private final String[] keys;
  private final Object[] values;

  private JsonObjectMap(String[] keys, Object[] values) {
    this.keys = keys;
    this.values = values;
  }

  /** A map of the first {@code n} keys and values (later duplicates replace earlier ones). */
  static Map<String, Object> of(String[] keys, Object[] values, int n) {
    if (n == 0) {
      return EMPTY;
    }
    if (n > SCAN_LIMIT) {
      // Large objects (config data, CRD bodies) get a hash table; scanning would cost too much.
      Map<String, Object> large = new java.util.LinkedHashMap<>(n * 4 / 3 + 1);
      for (int i = 0; i < n; i++) {
        large.put(keys[i], values[i]);
      }
      return java.util.Collections.unmodifiableMap(large);
    }
    String[] k = new String[n];
    Object[] v = new Object[n];
    int size = 0;
    outer:
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < size; j++) {
        if (k[j].equals(keys[i])) {
          v[j] = values[i];
          continue outer;
        }
      }
      k[size] = keys[i];
      v[size] = values[i];
      size++;
    }
    return new JsonObjectMap(
        size == n ? k : Arrays.copyOf(k, size), size == n ? v : Arrays.copyOf(v, size));
  }

  private int indexOf(Object key) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public Object get(Object key) {
    int i = indexOf(key);
    return i < 0 ? null : values[i];
  }

  @Override
  public boolean containsKey(Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  public int size() {
    return keys.length;
  }

  @Override
  public Set<Map.Entry<String, Object>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<String, Object>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < keys.length;
          }

          @Override
          public Map.Entry<String, Object> next() {
            if (next >= keys.length) {
              throw new NoSuchElementException();
            }
            Map.Entry<String, Object> e = new SimpleImmutableEntry<>(keys[next], values[next]);
            next++;
            return e;
          }
        };
      }

      @Override
      public int size() {
        return keys.length;
      }
    };
  }
}
