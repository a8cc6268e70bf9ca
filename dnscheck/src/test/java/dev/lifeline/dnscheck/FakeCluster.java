package dev.lifeline.dnscheck;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeline.client.KubeClient;
import dev.lifeline.client.KubeConfig;
import dev.lifeline.testkit.FakeControlPlane;
import dev.lifeline.testkit.KubeconfigWriter;
import dev.lifeline.testkit.dns.Executables;
import dev.lifeline.testkit.dns.FakeClusterDns;
import dev.lifeline.testkit.dns.FakeCoreDns;
import dev.lifeline.testkit.dns.FakeDnsPod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A fake control plane with fake CoreDNS pods behind it, and clients of it, for the ITs. */
final class FakeCluster implements AutoCloseable {
  final FakeControlPlane cp;
  final FakeCoreDns dns;
  final FakeClusterDns cluster;
  final Path dir;

  FakeCluster(int replicas) {
    this(replicas, b -> {});
  }

  /**
   * @param controlPlane adds to the control plane's settings (users and their access)
   */
  FakeCluster(int replicas, java.util.function.Consumer<FakeControlPlane.Builder> controlPlane) {
    try {
      dir = Files.createTempDirectory("lifeline-dnscheck-it-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // The DNS Service's ClusterIP is the harness's loopback address, so the service range must hold
    // it.
    FakeControlPlane.Builder b =
        FakeControlPlane.builder()
            .instances(1)
            .ephemeralPort()
            .serviceCidr("127.0.0.0/8")
            .clusterIp("127.96.0.1");
    controlPlane.accept(b);
    cp = b.start();
    dns = FakeCoreDns.builder().build();
    cluster = FakeClusterDns.start(cp, dns, replicas);
  }

  KubeClient client() {
    return client(cp.kubeconfig());
  }

  /** A client authenticating as a user of the control plane. */
  KubeClient client(String user) {
    return client(cp.kubeconfig().user(user));
  }

  KubeClient client(KubeconfigWriter writer) {
    return KubeClient.builder(config(writer)).build();
  }

  KubeConfig config(KubeconfigWriter writer) {
    return KubeConfig.loader()
        .environment(Map.of())
        .homeDirectory(dir)
        .kubeconfig(kubeconfig(writer))
        .load();
  }

  Path kubeconfig(KubeconfigWriter writer) {
    try {
      Path file = Files.createTempFile(dir, "kubeconfig", ".yaml");
      writer.writeTo(file);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The Events about an object, newest last. */
  List<ObjectNode> events(String name) {
    return cp.store().list("v1", "Event", null).stream()
        .filter(e -> e.path("involvedObject").path("name").asText().equals(name))
        .toList();
  }

  List<ObjectNode> eventsWithReason(String reason) {
    return cp.store().list("v1", "Event", null).stream()
        .filter(e -> e.path("reason").asText().equals(reason))
        .toList();
  }

  /** Heals every pod and removes packet faults, between tests. */
  void heal() {
    if (Executables.isRoot()) {
      dns.faults().clear();
    }
    for (FakeDnsPod p : dns.pods()) {
      p.heal();
    }
  }

  @Override
  public void close() {
    cluster.close();
    dns.close();
    cp.close();
    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
