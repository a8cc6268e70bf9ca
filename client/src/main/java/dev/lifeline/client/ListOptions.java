package dev.lifeline.client;

import java.util.Objects;

/**
 * What to list: a namespace (or all), selectors, paging and the resource version to read at.
 * Immutable: each {@code with...} method returns a new instance after checking its argument.
 */
public final class ListOptions {
  private static final ListOptions ALL = new ListOptions(null, null, null, 0, null, null, null);

  private final String namespace;
  private final String labelSelector;
  private final String fieldSelector;
  private final long limit;
  private final String continueToken;
  private final String resourceVersion;
  private final String resourceVersionMatch;

  private ListOptions(
      String namespace,
      String labelSelector,
      String fieldSelector,
      long limit,
      String continueToken,
      String resourceVersion,
      String resourceVersionMatch) {
    this.namespace = namespace;
    this.labelSelector = labelSelector;
    this.fieldSelector = fieldSelector;
    this.limit = limit;
    this.continueToken = continueToken;
    this.resourceVersion = resourceVersion;
    this.resourceVersionMatch = resourceVersionMatch;
  }

  /** Everything, in every namespace, unpaged, as fresh as the server can (a consistent read). */
  public static ListOptions all() {
    return ALL;
  }

  /** Everything in one namespace. */
  public static ListOptions inNamespace(String namespace) {
    return ALL.namespace(namespace);
  }

  /** The namespace to list, or null for all namespaces (and for cluster-scoped resources). */
  public ListOptions namespace(String namespace) {
    if (namespace != null && namespace.isEmpty()) {
      throw new IllegalArgumentException("namespace: empty; use null for all namespaces");
    }
    return new ListOptions(
        namespace,
        labelSelector,
        fieldSelector,
        limit,
        continueToken,
        resourceVersion,
        resourceVersionMatch);
  }

  /** A label selector, e.g. {@code app=dns,tier!=cache}. */
  public ListOptions labelSelector(String labelSelector) {
    return new ListOptions(
        namespace,
        blankToNull(labelSelector),
        fieldSelector,
        limit,
        continueToken,
        resourceVersion,
        resourceVersionMatch);
  }

  /** A field selector, e.g. {@code spec.nodeName=node-1}. */
  public ListOptions fieldSelector(String fieldSelector) {
    return new ListOptions(
        namespace,
        labelSelector,
        blankToNull(fieldSelector),
        limit,
        continueToken,
        resourceVersion,
        resourceVersionMatch);
  }

  /**
   * A page size (0, the default, for no paging). Paged lists are served from etcd, not the watch
   * cache: use with care.
   */
  public ListOptions limit(long limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit: must be 0 (no paging) or positive, got " + limit);
    }
    return new ListOptions(
        namespace,
        labelSelector,
        fieldSelector,
        limit,
        continueToken,
        resourceVersion,
        resourceVersionMatch);
  }

  /** The token of the next page, from {@link ResourceList#continueToken()}. */
  public ListOptions continueToken(String continueToken) {
    return new ListOptions(
        namespace,
        labelSelector,
        fieldSelector,
        limit,
        blankToNull(continueToken),
        resourceVersion,
        resourceVersionMatch);
  }

  /**
   * The resource version to read at: null for the most recent (a consistent read), {@code "0"} for
   * any (served from the cache), or a version.
   */
  public ListOptions resourceVersion(String resourceVersion) {
    return new ListOptions(
        namespace,
        labelSelector,
        fieldSelector,
        limit,
        continueToken,
        blankToNull(resourceVersion),
        resourceVersionMatch);
  }

  /** How to match the resource version: {@code NotOlderThan} or {@code Exact}. */
  public ListOptions resourceVersionMatch(String match) {
    if (match != null && !match.equals("NotOlderThan") && !match.equals("Exact")) {
      throw new IllegalArgumentException(
          "resourceVersionMatch: expected NotOlderThan or Exact, got '" + match + "'");
    }
    return new ListOptions(
        namespace, labelSelector, fieldSelector, limit, continueToken, resourceVersion, match);
  }

  /** The namespace, or null for all. */
  public String namespace() {
    return namespace;
  }

  /** The label selector, or null. */
  public String labelSelector() {
    return labelSelector;
  }

  /** The field selector, or null. */
  public String fieldSelector() {
    return fieldSelector;
  }

  /** The page size, 0 for none. */
  public long limit() {
    return limit;
  }

  /** The continue token, or null. */
  public String continueToken() {
    return continueToken;
  }

  /** The resource version, or null. */
  public String resourceVersion() {
    return resourceVersion;
  }

  /** The resource version match, or null. */
  public String resourceVersionMatch() {
    return resourceVersionMatch;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ListOptions)) {
      return false;
    }
    ListOptions x = (ListOptions) o;
    return limit == x.limit
        && Objects.equals(namespace, x.namespace)
        && Objects.equals(labelSelector, x.labelSelector)
        && Objects.equals(fieldSelector, x.fieldSelector)
        && Objects.equals(continueToken, x.continueToken)
        && Objects.equals(resourceVersion, x.resourceVersion)
        && Objects.equals(resourceVersionMatch, x.resourceVersionMatch);
  }

  @Override
  public int hashCode() {
    return Objects.hash(namespace, labelSelector, fieldSelector, limit, resourceVersion);
  }

  @Override
  public String toString() {
    return "ListOptions{namespace="
        + namespace
        + ", labelSelector="
        + labelSelector
        + ", fieldSelector="
        + fieldSelector
        + ", limit="
        + limit
        + ", resourceVersion="
        + resourceVersion
        + "}";
  }
}
