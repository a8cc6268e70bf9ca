package dev.lifeline.client;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The fields to keep of each object: dotted JSON paths such as {@code metadata.labels}, {@code
 * spec.nodeName} or {@code status.podIP}. A path keeps the whole value it names; paths through
 * lists apply to every element ({@code status.containerStatuses.restartCount}). Everything else is
 * skipped while parsing and never held in memory.
 *
 * <p>Applied with {@link ResourceType#withProjection(Projection)}, which checks each path against
 * the model's declared fields (a typo fails at once, naming the known fields) and always adds the
 * fields the client itself needs: {@code metadata.name}, {@code metadata.namespace}, {@code
 * metadata.uid} and {@code metadata.resourceVersion}.
 *
 * <p>For example, to keep what a pod-to-node map needs:
 *
 * <pre>{@code
 * ResourceType<Pod> pods = ResourceType.POD.withProjection(
 *     Projection.of("metadata.labels", "spec.nodeName", "status.podIP", "status.phase"));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class Projection {
  /** The fields every projection keeps: the client needs them to key, compare and resume. */
  public static final List<String> IDENTITY =
      List.of("metadata.name", "metadata.namespace", "metadata.uid", "metadata.resourceVersion");

  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_$@/-]+");

  private final List<String> paths;

  private Projection(List<String> paths) {
    this.paths = paths;
  }

  /**
   * A projection keeping the given paths (plus {@link #IDENTITY}).
   *
   * @throws IllegalArgumentException when a path is empty or has an empty or invalid segment
   */
  public static Projection of(String... paths) {
    return of(Arrays.asList(paths));
  }

  /** A projection keeping the given paths (plus {@link #IDENTITY}). */
  public static Projection of(List<String> paths) {
    Set<String> all = new LinkedHashSet<>(IDENTITY);
    for (String path : paths) {
      Objects.requireNonNull(path, "projection path");
      for (String segment : path.split("\\.", -1)) {
        if (!SEGMENT.matcher(segment).matches()) {
          throw new IllegalArgumentException(
              "projection path '"
                  + path
                  + "': expected field names separated by dots, e.g. 'status.podIP'");
        }
      }
      all.add(path);
    }
    return new Projection(List.copyOf(all));
  }

  /** The kept paths, {@link #IDENTITY} first. */
  public List<String> paths() {
    return paths;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Projection
        && new LinkedHashSet<>(paths).equals(new LinkedHashSet<>(((Projection) o).paths));
  }

  @Override
  public int hashCode() {
    return new LinkedHashSet<>(paths).hashCode();
  }

  @Override
  public String toString() {
    return "Projection" + paths;
  }
}
