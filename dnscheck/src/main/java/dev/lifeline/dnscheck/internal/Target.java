package dev.lifeline.dnscheck.internal;

import dev.lifeline.dnscheck.Transport;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Something the checker probes: the DNS Service's IP, one DNS pod, or an exposed address.
 *
 * @param kind what it is
 * @param id a stable identifier: {@code service/kube-system/kube-dns}, {@code
 *     pod/kube-system/coredns-x}, {@code exposed/192.0.2.1:30053}
 * @param address where probes go
 * @param transports the transports that can reach it (port-forward carries TCP only)
 * @param pod the pod, for pod targets
 * @param note what the results mean, when that is not obvious (for example that NodeLocal DNSCache
 *     answers on the Service IP); empty if none
 */
public record Target(
    Kind kind,
    String id,
    InetSocketAddress address,
    Set<Transport> transports,
    Optional<PodRef> pod,
    String note) {

  /** What a target is. */
  public enum Kind {
    SERVICE,
    POD,
    EXPOSED;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public Target {
    Objects.requireNonNull(kind);
    Objects.requireNonNull(id);
    Objects.requireNonNull(address);
    transports = Set.copyOf(transports);
    Objects.requireNonNull(pod);
    note = note == null ? "" : note;
    if (transports.isEmpty()) {
      throw new IllegalArgumentException("target " + id + " has no transport");
    }
    if (kind == Kind.POD && pod.isEmpty()) {
      throw new IllegalArgumentException("pod target " + id + " without its pod");
    }
  }

  public static Target service(
      String namespace, String name, InetSocketAddress address, Set<Transport> t, String note) {
    return new Target(
        Kind.SERVICE, "service/" + namespace + "/" + name, address, t, Optional.empty(), note);
  }

  public static Target pod(PodRef pod, InetSocketAddress address, Set<Transport> t) {
    return new Target(Kind.POD, "pod/" + pod, address, t, Optional.of(pod), "");
  }

  public static Target exposed(String via, InetSocketAddress address, Set<Transport> t) {
    return new Target(
        Kind.EXPOSED,
        "exposed/" + address.getAddress().getHostAddress() + ":" + address.getPort(),
        address,
        t,
        Optional.empty(),
        via);
  }

  /** The address as {@code ip:port}. */
  public String endpoint() {
    String host = address.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  /** The short name used in tables: the pod's or Service's name, or the address. */
  public String displayName() {
    return switch (kind) {
      case POD -> pod.orElseThrow().name();
      case SERVICE -> id.substring(id.lastIndexOf('/') + 1);
      case EXPOSED -> endpoint();
    };
  }
}
