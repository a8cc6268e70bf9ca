package dev.lifeline.client.internal.json;

import java.io.IOException;

/** Writes a model as a complete JSON object, {@code apiVersion} and {@code kind} included. */
public interface ModelWriter<T> {
  /** Writes {@code value}. */
  void write(JsonOut out, T value) throws IOException;
}
