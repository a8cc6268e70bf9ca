package dev.lifeline.client.internal;

import dev.lifeline.client.Projection;
import dev.lifeline.client.ResourceType;
import dev.lifeline.client.internal.codec.Codec;
import dev.lifeline.client.internal.codec.GenericCodec;
import dev.lifeline.client.internal.json.PathTree;
import dev.lifeline.client.model.GenericObject;
import dev.lifeline.client.model.KubeObject;
import java.util.Objects;
import java.util.regex.Pattern;

/** The one implementation of {@link ResourceType}. */
public final class RealResourceType<T extends KubeObject> implements ResourceType<T> {
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");

  private final String group;
  private final String version;
  private final String plural;
  private final boolean namespaced;
  private final Codec<T> codec;
  private final Projection projection;

  private RealResourceType(
      String group,
      String version,
      String plural,
      boolean namespaced,
      Codec<T> codec,
      Projection projection) {
    this.group = group;
    this.version = version;
    this.plural = plural;
    this.namespaced = namespaced;
    this.codec = codec;
    this.projection = projection;
  }

  /** A typed resource. */
  public static <T extends KubeObject> ResourceType<T> typed(
      String group, String version, String plural, boolean namespaced, Codec<T> codec) {
    return new RealResourceType<>(group, version, plural, namespaced, codec, null);
  }

  /** A generic resource; arguments are checked. */
  public static ResourceType<GenericObject> generic(
      String group, String version, String plural, String kind, boolean namespaced) {
    Objects.requireNonNull(group, "group (use \"\" for the core group)");
    if (!group.isEmpty() && !NAME.matcher(group).matches()) {
      throw new IllegalArgumentException("group: not a DNS subdomain: '" + group + "'");
    }
    if (version == null || !NAME.matcher(version).matches()) {
      throw new IllegalArgumentException("version: expected e.g. 'v1', got '" + version + "'");
    }
    if (plural == null || !NAME.matcher(plural).matches()) {
      throw new IllegalArgumentException(
          "plural: expected a lowercase resource name such as 'deployments', got '" + plural + "'");
    }
    if (kind == null || kind.isEmpty()) {
      throw new IllegalArgumentException("kind: required, e.g. 'Deployment'");
    }
    String apiVersion = group.isEmpty() ? version : group + "/" + version;
    return new RealResourceType<>(
        group, version, plural, namespaced, GenericCodec.codec(apiVersion, kind), null);
  }

  /** The codec of this resource (projected when a projection is in effect). */
  @SuppressWarnings("unchecked")
  public static <T extends KubeObject> Codec<T> codec(ResourceType<T> type) {
    if (!(type instanceof RealResourceType)) {
      throw new IllegalArgumentException(
          "ResourceType is implemented by the client only; use its constants or ResourceType.generic");
    }
    return ((RealResourceType<T>) type).codec;
  }

  @Override
  public String group() {
    return group;
  }

  @Override
  public String version() {
    return version;
  }

  @Override
  public String plural() {
    return plural;
  }

  @Override
  public String kind() {
    return codec.kind();
  }

  @Override
  public boolean isNamespaced() {
    return namespaced;
  }

  @Override
  public Projection projection() {
    return projection;
  }

  @Override
  public ResourceType<T> withProjection(Projection projection) {
    Objects.requireNonNull(projection, "projection");
    if (this.projection != null) {
      // Projections do not compose: each one applies to the full model.
      throw new IllegalStateException(
          "projection already set to "
              + this.projection
              + " for "
              + plural
              + "; apply a projection to the constant or generic type instead");
    }
    Codec<T> projected = codec.withReader(codec.reader().project(PathTree.of(projection.paths())));
    return new RealResourceType<>(group, version, plural, namespaced, projected, projection);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RealResourceType)) {
      return false;
    }
    RealResourceType<?> t = (RealResourceType<?>) o;
    return group.equals(t.group)
        && version.equals(t.version)
        && plural.equals(t.plural)
        && Objects.equals(projection, t.projection);
  }

  @Override
  public int hashCode() {
    return Objects.hash(group, version, plural, projection);
  }

  @Override
  public String toString() {
    return apiVersion() + " " + plural + (projection == null ? "" : " " + projection);
  }
}
