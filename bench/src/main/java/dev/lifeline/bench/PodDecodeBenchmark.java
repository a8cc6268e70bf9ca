package dev.lifeline.bench;

import com.fasterxml.jackson.core.JsonParser;
import dev.lifeline.client.Projection;
import dev.lifeline.client.ResourceType;
import dev.lifeline.client.internal.RealResourceType;
import dev.lifeline.client.internal.json.Json;
import dev.lifeline.client.internal.json.ModelReader;
import dev.lifeline.client.model.GenericObject;
import dev.lifeline.client.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decoding one realistic pod (about 5 KB of JSON): the light client's streaming decoders (every
 * declared field, a projection, a generic tree) against fabric8's data binding. Uses the client's
 * internal readers directly, without HTTP, to time decoding alone.
 *
 * <p>Run it from the repository root:
 *
 * <pre>
 * export JAVA_HOME=$(bin/find-jdk)
 * ./mvnw -B -ntp -pl bench -am package -DskipTests
 * $JAVA_HOME/bin/java -cp bench/target/classes:$(cat bench/target/classpath.txt) org.openjdk.jmh.Main PodDecodeBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PodDecodeBenchmark {
  private byte[] json;
  private ModelReader<Pod> full;
  private ModelReader<Pod> projected;
  private ModelReader<GenericObject> generic;

  @Setup
  public void setUp() {
    json = RealisticPods.pod("bench", 4242).getBytes(StandardCharsets.UTF_8);
    full = RealResourceType.codec(ResourceType.POD).reader();
    projected =
        RealResourceType.codec(
                ResourceType.POD.withProjection(
                    Projection.of(
                        "metadata.labels", "spec.nodeName", "status.podIP", "status.phase")))
            .reader();
    generic = RealResourceType.codec(ResourceType.generic("", "v1", "pods", "Pod", true)).reader();
  }

  private static <T> T read(ModelReader<T> reader, byte[] json) throws IOException {
    try (JsonParser p = Json.parser(json)) {
      p.nextToken();
      return reader.read(p);
    }
  }

  @Benchmark
  public Pod lifelineDeclaredFields() throws IOException {
    return read(full, json);
  }

  @Benchmark
  public Pod lifelineProjection() throws IOException {
    return read(projected, json);
  }

  @Benchmark
  public GenericObject lifelineGenericTree() throws IOException {
    return read(generic, json);
  }

  @Benchmark
  public io.fabric8.kubernetes.api.model.Pod fabric8DataBinding() {
    return Serialization.unmarshal(
        new String(json, StandardCharsets.UTF_8), io.fabric8.kubernetes.api.model.Pod.class);
  }
}
