package dev.lifeline.failover;

import java.util.Objects;

/**
 * An endpoint as a discovery source saw it, with the EndpointSlice conditions.
 *
 * <p>The engine uses an endpoint for new connections when it is {@code ready}; an endpoint that is
 * {@code serving} but {@code terminating} is drained; one that is listed but neither is treated
 * like one that left the slice.
 *
 * @param endpoint address and port
 * @param ready the {@code ready} condition (an Endpoints address is ready unless listed under
 *     {@code notReadyAddresses})
 * @param serving the {@code serving} condition
 * @param terminating the {@code terminating} condition
 */
public record DiscoveredEndpoint(
    Endpoint endpoint, boolean ready, boolean serving, boolean terminating) {

  /** Checks that the endpoint is not null. */
  public DiscoveredEndpoint {
    Objects.requireNonNull(endpoint, "endpoint");
  }

  /** A ready, serving endpoint: what a healthy apiserver publishes. */
  public static DiscoveredEndpoint ready(Endpoint endpoint) {
    return new DiscoveredEndpoint(endpoint, true, true, false);
  }
}
