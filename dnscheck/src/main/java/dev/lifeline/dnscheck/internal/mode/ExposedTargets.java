package dev.lifeline.dnscheck.internal.mode;

import dev.lifeline.client.AccessCheck;
import dev.lifeline.client.KubeClient;
import dev.lifeline.client.ListOptions;
import dev.lifeline.client.ResourceType;
import dev.lifeline.client.model.GenericObject;
import dev.lifeline.dnscheck.Transport;
import dev.lifeline.dnscheck.internal.Target;
import dev.lifeline.dnscheck.internal.cluster.DnsTopology;
import dev.lifeline.dnscheck.internal.engine.TargetPlanner;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.Address;

/**
 * The exposed-port mode's targets: a NodePort or LoadBalancer Service that exposes the DNS pods.
 * LoadBalancer ingress IPs on the Service port; else every node's address (ExternalIP if the nodes
 * have one, else InternalIP) on the node port. UDP and TCP may have different node ports, so a
 * target carries the transports its port serves.
 */
public final class ExposedTargets implements TargetPlanner {
  static final ResourceType<GenericObject> SERVICES =
      ResourceType.generic("", "v1", "services", "Service", true);
  static final ResourceType<GenericObject> NODES =
      ResourceType.generic("", "v1", "nodes", "Node", false);

  private final List<Target> targets;
  private final String via;

  private ExposedTargets(List<Target> targets, String via) {
    this.targets = List.copyOf(targets);
    this.via = via;
  }

  /** What exposes the DNS, for the mode's reason. */
  public String via() {
    return via;
  }

  @Override
  public List<Target> targets(DnsTopology topology) {
    return targets;
  }

  /**
   * What the search for an exposed port found: targets, or why there are none.
   *
   * @param targets the targets, if any
   * @param why why there are none (empty when found)
   */
  record Search(Optional<ExposedTargets> targets, String why) {
    static Search none(String why) {
      return new Search(Optional.empty(), why);
    }
  }

  /**
   * Finds the exposing Service and its addresses, asking first whether this user may read what it
   * needs: the Services of the DNS namespace (or the configured one), and the nodes for a NodePort.
   *
   * @param configured {@code namespace/name} if configured
   */
  static Search find(
      KubeClient client,
      DnsTopology topology,
      Optional<String> configured,
      Set<Transport> transports,
      Permissions permissions) {
    Optional<GenericObject> service;
    try {
      if (configured.isPresent()) {
        String[] nn = configured.get().split("/", 2);
        Permissions.Answer may =
            permissions.ask(List.of(AccessCheck.of("get", "services").inNamespace(nn[0])));
        if (may.isDenied()) {
          return Search.none("this user may not " + may.deniedText() + " (--exposed-service)");
        }
        service = client.find(SERVICES, nn[0], nn[1]);
        if (service.isEmpty()) {
          return Search.none("no Service " + configured.get() + " (--exposed-service)");
        }
      } else {
        String ns = topology.service().namespace();
        Permissions.Answer may =
            permissions.ask(List.of(AccessCheck.of("list", "services").inNamespace(ns)));
        if (may.isDenied()) {
          return Search.none("this user may not " + may.deniedText());
        }
        service = findExposing(client, topology);
        if (service.isEmpty()) {
          return Search.none(
              "no NodePort or LoadBalancer Service in "
                  + ns
                  + " selects the DNS pods (name one with --exposed-service)");
        }
      }
      return addresses(client, service.get(), transports, permissions);
    } catch (RuntimeException e) {
      return Search.none("the API refused: " + e.getMessage());
    }
  }

