package dev.lifeline.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * A TCP load balancer in front of every instance, as clients outside a cluster often reach the
 * apiservers through one (by a name that resolves to it). Like a basic HAProxy in TCP mode: a
 * static list of backends (all instances, whatever the EndpointSlice says), random or round robin,
 * optionally TCP-connect health checks. Immutable; each method returns a modified copy.
 *
 * <p>Defaults: the instances' port (so a name that resolves to the balancer's address has the same
 * port as the endpoints, which the name-level resolver needs), {@link Strategy#ROUND_ROBIN}, no
 * health checks (every connection goes to the next backend, dead or alive; a failed backend connect
 * closes the client's connection).
 */
public final class LoadBalancerSpec {
  /** How the balancer picks a backend for each new connection. */
  public enum Strategy {
    /** A random backend among those considered up. */
    RANDOM,
    /** The next backend in instance order, skipping those considered down. */
    ROUND_ROBIN
  }

  private final String address;
  private final int port;
  private final Strategy strategy;
  private final Duration checkInterval;
  private final int fall;
  private final int rise;

  private LoadBalancerSpec(
      String address, int port, Strategy strategy, Duration checkInterval, int fall, int rise) {
    this.address = address;
    this.port = port;
    this.strategy = strategy;
    this.checkInterval = checkInterval;
    this.fall = fall;
    this.rise = rise;
  }

  /**
   * A load balancer listening on {@code address} (an IPv4 literal local to this machine, such as
   * 127.0.0.1) and the instances' port.
   *
   * @throws IllegalArgumentException when the address is not an IPv4 literal
   */
  public static LoadBalancerSpec on(String address) {
    Objects.requireNonNull(address, "address");
    if (!address.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      throw new IllegalArgumentException(
          "loadBalancer address must be an IPv4 literal, was " + address);
    }
    return new LoadBalancerSpec(address, 0, Strategy.ROUND_ROBIN, null, 3, 2);
  }

  /**
   * Listens on this port instead of the instances' port.
   *
   * @throws IllegalArgumentException when not between 1 and 65535
   */
  public LoadBalancerSpec port(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "loadBalancer port must be between 1 and 65535, was " + port);
    }
    return new LoadBalancerSpec(address, port, strategy, checkInterval, fall, rise);
  }

  /** The balancing strategy (default {@link Strategy#ROUND_ROBIN}). */
  public LoadBalancerSpec strategy(Strategy strategy) {
    return new LoadBalancerSpec(
        address, port, Objects.requireNonNull(strategy, "strategy"), checkInterval, fall, rise);
  }

  /**
   * TCP-connect health checks every {@code interval} (the connect timeout too), with HAProxy's
   * defaults: down after 3 consecutive failures, up again after 2 consecutive successes. Backends
   * start up.
   */
  public LoadBalancerSpec tcpHealthChecks(Duration interval) {
    return tcpHealthChecks(interval, 3, 2);
  }

  /**
   * TCP-connect health checks every {@code interval} (the connect timeout too): down after {@code
   * fall} consecutive failures, up after {@code rise} consecutive successes.
   *
   * @throws IllegalArgumentException when the interval is not positive or a count is below 1
   */
  public LoadBalancerSpec tcpHealthChecks(Duration interval, int fall, int rise) {
    Objects.requireNonNull(interval, "interval");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException(
          "loadBalancer health check interval must be positive, was " + interval);
    }
    if (fall < 1) {
      throw new IllegalArgumentException("loadBalancer fall must be at least 1, was " + fall);
    }
    if (rise < 1) {
      throw new IllegalArgumentException("loadBalancer rise must be at least 1, was " + rise);
    }
    return new LoadBalancerSpec(address, port, strategy, interval, fall, rise);
  }

  /** The listening address. */
  public String address() {
    return address;
  }

  /** The listening port, 0 for the instances' port. */
  public int port() {
    return port;
  }

  /** The strategy. */
  public Strategy strategy() {
    return strategy;
  }

  /** The health check interval, or null without health checks. */
  public Duration checkInterval() {
    return checkInterval;
  }

  /** Consecutive failed checks that take a backend down. */
  public int fall() {
    return fall;
  }

  /** Consecutive successful checks that bring a backend back up. */
  public int rise() {
    return rise;
  }

  @Override
  public String toString() {
    return "loadBalancer("
        + address
        + ":"
        + (port == 0 ? "<instances' port>" : Integer.toString(port))
        + ", "
        + strategy
        + (checkInterval == null
            ? ", no health checks"
            : ", tcp checks every " + checkInterval + " fall " + fall + " rise " + rise)
        + ")";
  }
}
