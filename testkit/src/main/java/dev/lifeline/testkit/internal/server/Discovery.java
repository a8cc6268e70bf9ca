package dev.lifeline.testkit.internal.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeline.testkit.internal.api.Json;
import dev.lifeline.testkit.internal.api.ResourceRegistry;
import dev.lifeline.testkit.internal.api.ResourceType;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The unaggregated discovery documents ({@code /api}, {@code /api/v1}, {@code /apis}, {@code
 * /apis/<group>}, {@code /apis/<group>/<version>}) and {@code /version}. Aggregated discovery is
 * declined by answering plain {@code application/json}, as a server without it would. Built once;
 * immutable.
 */
final class Discovery {
  private final byte[] api;
  private final byte[] apis;
  private final Map<String, byte[]> groups = new LinkedHashMap<>();
  private final Map<String, byte[]> resourceLists = new LinkedHashMap<>();
  private final byte[] version;
  private final byte[] rootPaths;

  Discovery(ResourceRegistry registry, String serverAddress, String gitVersion) {
    ObjectNode apiVersions = Json.object();
    apiVersions.put("kind", "APIVersions");
    apiVersions.putArray("versions").add("v1");
    ObjectNode cidr = apiVersions.putArray("serverAddressByClientCIDRs").addObject();
    cidr.put("clientCIDR", "0.0.0.0/0");
    cidr.put("serverAddress", serverAddress);
    this.api = Json.bytes(apiVersions);

    Map<String, Set<String>> versionsByGroup = new LinkedHashMap<>();
    for (ResourceType t : registry.all()) {
      versionsByGroup.computeIfAbsent(t.group(), g -> new LinkedHashSet<>()).add(t.version());
    }
    // authorization.k8s.io serves reviews, which are not stored objects.
    versionsByGroup.put(AccessReviews.GROUP, new LinkedHashSet<>(List.of("v1")));
    ObjectNode groupList = Json.object();
    groupList.put("kind", "APIGroupList");
    groupList.put("apiVersion", "v1");
    ArrayNode groupArray = groupList.putArray("groups");
    for (Map.Entry<String, Set<String>> g : versionsByGroup.entrySet()) {
      for (String v : g.getValue()) {
        ObjectNode list = resourceList(registry, g.getKey(), v);
        if (g.getKey().equals(AccessReviews.GROUP)) {
          ObjectNode r = ((ArrayNode) list.get("resources")).addObject();
          r.put("name", AccessReviews.RESOURCE);
          r.put("singularName", "selfsubjectaccessreview");
          r.put("namespaced", false);
          r.put("kind", AccessReviews.KIND);
          r.putArray("verbs").add("create");
        }
        resourceLists.put(g.getKey().isEmpty() ? v : g.getKey() + "/" + v, Json.bytes(list));
      }
      if (g.getKey().isEmpty()) {
        continue;
      }
      ObjectNode group = groupNode(g.getKey(), List.copyOf(g.getValue()));
      groupArray.add(group);
      ObjectNode standalone = Json.object();
      standalone.put("kind", "APIGroup");
      standalone.put("apiVersion", "v1");
      standalone.setAll(group);
      groups.put(g.getKey(), Json.bytes(standalone));
    }
    this.apis = Json.bytes(groupList);

    ObjectNode root = Json.object();
    ArrayNode paths = root.putArray("paths");
    java.util.List<String> all =
        new java.util.ArrayList<>(java.util.List.of("/api", "/api/v1", "/apis"));
    for (Map.Entry<String, Set<String>> g : versionsByGroup.entrySet()) {
      if (!g.getKey().isEmpty()) {
        all.add("/apis/" + g.getKey());
        g.getValue().forEach(v -> all.add("/apis/" + g.getKey() + "/" + v));
      }
    }
    all.addAll(java.util.List.of("/healthz", "/livez", "/readyz", "/version"));
    all.stream().sorted().forEach(paths::add);
    this.rootPaths = Json.bytes(root);

    ObjectNode ver = Json.object();
    String[] parts = gitVersion.substring(1).split("[.+-]");
    ver.put("major", parts[0]);
    ver.put("minor", parts[1]);
    ver.put("emulationMajor", parts[0]);
    ver.put("emulationMinor", parts[1]);
    ver.put("minCompatibilityMajor", parts[0]);
    ver.put("minCompatibilityMinor", Integer.toString(Math.max(0, Integer.parseInt(parts[1]) - 1)));
    ver.put("gitVersion", gitVersion);
    ver.put("gitCommit", "0000000000000000000000000000000000000000");
    ver.put("gitTreeState", "clean");
    ver.put("buildDate", "2025-04-23T00:00:00Z");
    ver.put("goVersion", "go1.24.2");
    ver.put("compiler", "gc");
    ver.put("platform", "linux/amd64");
    this.version = Json.bytes(ver);
  }

