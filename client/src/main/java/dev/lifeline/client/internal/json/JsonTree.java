package dev.lifeline.client.internal.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes JSON as a small immutable tree of plain Java values: objects as {@code
 * Map<String, Object>} (in document order), arrays as {@code List<Object>}, strings, {@code Long}
 * (or {@code BigInteger}), {@code Double} (or {@code BigDecimal}), {@code Boolean} and null.
 */
public final class JsonTree {
  private JsonTree() {}

  /**
   * Reads the value at the parser's current token, keeping only the object fields in {@code keep}
   * (lists are transparent: the same tree applies to each element).
   */
  public static Object read(JsonParser p, PathTree keep) throws IOException {
    JsonToken t = p.currentToken();
    if (t == null) {
      throw Leaf.mismatch(p, "value", "a JSON value");
    }
    switch (t) {
      case START_OBJECT:
        return readObject(p, keep);
      case START_ARRAY:
        List<Object> items = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          items.add(read(p, keep));
        }
        return Collections.unmodifiableList(items);
      case VALUE_STRING:
        return StringPool.shared().get(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
      case VALUE_NUMBER_INT:
        return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? p.getBigIntegerValue()
            : (Object) p.getLongValue();
      case VALUE_NUMBER_FLOAT:
        return p.getNumberType() == JsonParser.NumberType.BIG_DECIMAL
            ? p.getDecimalValue()
            : (Object) p.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw Leaf.mismatch(p, "value", "a JSON value");
    }
  }

  private static Map<String, Object> readObject(JsonParser p, PathTree keep) throws IOException {
    String[] keys = new String[8];
    Object[] values = new Object[8];
    int n = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      p.nextToken();
      PathTree child = keep.child(key);
      if (child == null) {
        p.skipChildren();
        continue;
      }
      if (n == keys.length) {
        keys = java.util.Arrays.copyOf(keys, n * 2);
        values = java.util.Arrays.copyOf(values, n * 2);
      }
      keys[n] = key;
      values[n] = read(p, child);
      n++;
    }
    return JsonObjectMap.of(keys, values, n);
  }

  /**
   * Writes a tree value (or any {@code Map}, {@code Iterable}, {@code CharSequence}, {@code
   * Number}, boolean).
   */
  public static void write(JsonGenerator g, Object value) throws IOException {
    if (value == null) {
      g.writeNull();
    } else if (value instanceof Map) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        g.writeFieldName(String.valueOf(e.getKey()));
        write(g, e.getValue());
      }
      g.writeEndObject();
    } else if (value instanceof Iterable) {
      g.writeStartArray();
      for (Object item : (Iterable<?>) value) {
        write(g, item);
      }
      g.writeEndArray();
    } else if (value instanceof CharSequence) {
      g.writeString(value.toString());
    } else if (value instanceof Boolean) {
      g.writeBoolean((Boolean) value);
    } else if (value instanceof BigInteger) {
      g.writeNumber((BigInteger) value);
    } else if (value instanceof BigDecimal) {
      g.writeNumber((BigDecimal) value);
    } else if (value instanceof Double || value instanceof Float) {
      g.writeNumber(((Number) value).doubleValue());
    } else if (value instanceof Number) {
      g.writeNumber(((Number) value).longValue());
    } else {
      throw new IllegalArgumentException(
          "cannot write a " + value.getClass().getName() + " as JSON: " + value);
    }
  }
}
