package dev.lifeline.bench.failover;

import dev.lifeline.testkit.FakeControlPlane;
import dev.lifeline.testkit.LoadBalancerSpec;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * The fake control plane the benchmark runs against, with the watched ConfigMaps, their writer and
 * one kubeconfig per configuration.
 *
 * <p>Three apiservers with the real endpoint lease (15 s TTL, reconciled every 10 s), so a
 * blackholed apiserver stays in the EndpointSlice for as long as on a real cluster; a graceful stop
 * serves on for {@code shutdownDelay} after leaving it; the watch history keeps 5,000 changes per
 * kind (over 8 minutes of the writer's 10 changes a second, so a watch resuming after the cap still
 * finds its version, as etcd keeps about 5 minutes).
 *
 * <p>Clients reach the apiservers as they would in a cluster, with or without Lifeline alike:
 *
 * <ul>
 *   <li>through the {@code kubernetes} Service's ClusterIP on port 443 (the testkit's kube-proxy
 *       stand-in: each new connection goes to a random endpoint of the EndpointSlice, dead or
 *       alive, until it leaves the slice); with Lifeline, the engine dials the endpoints itself (an
 *       IP host on another port than the endpoints');
 *   <li>the name-level client, which needs a host name on the endpoints' own port, through a load
 *       balancer on 127.0.0.1 and the instances' port by the name {@code localhost}: random
 *       backend, TCP health checks every 2 s, down after 3 failures, up after 2 successes
 *       (HAProxy's defaults); with Lifeline, the JDK resolver answers {@code localhost} with the
 *       endpoints.
 * </ul>
 */
final class BenchControlPlane implements AutoCloseable {
  static final int WATCHED_OBJECTS = 10;
  static final Duration CHANGE_INTERVAL = Duration.ofMillis(100);

  /** The endpoint lease TTL, as a real apiserver's. */
  static final Duration LEASE_TTL = Duration.ofSeconds(15);

  /** How often each apiserver renews its endpoint lease and reconciles, as a real apiserver. */
  static final Duration RECONCILE_INTERVAL = Duration.ofSeconds(10);

  private final FakeControlPlane cp;
  private final ChangeWriter writer;
  private final Path directory;
  private final Map<String, Path> kubeconfigs = new ConcurrentHashMap<>();

  private BenchControlPlane(FakeControlPlane cp, ChangeWriter writer, Path directory) {
    this.cp = cp;
    this.writer = writer;
    this.directory = directory;
  }

  /**
   * Starts the control plane with the {@code kubernetes} Service on {@code clusterIp} and the
   * writer; kubeconfigs go to the options' output directory.
   */
  static BenchControlPlane start(BenchOptions options, String clusterIp) {
    FakeControlPlane cp =
        FakeControlPlane.builder()
            .instances(3)
            .ephemeralPort()
            .clusterIp(clusterIp)
            .clusterIpListener(options.service())
            .loadBalancer(
                LoadBalancerSpec.on("127.0.0.1")
                    .strategy(LoadBalancerSpec.Strategy.RANDOM)
                    .tcpHealthChecks(Duration.ofSeconds(2), 3, 2))
            .endpointLease(LEASE_TTL, RECONCILE_INTERVAL)
            .shutdownDelay(options.shutdownDelay())
            .watchHistorySize(5_000)
            .start();
    try {
      cp.store()
          .create(
              "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\""
                  + TrialRunner.NAMESPACE
                  + "\"}}");
      cp.store().create(ChangeWriter.configMap(TrialRunner.NAMESPACE, TrialRunner.OBJECT, 0));
      List<String> names =
          IntStream.range(0, WATCHED_OBJECTS).mapToObj(i -> "watched-" + i).toList();
      ChangeWriter writer =
          new ChangeWriter(cp.store(), TrialRunner.NAMESPACE, names, CHANGE_INTERVAL);
      return new BenchControlPlane(cp, writer, options.out());
    } catch (RuntimeException e) {
      cp.close();
      throw e;
    }
  }

  FakeControlPlane controlPlane() {
    return cp;
  }

  ChangeWriter writer() {
    return writer;
  }

  /**
   * The kubeconfig of a configuration (admin token, the CA), written once. Every client reaches the
   * apiservers the way it would in a cluster; see {@link #serverUrl(Configuration)}.
   */
  Path kubeconfig(Configuration configuration) {
    return kubeconfigs.computeIfAbsent(
        serverUrl(configuration),
        url -> {
          Path file =
              directory.resolve(
                  "kubeconfig-"
                      + cp.port()
                      + "-"
                      + (configuration.client().isNameLevel() ? "lb" : "service")
                      + ".yaml");
          cp.kubeconfig().serverUrl(url).writeTo(file);
          return file;
        });
  }

  /** The server URL a configuration's kubeconfig names (see the class comment). */
  String serverUrl(Configuration configuration) {
    if (configuration.client().isNameLevel()) {
      return "https://localhost:" + cp.loadBalancerAddress().getPort();
    }
    InetSocketAddress service = cp.serviceAddress();
    return "https://" + service.getAddress().getHostAddress() + ":" + service.getPort();
  }

  @Override
  public void close() {
    try {
      writer.close();
    } finally {
      cp.close();
    }
  }
}
