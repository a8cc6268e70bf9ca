package dev.lifeline.client.internal.json;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.lifeline.client.model.BinaryData;
import dev.lifeline.client.model.IntOrString;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Writes JSON the way the apiserver expects it: absent (null or empty) fields are left out, times
 * in RFC 3339 with the precision of {@code metav1.Time} (seconds) or {@code metav1.MicroTime}
 * (microseconds).
 */
public final class JsonOut {
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter MICROS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private final JsonGenerator g;

  /** Writes to {@code g}. */
  public JsonOut(JsonGenerator g) {
    this.g = g;
  }

  /** The generator. */
  public JsonGenerator generator() {
    return g;
  }

  /** Formats a {@code metav1.Time}. */
  public static String formatTime(Instant t) {
    return SECONDS.format(t.truncatedTo(ChronoUnit.SECONDS));
  }

  /** Formats a {@code metav1.MicroTime}. */
  public static String formatMicroTime(Instant t) {
    return MICROS.format(t.truncatedTo(ChronoUnit.MICROS));
  }

  /** Starts the top-level object with its {@code apiVersion} and {@code kind}. */
  public JsonOut begin(String apiVersion, String kind) throws IOException {
    g.writeStartObject();
    string("apiVersion", apiVersion);
    string("kind", kind);
    return this;
  }

  /** Starts a nested object field. */
  public JsonOut start(String name) throws IOException {
    g.writeObjectFieldStart(name);
    return this;
  }

  /** Starts an object in an array. */
  public JsonOut startElement() throws IOException {
    g.writeStartObject();
    return this;
  }

  /** Starts an array field. */
  public JsonOut startArray(String name) throws IOException {
    g.writeArrayFieldStart(name);
    return this;
  }

  /** Ends the current object. */
  public JsonOut end() throws IOException {
    g.writeEndObject();
    return this;
  }

  /** Ends the current array. */
  public JsonOut endArray() throws IOException {
    g.writeEndArray();
    return this;
  }

  /** A string field, left out when null. */
  public JsonOut string(String name, String value) throws IOException {
    if (value != null) {
      g.writeStringField(name, value);
    }
    return this;
  }

  /** A number field, left out when null. */
  public JsonOut number(String name, Number value) throws IOException {
    if (value != null) {
      g.writeFieldName(name);
      g.writeNumber(value.longValue());
    }
    return this;
  }

  /** A boolean field, left out when null. */
  public JsonOut bool(String name, Boolean value) throws IOException {
    if (value != null) {
      g.writeBooleanField(name, value);
    }
    return this;
  }

  /** A {@code metav1.Time} field, left out when null. */
  public JsonOut time(String name, Instant value) throws IOException {
    return value == null ? this : string(name, formatTime(value));
  }

  /** A {@code metav1.MicroTime} field, left out when null. */
  public JsonOut microTime(String name, Instant value) throws IOException {
    return value == null ? this : string(name, formatMicroTime(value));
  }

  /** An int-or-string field, left out when null. */
  public JsonOut intOrString(String name, IntOrString value) throws IOException {
    if (value != null) {
      if (value.isInt()) {
        g.writeNumberField(name, value.intValue());
      } else {
        g.writeStringField(name, value.stringValue());
      }
    }
    return this;
  }

  /** A map of strings, left out when empty. */
  public JsonOut map(String name, Map<String, String> values) throws IOException {
    if (values != null && !values.isEmpty()) {
      g.writeObjectFieldStart(name);
      for (Map.Entry<String, String> e : values.entrySet()) {
        g.writeStringField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
    }
    return this;
  }

  /** A list of strings, left out when empty. */
  public JsonOut strings(String name, List<String> values) throws IOException {
    if (values != null && !values.isEmpty()) {
      g.writeArrayFieldStart(name);
      for (String v : values) {
        g.writeString(v);
      }
      g.writeEndArray();
    }
    return this;
  }

  /** Binary values in base64, left out when empty. */
  public JsonOut bytes(String name, BinaryData values) throws IOException {
    if (values != null && !values.isEmpty()) {
      g.writeObjectFieldStart(name);
      Base64.Encoder base64 = Base64.getEncoder();
      for (String key : values.keys()) {
        g.writeStringField(key, base64.encodeToString(values.bytes(key)));
      }
      g.writeEndObject();
    }
    return this;
  }

  /** Any tree value (see {@link JsonTree#write}). */
  public JsonOut tree(String name, Object value) throws IOException {
    g.writeFieldName(name);
    JsonTree.write(g, value);
    return this;
  }
}
