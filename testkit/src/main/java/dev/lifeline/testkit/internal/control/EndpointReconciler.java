package dev.lifeline.testkit.internal.control;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeline.testkit.KubeApiException;
import dev.lifeline.testkit.internal.api.Json;
import dev.lifeline.testkit.internal.api.ResourceType;
import dev.lifeline.testkit.internal.store.ObjectStore;
import dev.lifeline.testkit.internal.store.StoredObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lease endpoint reconciler ({@code --endpoint-reconciler-type=lease}): every running instance
 * refreshes a lease on its IP with a TTL and then rewrites the {@code default/kubernetes} Endpoints
 * and EndpointSlice to the IPs with live leases (sorted, one port named {@code https}). A crashed
 * or blackholed instance stops refreshing and drops out when its lease expires and another instance
 * reconciles; a gracefully stopping one removes its lease and reconciles at once. An empty lease
 * list is never written (the real reconciler refuses to erase every endpoint). Thread-safe.
 */
final class EndpointReconciler {
  static final String SERVICE = "kubernetes";
  static final String NAMESPACE = "default";

  private final ObjectStore store;
  private final Clock clock;
  private final Duration ttl;
  private final int port;
  private final ResourceType endpoints;
  private final ResourceType slices;
  private final ResourceType services;
  private final String clusterIp;
  private final Map<String, Long> leases = new ConcurrentHashMap<>();

  EndpointReconciler(ObjectStore store, Clock clock, Duration ttl, int port, String clusterIp) {
    this.store = store;
    this.clock = clock;
    this.ttl = ttl;
    this.port = port;
    this.clusterIp = clusterIp;
    this.endpoints = store.registry().byKind("v1", "Endpoints").orElseThrow();
    this.slices = store.registry().byKind("discovery.k8s.io/v1", "EndpointSlice").orElseThrow();
    this.services = store.registry().byKind("v1", "Service").orElseThrow();
  }

  /**
   * Refreshes the lease of an instance and reconciles (what each apiserver does every interval).
   */
  void renewAndReconcile(String ip) {
    leases.put(ip, clock.millis() + ttl.toMillis());
    reconcile();
  }

  /** When the lease of {@code ip} expires, or empty when it holds none. */
  Optional<Instant> leaseExpiry(String ip) {
    return Optional.ofNullable(leases.get(ip)).map(Instant::ofEpochMilli);
  }

  /** Removes an instance's lease and reconciles (graceful shutdown). */
  void removeAndReconcile(String ip) {
    leases.remove(ip);
    reconcile();
  }

  /** The IPs with live leases, sorted as strings as the real reconciler sorts them. */
  List<String> liveIps() {
    long now = clock.millis();
    List<String> ips = new ArrayList<>();
    leases.forEach(
        (ip, expiry) -> {
          if (expiry > now) {
            ips.add(ip);
          }
        });
    ips.sort(null);
    return ips;
  }

  synchronized void reconcile() {
    leases.entrySet().removeIf(e -> e.getValue() <= clock.millis());
    List<String> ips = liveIps();
    if (ips.isEmpty()) {
      return;
    }
    ensureService();
    writeEndpoints(ips);
    writeSlice(ips);
  }

  /** The {@code default/kubernetes} Service as the bootstrap controller creates it. */
  ObjectNode service() {
    ObjectNode svc = Json.object();
    svc.put("apiVersion", "v1");
    svc.put("kind", "Service");
    ObjectNode meta = svc.putObject("metadata");
    meta.put("name", SERVICE);
    meta.put("namespace", NAMESPACE);
    ObjectNode labels = meta.putObject("labels");
    labels.put("component", "apiserver");
    labels.put("provider", "kubernetes");
    ObjectNode spec = svc.putObject("spec");
    spec.put("clusterIP", clusterIp);
    spec.putArray("clusterIPs").add(clusterIp);
    spec.put("internalTrafficPolicy", "Cluster");
    spec.putArray("ipFamilies").add("IPv4");
    spec.put("ipFamilyPolicy", "SingleStack");
    ObjectNode p = spec.putArray("ports").addObject();
    p.put("name", "https");
    p.put("port", 443);
    p.put("protocol", "TCP");
    p.put("targetPort", port);
    spec.put("sessionAffinity", "None");
    spec.put("type", "ClusterIP");
    return svc;
  }

  private void ensureService() {
    if (store.get(services, NAMESPACE, SERVICE).isEmpty()) {
      try {
        store.create(services, NAMESPACE, service(), false);
      } catch (KubeApiException raced) {
        // Created concurrently; nothing to do.
      }
    }
  }

  private ObjectNode portNode(ArrayNode ports) {
    ObjectNode p = ports.addObject();
    p.put("name", "https");
    p.put("port", port);
    p.put("protocol", "TCP");
    return p;
  }

  private void writeEndpoints(List<String> ips) {
    ObjectNode ep = Json.object();
    ep.put("apiVersion", "v1");
    ep.put("kind", "Endpoints");
    ObjectNode meta = ep.putObject("metadata");
    meta.put("name", SERVICE);
    meta.put("namespace", NAMESPACE);
    meta.putObject("labels").put("endpointslice.kubernetes.io/skip-mirror", "true");
    ObjectNode subset = ep.putArray("subsets").addObject();
    ArrayNode addresses = subset.putArray("addresses");
    ips.forEach(ip -> addresses.addObject().put("ip", ip));
    portNode(subset.putArray("ports"));
    Optional<StoredObject> current = store.get(endpoints, NAMESPACE, SERVICE);
    if (current.isPresent()) {
      ObjectNode have = current.get().toTree();
      if (have.path("subsets").equals(ep.path("subsets"))
          && have.path("metadata").path("labels").equals(meta.path("labels"))) {
        return;
      }
      store.update(endpoints, NAMESPACE, SERVICE, ep, ObjectStore.Scope.WHOLE, false);
    } else {
      store.create(endpoints, NAMESPACE, ep, false);
    }
  }

  private void writeSlice(List<String> ips) {
    ObjectNode es = Json.object();
    es.put("apiVersion", "discovery.k8s.io/v1");
    es.put("kind", "EndpointSlice");
    ObjectNode meta = es.putObject("metadata");
    meta.put("name", SERVICE);
    meta.put("namespace", NAMESPACE);
    meta.putObject("labels").put("kubernetes.io/service-name", SERVICE);
    es.put("addressType", "IPv4");
    ArrayNode eps = es.putArray("endpoints");
    for (String ip : ips) {
      ObjectNode e = eps.addObject();
      e.putArray("addresses").add(ip);
      e.putObject("conditions").put("ready", true);
    }
    portNode(es.putArray("ports"));
    Optional<StoredObject> current = store.get(slices, NAMESPACE, SERVICE);
    if (current.isPresent()) {
      ObjectNode have = current.get().toTree();
      if (have.path("endpoints").equals(es.path("endpoints"))
          && have.path("ports").equals(es.path("ports"))
          && have.path("metadata").path("labels").equals(meta.path("labels"))) {
        return;
      }
      store.update(slices, NAMESPACE, SERVICE, es, ObjectStore.Scope.WHOLE, false);
    } else {
      store.create(slices, NAMESPACE, es, false);
    }
  }
}
