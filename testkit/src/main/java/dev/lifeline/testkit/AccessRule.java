package dev.lifeline.testkit;

import java.util.Objects;
import java.util.Set;

/**
 * One allow rule of a user's access list: verbs on resources in namespaces. {@code "*"} is a
 * wildcard in each set. Resources are plural names as in URLs, subresources as {@code
 * pods/eviction}; the API group is not considered (resource names of the kinds the fake serves do
 * not collide except core and events.k8s.io events).
 *
 * @param verbs get, list, watch, create, update, patch, delete, deletecollection, impersonate
 * @param resources plural resource names, {@code users} and {@code groups} for impersonation
 * @param namespaces namespaces; {@code ""} stands for cluster-scoped requests
 */
public record AccessRule(Set<String> verbs, Set<String> resources, Set<String> namespaces) {
  /** Copies the sets. */
  public AccessRule {
    verbs = Set.copyOf(Objects.requireNonNull(verbs, "verbs"));
    resources = Set.copyOf(Objects.requireNonNull(resources, "resources"));
    namespaces = Set.copyOf(Objects.requireNonNull(namespaces, "namespaces"));
  }

  /** Every verb on the given resources in every namespace. */
  public static AccessRule resources(String... resources) {
    return new AccessRule(Set.of("*"), Set.of(resources), Set.of("*"));
  }

  /** Read access (get, list, watch) to the given resources in every namespace. */
  public static AccessRule readOnly(String... resources) {
    return new AccessRule(Set.of("get", "list", "watch"), Set.of(resources), Set.of("*"));
  }

  /** Permission to impersonate any user and group. */
  public static AccessRule impersonation() {
    return new AccessRule(Set.of("impersonate"), Set.of("users", "groups", "uids"), Set.of("*"));
  }

  /** Whether this rule allows the verb on the resource in the namespace. */
  public boolean allows(String verb, String resource, String namespace) {
    return matches(verbs, verb) && matches(resources, resource) && matches(namespaces, namespace);
  }

  private static boolean matches(Set<String> set, String value) {
    return set.contains("*") || set.contains(value);
  }
}
