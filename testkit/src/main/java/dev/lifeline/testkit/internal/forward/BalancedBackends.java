package dev.lifeline.testkit.internal.forward;

import dev.lifeline.testkit.LoadBalancerSpec;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A basic TCP load balancer's choice: a static list of servers, random or round robin, skipping the
 * servers its health checks (if any) hold down. Thread-safe.
 */
public final class BalancedBackends implements Backends {
  private final List<InetSocketAddress> servers;
  private final LoadBalancerSpec.Strategy strategy;
  private final TcpHealthChecks checks;
  private final AtomicInteger next = new AtomicInteger();

  /**
   * @param checks the health checks, or null to consider every server up
   */
  public BalancedBackends(
      List<InetSocketAddress> servers, LoadBalancerSpec.Strategy strategy, TcpHealthChecks checks) {
    this.servers = List.copyOf(servers);
    this.strategy = strategy;
    this.checks = checks;
  }

  @Override
  public Optional<InetSocketAddress> pick() {
    int n = servers.size();
    if (strategy == LoadBalancerSpec.Strategy.RANDOM) {
      List<InetSocketAddress> up = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (isUp(i)) {
          up.add(servers.get(i));
        }
      }
      return up.isEmpty()
          ? Optional.empty()
          : Optional.of(up.get(ThreadLocalRandom.current().nextInt(up.size())));
    }
    int start = Math.floorMod(next.getAndIncrement(), n);
    for (int k = 0; k < n; k++) {
      int i = (start + k) % n;
      if (isUp(i)) {
        return Optional.of(servers.get(i));
      }
    }
    return Optional.empty();
  }

  private boolean isUp(int index) {
    return checks == null || checks.isUp(index);
  }
}
