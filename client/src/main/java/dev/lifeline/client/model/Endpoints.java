package dev.lifeline.client.model;

import java.util.List;
import java.util.Objects;

/**
 * The legacy Endpoints object ({@code v1/Endpoints}): a service's endpoints as subsets.
 *
 * @param metadata the metadata
 * @param subsets the subsets: addresses sharing ports
 */
public record Endpoints(ObjectMeta metadata, List<Subset> subsets) implements KubeObject {

  /** Checks and copies. */
  public Endpoints {
    metadata = Objects.requireNonNullElse(metadata, ObjectMeta.empty());
    subsets = Pod.copy(subsets);
  }

  /**
   * Addresses that share ports.
   *
   * @param addresses the ready addresses
   * @param notReadyAddresses the addresses not ready yet
   * @param ports the ports
   */
  public record Subset(List<Address> addresses, List<Address> notReadyAddresses, List<Port> ports) {
    /** Checks and copies. */
    public Subset {
      addresses = Pod.copy(addresses);
      notReadyAddresses = Pod.copy(notReadyAddresses);
      ports = Pod.copy(ports);
    }
  }

  /**
   * An address.
   *
   * @param ip the IP
   * @param hostname the hostname, or null
   * @param nodeName the node, or null
   * @param targetRef the object behind it, or null
   */
  public record Address(String ip, String hostname, String nodeName, ObjectReference targetRef) {
    /** An address with only an IP. */
    public static Address of(String ip) {
      return new Address(ip, null, null, null);
    }
  }

  /**
   * A port.
   *
   * @param name the name, or null
   * @param port the number
   * @param protocol TCP, UDP or SCTP
   * @param appProtocol the application protocol, or null
   */
  public record Port(String name, int port, String protocol, String appProtocol) {}

  /** Endpoints with the given metadata and subsets. */
  public static Endpoints of(ObjectMeta metadata, List<Subset> subsets) {
    return new Endpoints(metadata, subsets);
  }
}
