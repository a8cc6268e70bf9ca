package dev.lifeline.testkit.internal.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The fixed set of kinds the fake control plane serves, and lookups by path and by kind. */
public final class ResourceRegistry {
  private static final List<String> ALL_VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  private final List<ResourceType> types = new ArrayList<>();
  private final Map<String, ResourceType> byPath = new LinkedHashMap<>();
  private final Map<String, ResourceType> byKind = new LinkedHashMap<>();

  /** The registry of every kind Lifeline's tests need. */
  public static ResourceRegistry standard() {
    ResourceRegistry r = new ResourceRegistry();
    r.add(
        core(
            "namespaces",
            "namespace",
            "Namespace",
            false,
            List.of("ns"),
            Set.of("status"),
            List.of("status.phase"),
            true,
            false,
            false,
            true));
    r.add(
        core(
            "pods",
            "pod",
            "Pod",
            true,
            List.of("po"),
            Set.of("status", "eviction", "log", "portforward"),
            List.of(
                "spec.nodeName",
                "spec.restartPolicy",
                "spec.schedulerName",
                "spec.serviceAccountName",
                "spec.hostNetwork",
                "status.phase",
                "status.podIP",
                "status.nominatedNodeName"),
            true,
            true,
            false,
            true));
    r.add(
        core(
            "services",
            "service",
            "Service",
            true,
            List.of("svc"),
            Set.of("status"),
            List.of(),
            false,
            false,
            false,
            true));
    r.add(
        core(
            "endpoints",
            "endpoints",
            "Endpoints",
            true,
            List.of("ep"),
            Set.of(),
            List.of(),
            false,
            false,
            true,
            false));
    r.add(
        core(
            "configmaps",
            "configmap",
            "ConfigMap",
            true,
            List.of("cm"),
            Set.of(),
            List.of(),
            false,
            false,
            false,
            false));
    r.add(
        core(
            "secrets",
            "secret",
            "Secret",
            true,
            List.of(),
            Set.of(),
            List.of("type"),
            true,
            false,
            false,
            false));
    r.add(
        core(
            "serviceaccounts",
            "serviceaccount",
            "ServiceAccount",
            true,
            List.of("sa"),
            Set.of("token"),
            List.of(),
            false,
            false,
            false,
            false));
    r.add(
        core(
            "events",
            "event",
            "Event",
            true,
            List.of("ev"),
            Set.of(),
            List.of(
                "involvedObject.kind",
                "involvedObject.namespace",
                "involvedObject.name",
                "involvedObject.uid",
                "involvedObject.apiVersion",
                "involvedObject.resourceVersion",
                "involvedObject.fieldPath",
                "reason",
                "reportingComponent",
                "source",
                "type"),
            true,
            false,
            true,
            false));
    r.add(
        core(
            "nodes",
            "node",
            "Node",
            false,
            List.of("no"),
            Set.of("status"),
            List.of("spec.unschedulable"),
            true,
            false,
            false,
            false));
    r.add(
        new ResourceType(
            "apps",
            "v1",
            "daemonsets",
            "daemonset",
            "DaemonSet",
            true,
            List.of("ds"),
            Set.of("status"),
            List.of(),
            false,
            true,
            false,
            false));
    r.add(
        new ResourceType(
            "apps",
            "v1",
            "deployments",
            "deployment",
            "Deployment",
            true,
            List.of("deploy"),
            Set.of("status"),
            List.of(),
            false,
            true,
            false,
            false));
    r.add(
        new ResourceType(
            "discovery.k8s.io",
            "v1",
            "endpointslices",
            "endpointslice",
            "EndpointSlice",
            true,
            List.of(),
            Set.of(),
            List.of(),
            false,
            true,
            false,
            false));
    r.add(
        new ResourceType(
            "coordination.k8s.io",
            "v1",
            "leases",
            "lease",
            "Lease",
            true,
            List.of(),
            Set.of(),
            List.of(),
            false,
            false,
            true,
            false));
    r.add(
        new ResourceType(
            "policy",
            "v1",
            "poddisruptionbudgets",
            "poddisruptionbudget",
            "PodDisruptionBudget",
            true,
            List.of("pdb"),
            Set.of("status"),
            List.of(),
            false,
            true,
            false,
            false));
    r.add(
        new ResourceType(
            "events.k8s.io",
            "v1",
            "events",
            "event",
            "Event",
            true,
            List.of("ev"),
            Set.of(),
            List.of(),
            false,
            false,
            true,
            false));
    return r;
  }

  private static ResourceType core(
      String resource,
      String singular,
      String kind,
      boolean namespaced,
      List<String> shortNames,
      Set<String> subresources,
      List<String> fieldLabels,
      boolean perKindLabels,
      boolean generation,
      boolean createOnUpdate,
      boolean returnsDeleted) {
    return new ResourceType(
        "",
        "v1",
        resource,
        singular,
        kind,
        namespaced,
        shortNames,
        subresources,
        fieldLabels,
        perKindLabels,
        generation,
        createOnUpdate,
        returnsDeleted);
  }

  private void add(ResourceType t) {
    types.add(t);
    byPath.put(t.apiVersion() + "/" + t.resource(), t);
    byKind.put(t.apiVersion() + "/" + t.kind(), t);
  }

  /** Every kind, in registration order. */
  public List<ResourceType> all() {
    return List.copyOf(types);
  }

  /**
   * The kind served at {@code /api/v1/<resource>} or {@code /apis/<group>/<version>/<resource>}.
   */
  public Optional<ResourceType> byPath(String apiVersion, String resource) {
    return Optional.ofNullable(byPath.get(apiVersion + "/" + resource));
  }

  /** The kind for an object's {@code apiVersion} and {@code kind}. */
  public Optional<ResourceType> byKind(String apiVersion, String kind) {
    return Optional.ofNullable(byKind.get(apiVersion + "/" + kind));
  }

  /** The verbs every kind supports (used by discovery). */
  public static List<String> verbs() {
    return ALL_VERBS;
  }

  /** Whether any kind is served under the group/version. */
  public boolean servesGroupVersion(String apiVersion) {
    return types.stream().anyMatch(t -> t.apiVersion().equals(apiVersion));
  }
}