  private static ObjectNode groupNode(String group, List<String> versions) {
    ObjectNode n = Json.object();
    n.put("name", group);
    ArrayNode vs = n.putArray("versions");
    for (String v : versions) {
      ObjectNode gv = vs.addObject();
      gv.put("groupVersion", group + "/" + v);
      gv.put("version", v);
    }
    ObjectNode preferred = n.putObject("preferredVersion");
    preferred.put("groupVersion", group + "/" + versions.get(0));
    preferred.put("version", versions.get(0));
    return n;
  }

  private static ObjectNode resourceList(ResourceRegistry registry, String group, String version) {
    ObjectNode list = Json.object();
    list.put("kind", "APIResourceList");
    list.put("apiVersion", "v1");
    list.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
    ArrayNode resources = list.putArray("resources");
    for (ResourceType t : registry.all()) {
      if (!t.group().equals(group) || !t.version().equals(version)) {
        continue;
      }
      ObjectNode r = resources.addObject();
      r.put("name", t.resource());
      r.put("singularName", t.singular());
      r.put("namespaced", t.namespaced());
      r.put("kind", t.kind());
      ArrayNode verbs = r.putArray("verbs");
      ResourceRegistry.verbs().forEach(verbs::add);
      if (!t.shortNames().isEmpty()) {
        ArrayNode sn = r.putArray("shortNames");
        t.shortNames().forEach(sn::add);
      }
      if ((List.of("pods", "services").contains(t.resource()) && group.isEmpty())
          || group.equals("apps")) {
        r.putArray("categories").add("all");
      }
      if (t.hasSubresource("eviction")) {
        ObjectNode e = resources.addObject();
        e.put("name", t.resource() + "/eviction");
        e.put("singularName", t.singular());
        e.put("namespaced", t.namespaced());
        e.put("group", "policy");
        e.put("version", "v1");
        e.put("kind", "Eviction");
        e.putArray("verbs").add("create");
      }
      if (t.hasSubresource("token")) {
        ObjectNode tr = resources.addObject();
        tr.put("name", t.resource() + "/token");
        tr.put("singularName", "");
        tr.put("namespaced", t.namespaced());
        tr.put("group", "authentication.k8s.io");
        tr.put("version", "v1");
        tr.put("kind", "TokenRequest");
        tr.putArray("verbs").add("create");
      }
      if (t.hasSubresource("portforward")) {
        ObjectNode pf = resources.addObject();
        pf.put("name", t.resource() + "/portforward");
        pf.put("singularName", "");
        pf.put("namespaced", t.namespaced());
        pf.put("kind", "PodPortForwardOptions");
        pf.putArray("verbs").add("create").add("get");
      }
      if (t.hasSubresource("log")) {
        ObjectNode l = resources.addObject();
        l.put("name", t.resource() + "/log");
        l.put("singularName", "");
        l.put("namespaced", t.namespaced());
        l.put("kind", t.kind());
        l.putArray("verbs").add("get");
      }
      if (t.hasSubresource("status")) {
        ObjectNode s = resources.addObject();
        s.put("name", t.resource() + "/status");
        s.put("singularName", t.singular());
        s.put("namespaced", t.namespaced());
        s.put("kind", t.kind());
        s.putArray("verbs").add("get").add("patch").add("update");
      }
    }
    return list;
  }

  byte[] api() {
    return api;
  }

  byte[] apis() {
    return apis;
  }

  Optional<byte[]> group(String group) {
    return Optional.ofNullable(groups.get(group));
  }

  Optional<byte[]> resources(String groupVersion) {
    return Optional.ofNullable(resourceLists.get(groupVersion));
  }

  byte[] rootPaths() {
    return rootPaths;
  }

  byte[] version() {
    return version;
  }
}
