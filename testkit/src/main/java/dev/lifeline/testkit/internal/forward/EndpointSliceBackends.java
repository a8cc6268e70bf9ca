package dev.lifeline.testkit.internal.forward;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeline.testkit.internal.api.ResourceType;
import dev.lifeline.testkit.internal.store.ObjectStore;
import dev.lifeline.testkit.internal.store.StoredObject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * kube-proxy's choice for a Service: a random endpoint, per new connection, among the ready
 * endpoints of the Service's EndpointSlices (those labelled {@code kubernetes.io/service-name}), at
 * the port with the Service port's name; when none is ready, among those serving and terminating
 * (kube-proxy's terminating fallback). No health checks: an endpoint is chosen for as long as it is
 * in a slice. The slices are read from the store at each connect, so there is no sync delay (the
 * real kube-proxy programs its rules some milliseconds to a second after a change). Thread-safe.
 */
public final class EndpointSliceBackends implements Backends {
  private static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  private final ObjectStore store;
  private final ResourceType slices;
  private final String namespace;
  private final String service;
  private final String portName;

  /**
   * @param portName the Service port's name, which the slices' port carries
   */
  public EndpointSliceBackends(
      ObjectStore store, String namespace, String service, String portName) {
    this.store = store;
    this.slices = store.registry().byKind("discovery.k8s.io/v1", "EndpointSlice").orElseThrow();
    this.namespace = namespace;
    this.service = service;
    this.portName = portName;
  }

  @Override
  public Optional<InetSocketAddress> pick() {
    List<InetSocketAddress> candidates = endpoints();
    if (candidates.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(candidates.get(ThreadLocalRandom.current().nextInt(candidates.size())));
  }

  /** The endpoints a new connection may go to now. */
  public List<InetSocketAddress> endpoints() {
    List<InetSocketAddress> ready = new ArrayList<>();
    List<InetSocketAddress> terminating = new ArrayList<>();
    for (StoredObject slice : store.latest(slices, namespace, null).objects()) {
      if (!service.equals(slice.labels().get(SERVICE_NAME_LABEL))) {
        continue;
      }
      JsonNode tree = slice.toTree();
      if (!"IPv4".equals(tree.path("addressType").asText())) {
        continue;
      }
      int port = port(tree.path("ports"));
      if (port <= 0) {
        continue;
      }
      for (JsonNode e : tree.path("endpoints")) {
        JsonNode conditions = e.path("conditions");
        // An unset ready condition means ready (the API's documented default).
        boolean isReady = conditions.path("ready").asBoolean(true);
        boolean serving = conditions.path("serving").asBoolean(isReady);
        boolean isTerminating = conditions.path("terminating").asBoolean(false);
        for (JsonNode a : e.path("addresses")) {
          InetSocketAddress target = address(a.asText(), port);
          if (target == null) {
            continue;
          }
          if (isReady) {
            ready.add(target);
          } else if (serving && isTerminating) {
            terminating.add(target);
          }
        }
      }
    }
    return ready.isEmpty() ? terminating : ready;
  }

  private int port(JsonNode ports) {
    for (JsonNode p : ports) {
      if (p.path("name").asText("").equals(portName)
          && p.path("protocol").asText("TCP").equals("TCP")) {
        return p.path("port").asInt(0);
      }
    }
    return 0;
  }

  private static InetSocketAddress address(String literal, int port) {
    if (!literal.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      return null;
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(literal), port);
    } catch (UnknownHostException notALiteral) {
      return null;
    }
  }
}
