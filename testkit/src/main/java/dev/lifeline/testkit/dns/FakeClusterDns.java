package dev.lifeline.testkit.dns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeline.testkit.FakeControlPlane;
import dev.lifeline.testkit.StoreEvent;
import dev.lifeline.testkit.StoreListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fake CoreDNS bound to a fake control plane: the {@code kube-system/kube-dns} Service (its
 * ClusterIP is the harness's Service address), the {@code coredns} ConfigMap with a Corefile, and
 * one Pod object per fake pod (labels {@code k8s-app: kube-dns}, Running, Ready, its IP the
 * server's). Every pod serves records derived from the store's Services, as CoreDNS's kubernetes
 * plugin would ({@code <name>.<namespace>.svc.<domain>} is the ClusterIP).
 *
 * <p>The control plane's service range must hold the harness's Service IP ({@code 127.N.0.10}):
 * build it with {@code serviceCidr("127.0.0.0/8")} and a {@code clusterIp} in that range (for
 * example {@code 127.96.0.1}).
 *
 * <p>There is no kubelet or ReplicaSet controller in the fake, so this plays the ReplicaSet: when a
 * DNS Pod object is deleted (an eviction), its server stops and a new pod with a new name, IP and
 * server takes its place, as a Deployment would.
 */
public final class FakeClusterDns implements AutoCloseable {
  public static final String NAMESPACE = "kube-system";
  public static final String SERVICE = "kube-dns";
  public static final String REPLICA_SET = "coredns-5d78c9869d";

  private final FakeControlPlane cp;
  private final FakeCoreDns dns;
  private final StoreListener listener = this::onEvent;
  private final Map<String, String> uids = new LinkedHashMap<>();
  private final AtomicInteger replaced = new AtomicInteger();
  private final List<String> deleted = new ArrayList<>();
  private volatile boolean replacing = true;
  private int nextSuffix;

  private FakeClusterDns(FakeControlPlane cp, FakeCoreDns dns) {
    this.cp = cp;
    this.dns = dns;
  }

  /**
   * Creates the Service, the ConfigMap and {@code replicas} pods.
   *
   * @param dns the fake CoreDNS; its records are replaced by those derived from the store
   */
  public static FakeClusterDns start(FakeControlPlane cp, FakeCoreDns dns, int replicas) {
    FakeClusterDns c = new FakeClusterDns(cp, dns);
    String ip = dns.serviceAddress().getAddress().getHostAddress();
    int port = dns.port();
    cp.store()
        .create(
            """
            apiVersion: v1
            kind: Service
            metadata:
              name: %s
              namespace: %s
              labels: {k8s-app: kube-dns, kubernetes.io/name: CoreDNS}
            spec:
              type: ClusterIP
              clusterIP: %s
              clusterIPs: [%s]
              selector: {k8s-app: kube-dns}
              ports:
              - {name: dns, protocol: UDP, port: %d, targetPort: %d}
              - {name: dns-tcp, protocol: TCP, port: %d, targetPort: %d}
            """
                .formatted(SERVICE, NAMESPACE, ip, ip, port, port, port, port));
    cp.store()
        .create(
            """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: coredns, namespace: %s}
            data:
              Corefile: |
                .:53 {
                    errors
                    health
                    ready
                    kubernetes %s in-addr.arpa ip6.arpa {
                       pods insecure
                       fallthrough in-addr.arpa ip6.arpa
                    }
                    forward . /etc/resolv.conf
                    cache 30
                }
            """
                .formatted(NAMESPACE, dns.records().clusterDomain()));
    c.syncRecords();
    for (int i = 0; i < replicas; i++) {
      c.addPod();
    }
    cp.store().addListener(c.listener);
    return c;
  }

  /** Serves records derived from every Service in the store now. */
  public void syncRecords() {
    DnsRecords r = DnsRecords.forDomain(dns.records().clusterDomain());
    for (ObjectNode s : cp.store().list("v1", "Service", null)) {
      JsonNode ips = s.path("spec").path("clusterIPs");
      List<String> list = new ArrayList<>();
      ips.forEach(n -> list.add(n.asText()));
      if (list.isEmpty() && s.path("spec").hasNonNull("clusterIP")) {
        list.add(s.path("spec").path("clusterIP").asText());
      }
      list.removeIf(x -> x.isEmpty() || x.equals("None"));
      if (!list.isEmpty()) {
        r =
            r.withService(
                s.path("metadata").path("namespace").asText(),
                s.path("metadata").path("name").asText(),
                list.toArray(String[]::new));
      }
    }
    dns.records(r);
  }

  /** Starts a new DNS pod (server and Pod object) and returns its name. */
  public synchronized String addPod() {
    String name = REPLICA_SET + "-" + suffix(nextSuffix++);
    FakeDnsPod pod = dns.addPod(name);
    String uid = java.util.UUID.randomUUID().toString();
    uids.put(name, uid);
    String ip = pod.ip().getHostAddress();
    cp.store()
        .create(
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: %s
              namespace: %s
              uid: %s
              labels: {k8s-app: kube-dns, pod-template-hash: 5d78c9869d}
              ownerReferences:
              - {apiVersion: apps/v1, kind: ReplicaSet, name: %s, uid: 6f1c3a2e-0000-4000-8000-000000000001, controller: true, blockOwnerDeletion: true}
            spec:
              nodeName: node-%d
              containers:
              - name: coredns
                image: registry.k8s.io/coredns/coredns:v1.11.3
                ports:
                - {name: dns, containerPort: %d, protocol: UDP}
                - {name: dns-tcp, containerPort: %d, protocol: TCP}
            status:
              phase: Running
              podIP: %s
              podIPs: [{ip: %s}]
              hostIP: 10.0.0.%d
              conditions:
              - {type: Ready, status: "True"}
              - {type: ContainersReady, status: "True"}
            """
                .formatted(
                    name,
                    NAMESPACE,
                    uid,
                    REPLICA_SET,
                    1 + nextSuffix % 3,
                    dns.port(),
                    dns.port(),
                    ip,
                    ip,
                    1 + nextSuffix % 3));
    return name;
  }

  /** The DNS pods' names now, oldest first. */
  public synchronized List<String> podNames() {
    return List.copyOf(uids.keySet());
  }

  /** A DNS pod's fake server. */
  public FakeDnsPod pod(String name) {
    return dns.pod(name);
  }

  /** The fake CoreDNS under this cluster. */
  public FakeCoreDns dns() {
    return dns;
  }

  /** Pods replaced after their Pod object was deleted. */
  public int replacements() {
    return replaced.get();
  }

  /** Names of DNS Pod objects that were deleted (evicted), in order. */
  public synchronized List<String> deletedPods() {
    return List.copyOf(deleted);
  }

  /** Whether deleted pods are replaced (default true). */
  public void replacing(boolean on) {
    this.replacing = on;
  }

  private void onEvent(StoreEvent e) {
    if (!e.type().equals("DELETED")
        || !e.kind().equals("Pod")
        || !e.namespace().equals(NAMESPACE)) {
      return;
    }
    synchronized (this) {
      if (uids.remove(e.name()) == null) {
        return;
      }
      deleted.add(e.name());
      dns.removePod(e.name());
      if (replacing) {
        addPod();
        replaced.incrementAndGet();
      }
    }
  }

  private static String suffix(int n) {
    String alphabet = "bcdfghjklmnpqrstvwxz2456789";
    StringBuilder sb = new StringBuilder();
    int v = n * 7919 + 104729;
    for (int i = 0; i < 5; i++) {
      sb.append(alphabet.charAt(v % alphabet.length()));
      v /= alphabet.length();
    }
    return sb.toString();
  }

  /** Stops replacing pods; the servers belong to the {@link FakeCoreDns}. */
  @Override
  public void close() {
    cp.store().removeListener(listener);
  }
}
