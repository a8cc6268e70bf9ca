package dev.lifeline.failover.it;

import static org.awaitility.Awaitility.await;

import dev.lifeline.client.KubeConfig;
import dev.lifeline.failover.Endpoint;
import dev.lifeline.failover.EndpointState;
import dev.lifeline.failover.EndpointStatus;
import dev.lifeline.failover.FailoverConfig;
import dev.lifeline.failover.FailoverEngine;
import dev.lifeline.testkit.ApiServerInstance;
import dev.lifeline.testkit.FakeControlPlane;
import dev.lifeline.testkit.FakeControlPlaneExtension;
import dev.lifeline.testkit.KubeconfigWriter;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/** Engines and kubeconfigs for ITs against the fake control plane. */
public final class ControlPlaneEngines {
  private ControlPlaneEngines() {}

  /**
   * Three instances, endpoint leases short enough that a blackholed or stopped instance leaves the
   * EndpointSlice within seconds, and a graceful shutdown that keeps serving 6 s after leaving
   * (longer than a drain takes, so that tests see new calls move while it still serves).
   */
  public static FakeControlPlaneExtension controlPlane() {
    return new FakeControlPlaneExtension(
        FakeControlPlane.builder()
            .instances(3)
            .ephemeralPort()
            .endpointLease(Duration.ofSeconds(3), Duration.ofMillis(500))
            .shutdownDelay(Duration.ofSeconds(6))
            .shutdownGracePeriod(Duration.ofSeconds(5)));
  }

  /** A kubeconfig file (admin token) written into {@code dir}, loaded as the light client would. */
  public static KubeConfig kubeConfig(
      FakeControlPlaneExtension cp, Path dir, UnaryOperator<KubeconfigWriter> customize) {
    try {
      Path file = Files.createTempFile(dir, "kubeconfig", ".yaml");
      customize.apply(cp.kubeconfig()).writeTo(file);
      return KubeConfig.loader().environment(Map.of()).kubeconfig(file).load();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * An engine configuration for {@code kubeConfig}: the server name "resolves" (the seed) to
   * instance {@code seed}, no local-address or environment same-node preference, a short debounce.
   */
  public static FailoverConfig.Builder config(
      FakeControlPlaneExtension cp, KubeConfig kubeConfig, EventRecorder events, int seed) {
    InetAddress seedAddress = cp.instance(seed).address();
    return FailoverConfig.builder(kubeConfig)
        .seedResolver(host -> List.of(seedAddress))
        .environment(Map.of())
        .detectLocalAddresses(false)
        .debounce(Duration.ofMillis(500))
        .listener(events);
  }

  /**
   * Waits until every instance is back in the {@code kubernetes} EndpointSlice (an instance
   * blackholed or stopped by the previous test rejoins only after its restore).
   */
  public static void awaitAllListed(FakeControlPlaneExtension cp) {
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> cp.endpointAddresses().size() == cp.instances().size());
  }

  /** Waits until the engine knows {@code count} endpoints, all up. */
  public static void awaitUp(FailoverEngine engine, int count) {
    try {
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () -> {
                List<EndpointStatus> endpoints = engine.endpoints();
                return endpoints.size() == count
                    && endpoints.stream().allMatch(s -> s.state() == EndpointState.UP);
              });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          "expected " + count + " endpoints up within 15 s; the engine has " + engine.endpoints(),
          e);
    }
  }

  /** The endpoint of an instance. */
  public static Endpoint endpoint(ApiServerInstance instance) {
    return new Endpoint(instance.address(), instance.port());
  }

  /** The instance listening on {@code endpoint}. */
  public static ApiServerInstance instanceAt(FakeControlPlaneExtension cp, Endpoint endpoint) {
    return cp.instances().stream()
        .filter(i -> i.address().equals(endpoint.address()))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    endpoint
                        + " is none of "
                        + cp.instances().stream()
                            .map(i -> i.address().getHostAddress())
                            .collect(Collectors.joining(", "))));
  }

  /** Milliseconds from {@code startNanos} to {@code endNanos}. */
  public static long millis(long startNanos, long endNanos) {
    return (endNanos - startNanos) / 1_000_000;
  }
}
