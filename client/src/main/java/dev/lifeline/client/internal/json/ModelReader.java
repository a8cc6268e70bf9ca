package dev.lifeline.client.internal.json;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;

/** Reads a model from a streaming parser. Implementations are immutable and thread-safe. */
public interface ModelReader<T> {
  /**
   * Reads the object at the parser's current token ({@code START_OBJECT}; {@code null} reads as
   * null) and leaves the parser on its last token.
   */
  T read(JsonParser p) throws IOException;

  /**
   * A reader that keeps only the fields in {@code tree}.
   *
   * @throws IllegalArgumentException when the tree names a field the model does not declare
   */
  ModelReader<T> project(PathTree tree);
}
