package dev.lifeline.client.internal.json;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable {@code Map<String, String>} held as one array of keys and values sorted by key:
 * labels, annotations, selectors and config data without a hash table or an entry object per pair.
 *
 * <p>Lookups are binary searches, which beats hashing for the handful of labels an object carries.
 * Iteration is in key order. Null keys and values are refused.
 */
public final class StringMap extends AbstractMap<String, String> {
  private static final String[] NONE = new String[0];

  /** The empty map. */
  public static final StringMap EMPTY = new StringMap(NONE);

  /** Keys at even indexes, each followed by its value; sorted by key, keys unique. */
  private final String[] pairs;

  private StringMap(String[] pairs) {
    this.pairs = pairs;
  }

  /** A map of the given map's entries (returned as is when it already is a {@code StringMap}). */
  public static StringMap copyOf(Map<String, String> map) {
    if (map instanceof StringMap) {
      return (StringMap) map;
    }
    if (map == null || map.isEmpty()) {
      return EMPTY;
    }
    String[] pairs = new String[map.size() * 2];
    int i = 0;
    for (Map.Entry<String, String> e : map.entrySet()) {
      pairs[i++] = Objects.requireNonNull(e.getKey(), "map key");
      pairs[i++] = Objects.requireNonNull(e.getValue(), () -> "value of " + e.getKey());
    }
    return ofPairs(pairs, i);
  }

  /**
   * A map of the first {@code length} elements of {@code pairs} (key, value, key, value...), which
   * it takes over and sorts. When a key repeats, the last value wins, as in a JSON object read by
   * most decoders.
   */
  public static StringMap ofPairs(String[] pairs, int length) {
    if (length == 0) {
      return EMPTY;
    }
    int n = length / 2;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    // Stable sort so that, for repeated keys, the later pair sorts after the earlier one.
    Arrays.sort(order, (a, b) -> pairs[2 * a].compareTo(pairs[2 * b]));
    String[] sorted = new String[length];
    int out = 0;
    for (Integer index : order) {
      String key = pairs[2 * index];
      String value = pairs[2 * index + 1];
      if (out > 0 && sorted[out - 2].equals(key)) {
        sorted[out - 1] = value;
      } else {
        sorted[out++] = key;
        sorted[out++] = value;
      }
    }
    return new StringMap(out == length ? sorted : Arrays.copyOf(sorted, out));
  }

  private int indexOf(Object key) {
    if (!(key instanceof String)) {
      return -1;
    }
    String wanted = (String) key;
    int low = 0;
    int high = pairs.length / 2 - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      int cmp = pairs[2 * mid].compareTo(wanted);
      if (cmp < 0) {
        low = mid + 1;
      } else if (cmp > 0) {
        high = mid - 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  @Override
  public String get(Object key) {
    int i = indexOf(key);
    return i < 0 ? null : pairs[2 * i + 1];
  }

  @Override
  public boolean containsKey(Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  public int size() {
    return pairs.length / 2;
  }

  @Override
  public boolean isEmpty() {
    return pairs.length == 0;
  }

  @Override
  public Set<Map.Entry<String, String>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<String, String>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < pairs.length;
          }

          @Override
          public Map.Entry<String, String> next() {
            if (next >= pairs.length) {
              throw new NoSuchElementException();
            }
            Map.Entry<String, String> e = new SimpleImmutableEntry<>(pairs[next], pairs[next + 1]);
            next += 2;
            return e;
          }
        };
      }

      @Override
      public int size() {
        return pairs.length / 2;
      }
    };
  }
}
