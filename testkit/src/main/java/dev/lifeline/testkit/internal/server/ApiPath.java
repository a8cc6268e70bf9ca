package dev.lifeline.testkit.internal.server;

import dev.lifeline.testkit.internal.api.ResourceRegistry;
import dev.lifeline.testkit.internal.api.ResourceType;
import java.util.Optional;

/**
 * A request path under {@code /api/v1} or {@code /apis/<group>/<version>} resolved to a kind,
 * namespace, name and subresource, with the apiserver's route shapes (including the legacy {@code
 * /watch/} prefix).
 *
 * @param type the kind
 * @param namespace the namespace from the path, empty when none
 * @param name the object name, empty for collections
 * @param subresource {@code status}, {@code eviction}, or empty
 * @param legacyWatch whether the path had the {@code /watch/} prefix
 */
record ApiPath(
    ResourceType type, String namespace, String name, String subresource, boolean legacyWatch) {

  boolean isCollection() {
    return name.isEmpty();
  }

  /**
   * Resolves the part of a path after the group-version prefix.
   *
   * @param apiVersion {@code v1} or {@code group/version}
   * @param rest the remaining segments, for example {@code namespaces/default/pods/web}
   * @return empty when no route of the apiserver matches
   */
  static Optional<ApiPath> resolve(ResourceRegistry registry, String apiVersion, String rest) {
    String[] segs = rest.isEmpty() ? new String[0] : rest.split("/", -1);
    for (String s : segs) {
      if (s.isEmpty()) {
        return Optional.empty();
      }
    }
    int i = 0;
    boolean watch = false;
    if (segs.length > 0 && segs[0].equals("watch")) {
      watch = true;
      i = 1;
    }
    int n = segs.length - i;
    if (n == 0) {
      return Optional.empty();
    }
    if (segs[i].equals("namespaces") && n >= 3) {
      Optional<ResourceType> nsType = registry.byPath(apiVersion, segs[i + 2]);
      if (nsType.isPresent() && nsType.get().namespaced() && n <= 5) {
        String name = n >= 4 ? segs[i + 3] : "";
        String sub = n == 5 ? segs[i + 4] : "";
        return check(nsType.get(), segs[i + 1], name, sub, watch);
      }
    }
    Optional<ResourceType> t = registry.byPath(apiVersion, segs[i]);
    if (t.isEmpty() || n > 3) {
      return Optional.empty();
    }
    String name = n >= 2 ? segs[i + 1] : "";
    String sub = n == 3 ? segs[i + 2] : "";
    if (t.get().namespaced() && !name.isEmpty()) {
      return Optional.empty();
    }
    return check(t.get(), "", name, sub, watch);
  }

  private static Optional<ApiPath> check(
      ResourceType type, String namespace, String name, String sub, boolean watch) {
    if (!sub.isEmpty() && !type.hasSubresource(sub)) {
      return Optional.empty();
    }
    if (watch && !sub.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ApiPath(type, namespace, name, sub, watch));
  }
}
