package dev.lifeline.failover.internal;

import dev.lifeline.client.model.EndpointSlice;
import dev.lifeline.client.model.Endpoints;
import dev.lifeline.failover.DiscoveredEndpoint;
import dev.lifeline.failover.Endpoint;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Turns the {@code kubernetes} EndpointSlices or Endpoints into endpoints with conditions. */
final class EndpointTranslation {
  /** The port name of the {@code kubernetes} service. */
  static final String PORT_NAME = "https";

  private EndpointTranslation() {}

  /** Every IP endpoint of the slices; FQDN slices and slices without a usable port are skipped. */
  static List<DiscoveredEndpoint> fromSlices(List<EndpointSlice> slices) {
    List<DiscoveredEndpoint> endpoints = new ArrayList<>();
    for (EndpointSlice slice : slices) {
      if (!"IPv4".equals(slice.addressType()) && !"IPv6".equals(slice.addressType())) {
        continue;
      }
      Optional<Integer> port = slicePort(slice.ports());
      if (port.isEmpty()) {
        continue;
      }
      for (EndpointSlice.Endpoint e : slice.endpoints()) {
        if (e.addresses().isEmpty()) {
          continue;
        }
        Optional<InetAddress> address = IpLiterals.parse(e.addresses().get(0));
        if (address.isEmpty()) {
          continue;
        }
        boolean ready = e.isReady();
        boolean serving = e.serving() == null ? ready : e.serving();
        endpoints.add(
            new DiscoveredEndpoint(
                new Endpoint(address.get(), port.get()), ready, serving, e.isTerminating()));
      }
    }
    return endpoints;
  }

  /** Every address of the Endpoints object: {@code notReadyAddresses} as not ready. */
  static List<DiscoveredEndpoint> fromEndpoints(Endpoints object) {
    List<DiscoveredEndpoint> endpoints = new ArrayList<>();
    for (Endpoints.Subset subset : object.subsets()) {
      Optional<Integer> port = subsetPort(subset.ports());
      if (port.isEmpty()) {
        continue;
      }
      add(endpoints, subset.addresses(), port.get(), true);
      add(endpoints, subset.notReadyAddresses(), port.get(), false);
    }
    return endpoints;
  }

  private static void add(
      List<DiscoveredEndpoint> endpoints,
      List<Endpoints.Address> addresses,
      int port,
      boolean ready) {
    for (Endpoints.Address a : addresses) {
      IpLiterals.parse(a.ip())
          .ifPresent(
              ip ->
                  endpoints.add(
                      new DiscoveredEndpoint(new Endpoint(ip, port), ready, ready, false)));
    }
  }

  private static Optional<Integer> slicePort(List<EndpointSlice.Port> ports) {
    for (EndpointSlice.Port p : ports) {
      if (PORT_NAME.equals(p.name()) && p.port() != null) {
        return Optional.of(p.port());
      }
    }
    if (ports.size() == 1 && ports.get(0).port() != null) {
      return Optional.of(ports.get(0).port());
    }
    return Optional.empty();
  }

  private static Optional<Integer> subsetPort(List<Endpoints.Port> ports) {
    for (Endpoints.Port p : ports) {
      if (PORT_NAME.equals(p.name())) {
        return Optional.of(p.port());
      }
    }
    return ports.size() == 1 ? Optional.of(ports.get(0).port()) : Optional.empty();
  }
}
