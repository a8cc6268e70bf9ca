package dev.lifeline.testkit.internal.api;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * One kind the fake serves: where it lives in the API, how it is scoped, which fields select it.
 *
 * @param group the API group, empty for the core group
 * @param version the version, for example {@code v1}
 * @param resource the plural resource name used in paths
 * @param singular the singular name for discovery
 * @param kind the kind
 * @param namespaced whether objects live in namespaces
 * @param shortNames discovery short names
 * @param subresources supported subresources ({@code status}, {@code eviction})
 * @param fieldLabels selectable fields beyond {@code metadata.name} and {@code metadata.namespace}
 * @param fieldLabelsPerKind whether the kind has its own field-label conversion (its error message
 *     differs from the default one)
 * @param tracksGeneration whether the registry sets and bumps {@code metadata.generation}
 * @param allowCreateOnUpdate whether PUT to a missing object creates it
 * @param returnsDeletedObject whether DELETE answers with the object instead of a Status
 */
public record ResourceType(
    String group,
    String version,
    String resource,
    String singular,
    String kind,
    boolean namespaced,
    List<String> shortNames,
    Set<String> subresources,
    List<String> fieldLabels,
    boolean fieldLabelsPerKind,
    boolean tracksGeneration,
    boolean allowCreateOnUpdate,
    boolean returnsDeletedObject) {

  /** {@code v1} or {@code group/version}. */
  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** The list kind, for example {@code PodList}. */
  public String listKind() {
    return kind + "List";
  }

  /** Whether {@code field} is a selectable field label of this kind. */
  public boolean isFieldLabel(String field) {
    return field.equals("metadata.name")
        || field.equals("metadata.namespace")
        || fieldLabels.contains(field);
  }

  /** The bytes {@code {"kind":"Pod","apiVersion":"v1",} that open every serialized object. */
  public byte[] typeMetaPrefix() {
    return ("{\"kind\":\"" + kind + "\",\"apiVersion\":\"" + apiVersion() + "\",")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Whether the kind has the named subresource. */
  public boolean hasSubresource(String name) {
    return subresources.contains(name);
  }

  @Override
  public String toString() {
    return Statuses.qualified(group, resource);
  }
}
