package dev.lifeline.failover.internal;

import dev.lifeline.failover.DiscoveredEndpoint;
import dev.lifeline.failover.Endpoint;
import dev.lifeline.failover.EndpointDiscovery;
import java.util.List;

/** Publishes one fixed set once. */
public final class FixedDiscovery implements EndpointDiscovery {
  public static final FixedDiscovery NONE = new FixedDiscovery(List.of());

  private final List<Endpoint> endpoints;

  public FixedDiscovery(List<Endpoint> endpoints) {
    this.endpoints = List.copyOf(endpoints);
  }

  @Override
  public void start(Context context) {
    if (!endpoints.isEmpty()) {
      context.publish(endpoints.stream().map(DiscoveredEndpoint::ready).toList(), "fixed list");
    }
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return endpoints.isEmpty() ? "none" : "fixed" + endpoints;
  }
}
