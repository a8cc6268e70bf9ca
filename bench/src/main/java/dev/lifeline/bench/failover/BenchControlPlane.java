package dev.lifeline.bench.failover;

import dev.lifeline.testkit.FakeControlPlane;
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
 */
final class BenchControlPlane implements AutoCloseable {
  static final int WATCHED_OBJECTS = 10;
  static final Duration CHANGE_INTERVAL = Duration.ofMillis(100);

  private final FakeControlPlane cp;
  private final ChangeWriter writer;
  private final Path directory;
  private final Map<String, Path> kubeconfigs = new ConcurrentHashMap<>();

  private BenchControlPlane(FakeControlPlane cp, ChangeWriter writer, Path directory) {
    this.cp = cp;
    this.writer = writer;
    this.directory = directory;
  }

  /** Starts the control plane and the writer; kubeconfigs go to the options' output directory. */
  static BenchControlPlane start(BenchOptions options) {
    FakeControlPlane cp =
        FakeControlPlane.builder()
            .instances(3)
            .ephemeralPort()
            .extraCertificateNames("localhost")
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
          Path file = directory.resolve("kubeconfig-" + kubeconfigs.size() + ".yaml");
          cp.kubeconfig().serverUrl(url).writeTo(file);
          return file;
        });
  }

  /** The server URL a configuration's kubeconfig names. */
  String serverUrl(Configuration configuration) {
    return cp.instance(0).url().toString();
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
