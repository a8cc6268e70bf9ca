package dev.lifeline.client.internal.codec;

import dev.lifeline.client.internal.json.ModelReader;
import dev.lifeline.client.internal.json.ModelWriter;

/**
 * How one kind is read and written.
 *
 * @param apiVersion the kind's API version, e.g. {@code v1} or {@code coordination.k8s.io/v1}
 * @param kind the kind, e.g. {@code Pod}
 * @param reader reads the declared fields (may be a projection)
 * @param writer writes an object of the kind, or null for kinds Lifeline only reads
 */
public record Codec<T>(
    String apiVersion, String kind, ModelReader<T> reader, ModelWriter<T> writer) {

  /** The same codec with another reader (a projection). */
  public Codec<T> withReader(ModelReader<T> projected) {
    return new Codec<>(apiVersion, kind, projected, writer);
  }
}