  private static Search addresses(
      KubeClient client, GenericObject s, Set<Transport> transports, Permissions permissions) {
    String name = s.metadata().namespace() + "/" + s.metadata().name();
    String type = Objects.requireNonNullElse(s.string("spec", "type"), "ClusterIP");
    if (!type.equals("NodePort") && !type.equals("LoadBalancer")) {
      return Search.none("Service " + name + " is of type " + type + ", which exposes nothing");
    }
    List<Target> out = new ArrayList<>();
    List<Map<?, ?>> ports = maps(s.at("spec", "ports"));
    String lbNote = "";
    if (type.equals("LoadBalancer")) {
      List<String> hostnames = new ArrayList<>();
      List<String> ips = new ArrayList<>();
      for (Map<?, ?> ingress : maps(s.at("status", "loadBalancer", "ingress"))) {
        InetAddress ip = ip(str(ingress.get("ip")));
        if (ip != null) {
          addTargets(out, ip, ports, false, transports, "LoadBalancer " + name);
          ips.add(ip.getHostAddress());
        } else if (ingress.get("hostname") != null) {
          hostnames.add(str(ingress.get("hostname")));
        }
      }
      if (!out.isEmpty()) {
        return new Search(
            Optional.of(
                new ExposedTargets(
                    out,
                    "LoadBalancer Service " + name + " (ingress " + String.join(", ", ips) + ")")),
            "");
      }
      lbNote =
          hostnames.isEmpty()
              ? "its load balancer has no ingress IP yet"
              : "its load balancer's ingress is a host name ("
                  + String.join(", ", hostnames)
                  + "), which the checker does not resolve through the DNS it checks";
    }
    Permissions.Answer may = permissions.ask(List.of(AccessCheck.of("list", "nodes")));
    if (may.isDenied()) {
      return Search.none(
          type
              + " Service "
              + name
              + " exposes the DNS pods"
              + (lbNote.isEmpty() ? "" : " (" + lbNote + ")")
              + ", but this user may not "
              + may.deniedText()
              + " to find the node ports' addresses");
    }
    for (InetAddress node : nodeAddresses(client)) {
      addTargets(out, node, ports, true, transports, "NodePort of " + name);
    }
    if (out.isEmpty()) {
      return Search.none(
          type
              + " Service "
              + name
              + (lbNote.isEmpty() ? "" : " (" + lbNote + ")")
              + ": no node port of its DNS ports on a node with an address");
    }
    return new Search(
        Optional.of(
            new ExposedTargets(
                out,
                type
                    + " Service "
                    + name
                    + " (node ports"
                    + (lbNote.isEmpty() ? "" : "; " + lbNote)
                    + ")")),
        "");
  }

  private static void addTargets(
      List<Target> out,
      InetAddress ip,
      List<Map<?, ?>> ports,
      boolean nodePort,
      Set<Transport> wanted,
      String via) {
    Map<Integer, Set<Transport>> byPort = new java.util.TreeMap<>();
    for (Map<?, ?> p : ports) {
      int target = intOf(p.get("targetPort"), intOf(p.get("port"), 0));
      int servicePort = intOf(p.get("port"), 0);
      if (servicePort != 53
          && target != 53
          && !"dns".equals(p.get("name"))
          && !"dns-tcp".equals(p.get("name"))) {
        continue;
      }
      int port = nodePort ? intOf(p.get("nodePort"), 0) : servicePort;
      if (port <= 0) {
        continue;
      }
      Transport t = "TCP".equalsIgnoreCase(str(p.get("protocol"))) ? Transport.TCP : Transport.UDP;
      if (p.get("protocol") == null) {
        t = Transport.TCP; // the API's default protocol
      }
      if (wanted.contains(t)) {
        byPort.computeIfAbsent(port, k -> EnumSet.noneOf(Transport.class)).add(t);
      }
    }
    byPort.forEach((port, ts) -> out.add(Target.exposed(via, new InetSocketAddress(ip, port), ts)));
  }

  private static Optional<GenericObject> findExposing(KubeClient client, DnsTopology topology) {
    DnsTopology.DnsService dns = topology.service();
    for (GenericObject s :
        client.list(SERVICES, ListOptions.inNamespace(dns.namespace())).items()) {
      String type = Objects.requireNonNullElse(s.string("spec", "type"), "ClusterIP");
      if (!type.equals("NodePort") && !type.equals("LoadBalancer")) {
        continue;
      }
      boolean isDns = s.metadata().name().equals(dns.name());
      Object selector = s.at("spec", "selector");
      if (isDns || (selector instanceof Map<?, ?> m && !m.isEmpty() && m.equals(dns.selector()))) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  private static List<InetAddress> nodeAddresses(KubeClient client) {
    List<InetAddress> internal = new ArrayList<>();
    List<InetAddress> external = new ArrayList<>();
    for (GenericObject n : client.list(NODES, ListOptions.all()).items()) {
      for (Map<?, ?> a : maps(n.at("status", "addresses"))) {
        InetAddress ip = ip(str(a.get("address")));
        if (ip == null) {
          continue;
        }
        if ("ExternalIP".equals(a.get("type"))) {
          external.add(ip);
        } else if ("InternalIP".equals(a.get("type"))) {
          internal.add(ip);
        }
      }
    }
    return external.isEmpty() ? internal : external;
  }

  private static List<Map<?, ?>> maps(Object o) {
    List<Map<?, ?>> out = new ArrayList<>();
    if (o instanceof List<?> l) {
      for (Object e : l) {
        if (e instanceof Map<?, ?> m) {
          out.add(m);
        }
      }
    }
    return out;
  }

  private static String str(Object o) {
    return o == null ? null : String.valueOf(o);
  }

  private static int intOf(Object o, int fallback) {
    if (o instanceof Number n) {
      return n.intValue();
    }
    return fallback;
  }

  private static InetAddress ip(String literal) {
    if (literal == null) {
      return null;
    }
    byte[] raw = Address.toByteArray(literal, literal.contains(":") ? Address.IPv6 : Address.IPv4);
    try {
      return raw == null ? null : InetAddress.getByAddress(raw);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
