package dev.lifeline.client.internal.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The one Jackson factory of the client: streaming only, no data binding. */
public final class Json {
  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          // Secrets and config maps may hold up to 1 MiB; objects nest far less deep than this.
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxStringLength(64 << 20)
                  .maxNestingDepth(200)
                  .build())
          .build();

  private Json() {}

  /** A body to write. */
  @FunctionalInterface
  public interface Body {
    /** Writes the JSON. */
    void write(JsonOut out) throws IOException;
  }

  /** A parser over a stream (closed with the parser). */
  public static JsonParser parser(InputStream in) throws IOException {
    return FACTORY.createParser(in);
  }

  /** A parser over bytes. */
  public static JsonParser parser(byte[] bytes) throws IOException {
    return FACTORY.createParser(bytes);
  }

  /** A generator into a buffer. */
  public static JsonGenerator generator(ByteArrayOutputStream out) throws IOException {
    return FACTORY.createGenerator(out);
  }

  /** Writes a document to bytes. */
  public static byte[] write(Body body) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    try (JsonGenerator g = FACTORY.createGenerator(buffer)) {
      body.write(new JsonOut(g));
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to memory", e);
    }
    return buffer.toByteArray();
  }
}
