package dev.lifeline.client;

import java.util.Objects;

/**
 * A question for {@link KubeClient#reviewAccess}: may this client's user perform {@code verb} on
 * {@code resource} (in {@code group}, its {@code subresource}, in {@code namespace}, the object
 * {@code name})? The attributes of a SelfSubjectAccessReview's {@code spec.resourceAttributes}, as
 * {@code kubectl auth can-i create pods --subresource=log -n default} asks it. Empty strings mean
 * "any" (name), "cluster scope or all namespaces" (namespace) and "none" (subresource); the core
 * group is {@code ""}.
 *
 * @param verb get, list, watch, create, update, patch, delete, deletecollection, or another verb
 * @param group the API group, {@code ""} for the core group
 * @param resource the plural resource name, e.g. {@code pods}
 * @param subresource e.g. {@code log}, {@code portforward}, {@code eviction}, or {@code ""}
 * @param namespace the namespace, or {@code ""}
 * @param name the object's name, or {@code ""} for any
 */
public record AccessCheck(
    String verb, String group, String resource, String subresource, String namespace, String name) {

  /** Checks the values; null optional parts become {@code ""}. */
  public AccessCheck {
    if (verb == null || verb.isBlank()) {
      throw new IllegalArgumentException("verb: must not be blank, got '" + verb + "'");
    }
    if (resource == null || resource.isBlank() || resource.contains("/")) {
      throw new IllegalArgumentException(
          "resource: must be a plural resource name without '/' (the subresource is separate), got '"
              + resource
              + "'");
    }
    group = Objects.requireNonNullElse(group, "");
    subresource = Objects.requireNonNullElse(subresource, "");
    namespace = Objects.requireNonNullElse(namespace, "");
    name = Objects.requireNonNullElse(name, "");
  }

  /** {@code verb} on a resource of the core group, any namespace, any name. */
  public static AccessCheck of(String verb, String resource) {
    return new AccessCheck(verb, "", resource, "", "", "");
  }

  /** The same in another API group. */
  public AccessCheck inGroup(String group) {
    return new AccessCheck(verb, group, resource, subresource, namespace, name);
  }

  /** The same for a subresource. */
  public AccessCheck subresource(String subresource) {
    return new AccessCheck(verb, group, resource, subresource, namespace, name);
  }

  /** The same in a namespace. */
  public AccessCheck inNamespace(String namespace) {
    return new AccessCheck(verb, group, resource, subresource, namespace, name);
  }

  /** The same for one object. */
  public AccessCheck named(String name) {
    return new AccessCheck(verb, group, resource, subresource, namespace, name);
  }

  /**
   * As {@code kubectl auth can-i} would say it, e.g. {@code create pods/portforward in
   * kube-system}.
   */
  public String describe() {
    StringBuilder b = new StringBuilder(verb).append(' ').append(resource);
    if (!group.isEmpty()) {
      b.append('.').append(group);
    }
    if (!subresource.isEmpty()) {
      b.append('/').append(subresource);
    }
    if (!name.isEmpty()) {
      b.append(' ').append(name);
    }
    b.append(namespace.isEmpty() ? " at the cluster scope" : " in " + namespace);
    return b.toString();
  }
}
