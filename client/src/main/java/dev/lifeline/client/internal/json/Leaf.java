package dev.lifeline.client.internal.json;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.lifeline.client.model.IntOrString;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a scalar or flat field is read. Each reader is called with the parser on the field's value
 * token and leaves it on the value's last token. JSON {@code null} reads as Java null (absent).
 */
public enum Leaf {
  /** A string kept as is (names, IPs, messages: mostly unique). */
  STRING {
    @Override
    Object read(JsonParser p, String path) throws IOException {
      return p.currentToken() == JsonToken.VALUE_NULL ? null : scalarText(p, path);
    }
  },
  /** A string that repeats across objects (namespace, node name, phase, kind): deduplicated. */
  POOLED {
    @Override
    Object read(JsonParser p, String path) throws IOException {
      return p.currentToken() == JsonToken.VALUE_NULL ? null : pooled(p, path);
    }
  },
  /** A 32-bit integer. */
  INT {
    @Override
    Object read(JsonParser p, String path) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NULL) {
        return null;
      }
      if (t != JsonToken.VALUE_NUMBER_INT) {
        throw mismatch(p, path, "an integer");
      }
      return p.getIntValue();
    }
  },
  /** A 64-bit integer. */
  LONG {
    @Override
    Object read(JsonParser p, String path) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NULL) {
        return null;
      }
      if (t != JsonToken.VALUE_NUMBER_INT) {
        throw mismatch(p, path, "an integer");
      }
      return p.getLongValue();
    }
  },
  /** A boolean. */
  BOOL {
    @Override
    Object read(JsonParser p, String path) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NULL) {
        return null;
      }
      if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
        throw mismatch(p, path, "a boolean");
      }
      return t == JsonToken.VALUE_TRUE;
    }
  },
  /** An RFC 3339 time ({@code metav1.Time} or {@code metav1.MicroTime}). */
  TIME {
    @Override
    Object read(JsonParser p, String path) throws IOException {
      if (p.currentToken() == JsonToken.VALUE_NULL) {
        return null;
      }
      String text = scalarText(p, path);
      try {
        return parseTime(text);
      } catch (DateTimeParseException e) {
        throw new JsonParseException(p, path + ": not an RFC 3339 time: " + text, e);
      }
    }
  },
  /**
   * A map of strings (labels, annotations, selectors, config data), keys and short values
   * deduplicated.
   */
  STRING_MAP {
    @Override
    Object read(JsonParser p, String path) throws IOException {
      if (p.currentToken() == JsonToken.VALUE_NULL) {
        return null;
      }
      expect(p, JsonToken.START_OBJECT, path, "an object");
      String[] pairs = new String[8];
      int n = 0;
      StringPool pool = StringPool.shared();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        if (n == pairs.length) {
          pairs = java.util.Arrays.copyOf(pairs, n * 2);
        }
        pairs[n] = pool.get(p.currentName());
        p.nextToken();
        pairs[n + 1] =
            p.currentToken() == JsonToken.VALUE_NULL ? "" : pooled(p, path + "." + pairs[n]);
        n += 2;
      }
      return StringMap.ofPairs(pairs, n);
    }
  },
  /** A list of strings kept as is. */
  STRING_LIST {
    @Override
    Object read(JsonParser p, String path) throws IOException {
      return list(p, path, false);
    }
  },
  /**
   * A list of strings that repeat across objects (finalizers, IP families, cluster IPs of one
   * service).
   */
  POOLED_LIST {
    @Override
    Object read(JsonParser p, String path) throws IOException {
      return list(p, path, true);
    }
  },
  /** A map of base64 values (Secret and ConfigMap binary data), decoded to bytes. */
  BYTES_MAP {
    @Override
    Object read(JsonParser p, String path) throws IOException {
      if (p.currentToken() == JsonToken.VALUE_NULL) {
        return null;
      }
      expect(p, JsonToken.START_OBJECT, path, "an object");
      Map<String, byte[]> values = new LinkedHashMap<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        p.nextToken();
        if (p.currentToken() == JsonToken.VALUE_NULL) {
          values.put(key, new byte[0]);
          continue;
        }
        String text = scalarText(p, path + "." + key);
        try {
          values.put(key, Base64.getDecoder().decode(text));
        } catch (IllegalArgumentException e) {
          throw new JsonParseException(p, path + "." + key + ": not base64", e);
        }
      }
      return Collections.unmodifiableMap(values);
    }
  },
  /**
   * An int-or-string ({@code intstr.IntOrString}): a port number or name, a count or percentage.
   */
  INT_OR_STRING {
    @Override
    Object read(JsonParser p, String path) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NULL) {
        return null;
      }
      if (t == JsonToken.VALUE_NUMBER_INT) {
        return IntOrString.of(p.getIntValue());
      }
      return IntOrString.of(pooled(p, path));
    }
  };

  /**
   * Reads the value at the parser's current token; {@code path} names the field in error messages.
   */
  abstract Object read(JsonParser p, String path) throws IOException;

  /** Parses an RFC 3339 time with any precision and offset. */
  public static Instant parseTime(String text) {
    return OffsetDateTime.parse(text).toInstant();
  }

  private static String scalarText(JsonParser p, String path) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    if (t != null && t.isScalarValue()) {
      return p.getValueAsString();
    }
    throw mismatch(p, path, "a string");
  }

  private static String pooled(JsonParser p, String path) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_STRING) {
      return StringPool.shared().get(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
    }
    return StringPool.shared().get(scalarText(p, path));
  }

  private static List<String> list(JsonParser p, String path, boolean pool) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(p, JsonToken.START_ARRAY, path, "an array");
    List<String> values = new ArrayList<>(4);
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() == JsonToken.VALUE_NULL) {
        continue;
      }
      values.add(pool ? pooled(p, path) : scalarText(p, path));
    }
    return List.copyOf(values);
  }

  static void expect(JsonParser p, JsonToken token, String path, String what) throws IOException {
    if (p.currentToken() != token) {
      throw mismatch(p, path, what);
    }
  }

  static JsonParseException mismatch(JsonParser p, String path, String what) {
    return new JsonParseException(
        p, path + ": expected " + what + ", found " + describe(p.currentToken()));
  }

  private static String describe(JsonToken t) {
    if (t == null) {
      return "the end of input";
    }
    switch (t) {
      case START_OBJECT:
        return "an object";
      case START_ARRAY:
        return "an array";
      case VALUE_STRING:
        return "a string";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return "a number";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "a boolean";
      default:
        return t.toString();
    }
  }
}
