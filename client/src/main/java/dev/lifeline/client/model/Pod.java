package dev.lifeline.client.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A pod ({@code v1/Pod}) with the fields Lifeline reads: where it runs, its addresses, its phase,
 * conditions and container health. Fields a projection dropped or the server did not send are null
 * (lists: empty).
 *
 * @param metadata the metadata
 * @param nodeName {@code spec.nodeName}
 * @param hostNetwork {@code spec.hostNetwork}
 * @param serviceAccountName {@code spec.serviceAccountName}
 * @param containers {@code spec.containers} (name, image and declared ports)
 * @param phase {@code status.phase}: Pending, Running, Succeeded, Failed, Unknown
 * @param podIP {@code status.podIP}
 * @param podIPs {@code status.podIPs[].ip}
 * @param hostIP {@code status.hostIP}
 * @param startTime {@code status.startTime}
 * @param reason {@code status.reason}
 * @param message {@code status.message}
 * @param conditions {@code status.conditions}
 * @param containerStatuses {@code status.containerStatuses}
 */
public record Pod(
    ObjectMeta metadata,
    String nodeName,
    Boolean hostNetwork,
    String serviceAccountName,
    List<Container> containers,
    String phase,
    String podIP,
    List<String> podIPs,
    String hostIP,
    Instant startTime,
    String reason,
    String message,
    List<Condition> conditions,
    List<ContainerStatus> containerStatuses)
    implements KubeObject {

  /** Checks and copies the lists. */
  public Pod {
    metadata = Objects.requireNonNullElse(metadata, ObjectMeta.empty());
    containers = copy(containers);
    podIPs = copy(podIPs);
    conditions = copy(conditions);
    containerStatuses = copy(containerStatuses);
  }

  /**
   * A container of the pod's spec.
   *
   * @param name its name
   * @param image its image
   * @param ports {@code ports}: the ports it declares (empty when none, or not decoded)
   */
  public record Container(String name, String image, List<ContainerPort> ports) {
    /** Copies the ports. */
    public Container {
      ports = copy(ports);
    }

    /** A container that declares no ports. */
    public Container(String name, String image) {
      this(name, image, List.of());
    }
  }

  /**
   * A port a container declares.
   *
   * @param name its name (an IANA_SVC_NAME, what a Service's named {@code targetPort} refers to),
   *     or null
   * @param containerPort the port number
   * @param protocol TCP, UDP or SCTP; null when not given (the API server defaults it to TCP)
   */
  public record ContainerPort(String name, int containerPort, String protocol) {}

  /**
   * A container's status.
   *
   * @param name the container's name
   * @param ready whether it passes its readiness probe
   * @param restartCount how many times it restarted
   * @param started whether its startup probe passed (null when not reported)
   * @param image the image it runs
   */
  public record ContainerStatus(
      String name, boolean ready, int restartCount, Boolean started, String image) {}

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this pod's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.metadata = metadata;
    b.nodeName = nodeName;
    b.hostNetwork = hostNetwork;
    b.serviceAccountName = serviceAccountName;
    b.containers.addAll(containers);
    b.phase = phase;
    b.podIP = podIP;
    b.podIPs.addAll(podIPs);
    b.hostIP = hostIP;
    b.startTime = startTime;
    b.reason = reason;
    b.message = message;
    b.conditions.addAll(conditions);
    b.containerStatuses.addAll(containerStatuses);
    return b;
  }

  /** The condition of the given type, or null. */
  public Condition condition(String type) {
    for (Condition c : conditions) {
      if (type.equals(c.type())) {
        return c;
      }
    }
    return null;
  }

  /** Whether the pod's {@code Ready} condition is {@code True}. */
  public boolean isReady() {
    Condition ready = condition("Ready");
    return ready != null && ready.isTrue();
  }

  /**
   * The number of the container port with this name and protocol, as the endpoints controller
   * resolves a Service's named {@code targetPort}: the first match across the containers, a port
   * without a protocol counting as TCP.
   *
   * @param protocol TCP, UDP or SCTP (null: TCP)
   * @return the port number, or empty when no container declares such a port
   */
  public OptionalInt portNumber(String name, String protocol) {
    String wanted = protocol == null ? "TCP" : protocol;
    for (Container c : containers) {
      for (ContainerPort p : c.ports()) {
        String declared = p.protocol() == null ? "TCP" : p.protocol();
        if (name.equals(p.name()) && wanted.equalsIgnoreCase(declared)) {
          return OptionalInt.of(p.containerPort());
        }
      }
    }
    return OptionalInt.empty();
  }

  /** The sum of its containers' restart counts. */
  public int restartCount() {
    int sum = 0;
    for (ContainerStatus s : containerStatuses) {
      sum += s.restartCount();
    }
    return sum;
  }

  static <T> List<T> copy(List<T> list) {
    return list == null ? List.of() : List.copyOf(list);
  }

  /** Builds a {@link Pod}. Not thread-safe. */
  public static final class Builder {
    private ObjectMeta metadata = ObjectMeta.empty();
    private String nodeName;
    private Boolean hostNetwork;
    private String serviceAccountName;
    private final List<Container> containers = new ArrayList<>();
    private String phase;
    private String podIP;
    private final List<String> podIPs = new ArrayList<>();
    private String hostIP;
    private Instant startTime;
    private String reason;
    private String message;
    private final List<Condition> conditions = new ArrayList<>();
    private final List<ContainerStatus> containerStatuses = new ArrayList<>();

    private Builder() {}

    /** The metadata. */
    public Builder metadata(ObjectMeta metadata) {
      this.metadata = metadata;
      return this;
    }

    /** The node it is bound to. */
    public Builder nodeName(String nodeName) {
      this.nodeName = nodeName;
      return this;
    }

    /** Whether it uses the node's network namespace. */
    public Builder hostNetwork(Boolean hostNetwork) {
      this.hostNetwork = hostNetwork;
      return this;
    }

    /** Its service account. */
    public Builder serviceAccountName(String serviceAccountName) {
      this.serviceAccountName = serviceAccountName;
      return this;
    }

    /** Adds a container. */
    public Builder addContainer(String name, String image) {
      containers.add(new Container(name, image));
      return this;
    }

    /** Adds a container with its ports. */
    public Builder addContainer(Container container) {
      containers.add(container);
      return this;
    }

    /** The phase. */
    public Builder phase(String phase) {
      this.phase = phase;
      return this;
    }

    /** The primary pod IP (also added to {@code podIPs} when that is empty at build time). */
    public Builder podIP(String podIP) {
      this.podIP = podIP;
      return this;
    }

    /** Adds a pod IP. */
    public Builder addPodIP(String ip) {
      podIPs.add(ip);
      return this;
    }

    /** The node's IP. */
    public Builder hostIP(String hostIP) {
      this.hostIP = hostIP;
      return this;
    }

    /** When the kubelet acknowledged the pod. */
    public Builder startTime(Instant startTime) {
      this.startTime = startTime;
      return this;
    }

    /** A short reason for the status. */
    public Builder reason(String reason) {
      this.reason = reason;
      return this;
    }

    /** A message for the status. */
    public Builder message(String message) {
      this.message = message;
      return this;
    }

    /** Adds (or replaces, by type) a condition. */
    public Builder condition(Condition condition) {
      conditions.removeIf(c -> c.type().equals(condition.type()));
      conditions.add(condition);
      return this;
    }

    /** Adds a container status. */
    public Builder addContainerStatus(ContainerStatus status) {
      containerStatuses.add(status);
      return this;
    }

    /** The pod. */
    public Pod build() {
      List<String> ips = podIPs.isEmpty() && podIP != null ? List.of(podIP) : podIPs;
      return new Pod(
          metadata,
          nodeName,
          hostNetwork,
          serviceAccountName,
          containers,
          phase,
          podIP,
          ips,
          hostIP,
          startTime,
          reason,
          message,
          conditions,
          containerStatuses);
    }
  }
}
