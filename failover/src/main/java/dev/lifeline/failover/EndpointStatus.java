package dev.lifeline.failover;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of one endpoint as the engine sees it, for diagnostics, metrics and a demo's timeline.
 *
 * @param endpoint the endpoint
 * @param state its health
 * @param reason why it is in that state (the last failure or drain reason), empty when up
 * @param sameNode whether it runs on this node (local address, {@code HOST_IP} or the node's
 *     addresses)
 * @param lastWorking whether the last connection the engine made went to it
 * @param connections how many connections handed out by the engine are open to it
 * @param latency the smoothed round trip of its probes and connects, empty before the first
 */
public record EndpointStatus(
    Endpoint endpoint,
    EndpointState state,
    String reason,
    boolean sameNode,
    boolean lastWorking,
    int connections,
    Optional<Duration> latency) {

  /** Checks that nothing is null. */
  public EndpointStatus {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(latency, "latency");
  }
}
