package dev.lifeline.client.internal.json;

/**
 * Deduplicates the strings that repeat across thousands of objects: namespaces, node names, label
 * keys and values, phases, kinds, images.
 *
 * <p>A lossy, direct-mapped cache: a slot holds the last string that hashed to it, so memory stays
 * bounded and a lookup costs one hash over the characters the parser already holds (no temporary
 * {@code String} on a hit). Two threads racing on a slot at worst create an equal string twice;
 * strings are immutable and safely published, so no lock is needed.
 */
public final class StringPool {
  private static final int SLOTS = 1 << 13;
  private static final int MAX_LENGTH = 96;
  private static final StringPool SHARED = new StringPool();

  private final String[] slots = new String[SLOTS];

  /** The pool shared by every decoder of this JVM. */
  public static StringPool shared() {
    return SHARED;
  }

  /**
   * Returns a string equal to {@code chars[offset, offset + length)}, reusing a pooled one when
   * possible.
   */
  public String get(char[] chars, int offset, int length) {
    if (length == 0) {
      return "";
    }
    if (length > MAX_LENGTH) {
      return new String(chars, offset, length);
    }
    int hash = 0;
    for (int i = offset, end = offset + length; i < end; i++) {
      hash = 31 * hash + chars[i];
    }
    int index = spread(hash) & (SLOTS - 1);
    String cached = slots[index];
    if (cached != null && contentEquals(cached, chars, offset, length)) {
      return cached;
    }
    String created = new String(chars, offset, length);
    slots[index] = created;
    return created;
  }

  /** Returns a string equal to {@code value}, reusing a pooled one when possible. */
  public String get(String value) {
    if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
      return value;
    }
    int index = spread(value.hashCode()) & (SLOTS - 1);
    String cached = slots[index];
    if (value.equals(cached)) {
      return cached;
    }
    slots[index] = value;
    return value;
  }

  private static int spread(int hash) {
    return hash ^ (hash >>> 13) ^ (hash >>> 7);
  }

  private static boolean contentEquals(String s, char[] chars, int offset, int length) {
    if (s.length() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (s.charAt(i) != chars[offset + i]) {
        return false;
      }
    }
    return true;
  }
}
