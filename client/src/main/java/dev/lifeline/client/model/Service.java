package dev.lifeline.client.model;

import dev.lifeline.client.internal.json.StringMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A service ({@code v1/Service}): its type, cluster IPs, ports and selector.
 *
 * @param metadata the metadata
 * @param type {@code spec.type}: ClusterIP, NodePort, LoadBalancer, ExternalName
 * @param clusterIP {@code spec.clusterIP} ({@code None} for headless services)
 * @param clusterIPs {@code spec.clusterIPs}
 * @param ipFamilies {@code spec.ipFamilies}
 * @param ports {@code spec.ports}
 * @param selector {@code spec.selector}
 * @param externalName {@code spec.externalName}
 */
public record Service(
    ObjectMeta metadata,
    String type,
    String clusterIP,
    List<String> clusterIPs,
    List<String> ipFamilies,
    List<Port> ports,
    Map<String, String> selector,
    String externalName)
    implements KubeObject {

  /** Checks and copies. */
  public Service {
    metadata = Objects.requireNonNullElse(metadata, ObjectMeta.empty());
    clusterIPs = Pod.copy(clusterIPs);
    ipFamilies = Pod.copy(ipFamilies);
    ports = Pod.copy(ports);
    selector = StringMap.copyOf(selector);
  }

  /**
   * A service port.
   *
   * @param name the port's name (required when there are several)
   * @param protocol TCP, UDP or SCTP
   * @param port the service port
   * @param targetPort the pod port, by number or name
   * @param nodePort the node port, or null
   * @param appProtocol the application protocol, or null
   */
  public record Port(
      String name,
      String protocol,
      int port,
      IntOrString targetPort,
      Integer nodePort,
      String appProtocol) {

    /** A TCP port forwarding to the same port number. */
    public static Port tcp(String name, int port) {
      return new Port(name, "TCP", port, IntOrString.of(port), null, null);
    }

    /** A UDP port forwarding to the same port number. */
    public static Port udp(String name, int port) {
      return new Port(name, "UDP", port, IntOrString.of(port), null, null);
    }
  }

  /** The port with this name, or null. */
  public Port port(String name) {
    for (Port p : ports) {
      if (Objects.equals(name, p.name())) {
        return p;
      }
    }
    return null;
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link Service}. Not thread-safe. */
  public static final class Builder {
    private ObjectMeta metadata = ObjectMeta.empty();
    private String type;
    private String clusterIP;
    private final List<String> clusterIPs = new ArrayList<>();
    private final List<String> ipFamilies = new ArrayList<>();
    private final List<Port> ports = new ArrayList<>();
    private Map<String, String> selector = Map.of();
    private String externalName;

    private Builder() {}

    /** The metadata. */
    public Builder metadata(ObjectMeta metadata) {
      this.metadata = metadata;
      return this;
    }

    /** The type. */
    public Builder type(String type) {
      this.type = type;
      return this;
    }

    /** The primary cluster IP. */
    public Builder clusterIP(String clusterIP) {
      this.clusterIP = clusterIP;
      return this;
    }

    /** Adds a cluster IP. */
    public Builder addClusterIP(String ip) {
      clusterIPs.add(ip);
      return this;
    }

    /** Adds an IP family (IPv4, IPv6). */
    public Builder addIpFamily(String family) {
      ipFamilies.add(family);
      return this;
    }

    /** Adds a port. */
    public Builder addPort(Port port) {
      ports.add(port);
      return this;
    }

    /** The selector. */
    public Builder selector(Map<String, String> selector) {
      this.selector = selector;
      return this;
    }

    /** The external name (for ExternalName services). */
    public Builder externalName(String externalName) {
      this.externalName = externalName;
      return this;
    }

    /** The service. */
    public Service build() {
      return new Service(
          metadata, type, clusterIP, clusterIPs, ipFamilies, ports, selector, externalName);
    }
  }
}
