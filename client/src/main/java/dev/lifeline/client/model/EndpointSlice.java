package dev.lifeline.client.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An EndpointSlice ({@code discovery.k8s.io/v1}): a part of a service's endpoints. The {@code
 * kubernetes} service's slices list the apiservers.
 *
 * @param metadata the metadata (the label {@code kubernetes.io/service-name} names the service)
 * @param addressType IPv4, IPv6 or FQDN
 * @param endpoints the endpoints
 * @param ports the ports, shared by every endpoint
 */
public record EndpointSlice(
    ObjectMeta metadata, String addressType, List<Endpoint> endpoints, List<Port> ports)
    implements KubeObject {

  /** The label that names the service a slice belongs to. */
  public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  /** Checks and copies. */
  public EndpointSlice {
    metadata = Objects.requireNonNullElse(metadata, ObjectMeta.empty());
    endpoints = Pod.copy(endpoints);
    ports = Pod.copy(ports);
  }

  /**
   * An endpoint.
   *
   * @param addresses its addresses (usually one)
   * @param ready {@code conditions.ready}; null means unknown, which consumers treat as ready
   * @param serving {@code conditions.serving}; null means unknown
   * @param terminating {@code conditions.terminating}; null means unknown, treated as not
   *     terminating
   * @param nodeName the node hosting it, or null
   * @param zone the zone, or null
   * @param hostname the hostname, or null
   * @param targetRef the object it stands for (usually a pod), or null
   */
  public record Endpoint(
      List<String> addresses,
      Boolean ready,
      Boolean serving,
      Boolean terminating,
      String nodeName,
      String zone,
      String hostname,
      ObjectReference targetRef) {

    /** Checks and copies. */
    public Endpoint {
      addresses = Pod.copy(addresses);
    }

    /** A ready endpoint with one address. */
    public static Endpoint ready(String address) {
      return new Endpoint(List.of(address), true, true, false, null, null, null, null);
    }

    /** Whether it is ready (unknown counts as ready, as the API documents). */
    public boolean isReady() {
      return ready == null || ready;
    }

    /** Whether it is terminating (unknown counts as not terminating). */
    public boolean isTerminating() {
      return terminating != null && terminating;
    }
  }

  /**
   * A port of the slice.
   *
   * @param name the port's name (matches the service port's name)
   * @param protocol TCP, UDP or SCTP
   * @param port the port number, or null when every port is meant
   * @param appProtocol the application protocol, or null
   */
  public record Port(String name, String protocol, Integer port, String appProtocol) {}

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link EndpointSlice}. Not thread-safe. */
  public static final class Builder {
    private ObjectMeta metadata = ObjectMeta.empty();
    private String addressType = "IPv4";
    private final List<Endpoint> endpoints = new ArrayList<>();
    private final List<Port> ports = new ArrayList<>();

    private Builder() {}

    /** The metadata. */
    public Builder metadata(ObjectMeta metadata) {
      this.metadata = metadata;
      return this;
    }

    /** The address type (default IPv4). */
    public Builder addressType(String addressType) {
      this.addressType = addressType;
      return this;
    }

    /** Adds an endpoint. */
    public Builder addEndpoint(Endpoint endpoint) {
      endpoints.add(endpoint);
      return this;
    }

    /** Adds a port. */
    public Builder addPort(Port port) {
      ports.add(port);
      return this;
    }

    /** The slice. */
    public EndpointSlice build() {
      return new EndpointSlice(metadata, addressType, endpoints, ports);
    }
  }
}
