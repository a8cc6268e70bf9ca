package dev.lifeline.dnscheck.internal.engine;

import dev.lifeline.dnscheck.Transport;
import dev.lifeline.dnscheck.internal.Target;
import dev.lifeline.dnscheck.internal.cluster.DnsTopology;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The targets of the in-cluster mode (and the helper pod's): every ClusterIP of the DNS Service on
 * its port, and every DNS pod with an IP on its DNS port (the Service's target port, by number or
 * by the name of a container port). Pods without an IP yet, and pods that declare no port of the
 * Service's target port name, are left out (and named in the report's notes).
 */
public final class DirectTargets implements TargetPlanner {
  private final Set<Transport> transports;
  private final OptionalInt podPort;

  /**
   * @param transports the transports to probe over
   * @param podPort the pods' DNS port if configured, else the Service's target port
   */
  public DirectTargets(Set<Transport> transports, OptionalInt podPort) {
    this.transports = Set.copyOf(transports);
    this.podPort = podPort;
  }

  @Override
  public List<Target> targets(DnsTopology t) {
    List<Target> out = new ArrayList<>();
    DnsTopology.DnsService s = t.service();
    String note =
        t.nodeLocalDns()
            .filter(DnsTopology.NodeLocalDns::ownsServiceIp)
            .map(
                n ->
                    "NodeLocal DNSCache ("
                        + n.source()
                        + ") answers on this IP on every node: results show the node's cache,"
                        + " the pods are probed directly")
            .orElse("");
    for (InetAddress ip : s.clusterIps()) {
      out.add(
          Target.service(
              s.namespace(), s.name(), new InetSocketAddress(ip, s.port()), transports, note));
    }
    List<DnsTopology.DnsPod> pods = new ArrayList<>(t.pods());
    pods.sort(Comparator.comparing(p -> p.ref().name()));
    for (DnsTopology.DnsPod p : pods) {
      int port = podPort.orElse(p.port());
      if (p.ip() != null && port > 0) {
        out.add(Target.pod(p.ref(), new InetSocketAddress(p.ip(), port), transports));
      }
    }
    return out;
  }
}
