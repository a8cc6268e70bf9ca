package dev.lifeline.dnscheck.internal.cluster;

import dev.lifeline.dnscheck.internal.PodRef;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the checker knows of the cluster's DNS at one moment, from the API. Immutable.
 *
 * @param service the cluster DNS Service
 * @param pods every DNS pod (ready or not)
 * @param kubernetesClusterIps the {@code kubernetes} Service's ClusterIPs: the expected answers
 * @param clusterDomain the cluster domain, without a trailing dot
 * @param clusterDomainSource where the domain came from, for people
 * @param nodeLocalDns NodeLocal DNSCache, if the cluster runs it
 */
public record DnsTopology(
    DnsService service,
    List<DnsPod> pods,
    List<InetAddress> kubernetesClusterIps,
    String clusterDomain,
    String clusterDomainSource,
    Optional<NodeLocalDns> nodeLocalDns) {

  public DnsTopology {
    Objects.requireNonNull(service);
    pods = List.copyOf(pods);
    kubernetesClusterIps = List.copyOf(kubernetesClusterIps);
    Objects.requireNonNull(clusterDomain);
    Objects.requireNonNull(clusterDomainSource);
    Objects.requireNonNull(nodeLocalDns);
  }

  /**
   * The cluster DNS Service.
   *
   * @param namespace its namespace
   * @param name its name
   * @param uid its UID (events name it)
   * @param clusterIps its ClusterIPs (empty for a headless Service)
   * @param port the Service port of DNS (the port probes to the ClusterIP use)
   * @param targetPort the pods' DNS port when the Service gives a number; 0 when it names a
   *     container port (each pod's own number is {@link DnsPod#port()})
   * @param targetPortName the container port's name when the Service names one, else empty
   * @param type ClusterIP, NodePort or LoadBalancer
   * @param selector its pod selector
   */
  public record DnsService(
      String namespace,
      String name,
      String uid,
      List<InetAddress> clusterIps,
      int port,
      int targetPort,
      String targetPortName,
      String type,
      Map<String, String> selector) {
    public DnsService {
      clusterIps = List.copyOf(clusterIps);
      targetPortName = targetPortName == null ? "" : targetPortName;
      selector = Map.copyOf(selector);
    }
  }

  /**
   * A DNS pod.
   *
   * @param ref the pod
   * @param ip its IP, or null while it has none
   * @param port its DNS port: the Service's numeric target port, or the number of the container
   *     port the Service names; 0 when it declares no such port (it is then no endpoint of the
   *     Service)
   * @param ready whether its Ready condition is true (probed either way)
   * @param terminating whether it is being deleted
   * @param phase its phase
   */
  public record DnsPod(
      PodRef ref, InetAddress ip, int port, boolean ready, boolean terminating, String phase) {}

  /**
   * NodeLocal DNSCache.
   *
   * @param source what revealed it ({@code DaemonSet kube-system/node-local-dns})
   * @param bindAddresses the addresses it binds on each node (169.254.20.10, maybe the Service IP)
   * @param ownsServiceIp whether it binds the DNS Service's ClusterIP, so that a probe of that IP
   *     from a node or pod is answered by the node's cache, not by CoreDNS
   */
  public record NodeLocalDns(String source, List<String> bindAddresses, boolean ownsServiceIp) {
    public NodeLocalDns {
      bindAddresses = List.copyOf(bindAddresses);
    }
  }
}
