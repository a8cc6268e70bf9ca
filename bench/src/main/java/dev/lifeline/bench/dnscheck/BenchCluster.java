package dev.lifeline.bench.dnscheck;

import dev.lifeline.client.KubeClient;
import dev.lifeline.client.KubeConfig;
import dev.lifeline.dnscheck.DnsCheck;
import dev.lifeline.dnscheck.DnsCheckReport;
import dev.lifeline.dnscheck.Verdict;
import dev.lifeline.testkit.FakeControlPlane;
import dev.lifeline.testkit.dns.DnsRecords;
import dev.lifeline.testkit.dns.DnsServerKind;
import dev.lifeline.testkit.dns.Executables;
import dev.lifeline.testkit.dns.FakeClusterDns;
import dev.lifeline.testkit.dns.FakeCoreDns;
import dev.lifeline.testkit.dns.FakeDnsPod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The cluster the checker is measured against: the fake control plane (one apiserver), a fake
 * CoreDNS with one real DNS server per pod on its own loopback address, the {@code kube-dns}
 * Service and its pods in the API, and the ReplicaSet stand-in that replaces an evicted pod. The
 * same setup as the checker's own ITs.
 *
 * <p>Not thread-safe: driven by the benchmark's thread (the ReplicaSet stand-in runs on the store's
 * event thread, which the testkit makes safe).
 */
final class BenchCluster implements AutoCloseable {
  /** The {@code kubernetes} Service's ClusterIP: in the service range that holds the harness. */
  static final String KUBERNETES_CLUSTER_IP = "127.96.0.1";

  /** An answer for {@code kubernetes.default} that is not its ClusterIP. */
  static final String WRONG_ADDRESS = "10.96.0.99";

  final FakeControlPlane cp;
  final FakeCoreDns dns;
  final FakeClusterDns cluster;
  private final Path dir;
  private final Path kubeconfig;
  private final KubeClient client;

  private BenchCluster(
      FakeControlPlane cp, FakeCoreDns dns, FakeClusterDns cluster, Path dir, Path kubeconfig) {
    this.cp = cp;
    this.dns = dns;
    this.cluster = cluster;
    this.dir = dir;
    this.kubeconfig = kubeconfig;
    this.client =
        KubeClient.builder(
                KubeConfig.loader()
                    .environment(Map.of())
                    .homeDirectory(dir)
                    .kubeconfig(kubeconfig)
                    .load())
            .build();
  }

  /**
   * Starts the control plane and {@code pods} DNS pods.
   *
   * @throws IllegalStateException when the DNS server's Debian package is missing
   */
  static BenchCluster start(int pods, DnsServerKind kind) {
    Path dir;
    try {
      dir = Files.createTempDirectory("lifeline-dnscheck-bench-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    FakeControlPlane cp =
        FakeControlPlane.builder()
            .instances(1)
            .ephemeralPort()
            .serviceCidr("127.0.0.0/8")
            .clusterIp(KUBERNETES_CLUSTER_IP)
            .start();
    FakeCoreDns dns = null;
    try {
      dns = FakeCoreDns.builder().kind(kind).build();
      FakeClusterDns cluster = FakeClusterDns.start(cp, dns, pods);
      Path kubeconfig = dir.resolve("kubeconfig.yaml");
      cp.kubeconfig().writeTo(kubeconfig);
      return new BenchCluster(cp, dns, cluster, dir, kubeconfig);
    } catch (RuntimeException e) {
      closeQuietly(dns, cp);
      throw e;
    }
  }

  private static void closeQuietly(AutoCloseable... all) {
    for (AutoCloseable c : all) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception ignored) {
          // the first failure is the one reported
        }
      }
    }
  }

  /** A client of the control plane; the cluster closes it. */
  KubeClient client() {
    return client;
  }

  /** A kubeconfig file for the control plane (for the checker's own JVM). */
  Path kubeconfig() {
    return kubeconfig;
  }

  /** The DNS pods' names now, oldest first. */
  List<String> podNames() {
    return cluster.podNames();
  }

  FakeDnsPod pod(String name) {
    return cluster.pod(name);
  }

  /** Pods deleted (evicted) so far. */
  int deletedPods() {
    return cluster.deletedPods().size();
  }

  /** The checker's target id of a pod. */
  static String podTarget(String name) {
    return "pod/" + FakeClusterDns.NAMESPACE + "/" + name;
  }

  /** The checker's target id of the DNS Service. */
  static String serviceTarget() {
    return "service/" + FakeClusterDns.NAMESPACE + "/" + FakeClusterDns.SERVICE;
  }

  /** The pod's name as remediation events give it ({@code namespace/name}). */
  static String podRef(String name) {
    return FakeClusterDns.NAMESPACE + "/" + name;
  }

  InetAddress serviceIp() {
    return dns.serviceAddress().getAddress();
  }

  int port() {
    return dns.port();
  }

  /** The cluster's records with {@code kubernetes.default} pointing elsewhere. */
  DnsRecords wrongRecords() {
    return dns.records().withService("default", "kubernetes", WRONG_ADDRESS);
  }

  /**
   * The iptables chain the harness drops packets in ({@code LIFELINE-DNS-<N>} for the block {@code
   * 127.N.0.0/16}, as the harness documents), created if need be. Root only.
   */
  String faultChain() {
    dns.faults();
    String cidr = dns.cidr();
    return "LIFELINE-DNS-" + cidr.substring("127.".length(), cidr.indexOf(".0.0/"));
  }

  /** Removes every packet fault (nothing to do when not root: there are none). */
  void clearPacketFaults() {
    if (Executables.isRoot()) {
      dns.faults().clear();
    }
  }

  /** Whether the checker judges every target healthy and sees the Service and every pod. */
  boolean allHealthy(DnsCheck check) {
    DnsCheckReport r = check.report();
    return r.targets().size() == podNames().size() + 1
        && r.targets().stream().allMatch(t -> t.verdict() == Verdict.HEALTHY);
  }

  /** Waits until {@link #allHealthy} (the checker needs {@code min-samples} probes per stream). */
  void awaitAllHealthy(DnsCheck check, Duration timeout) {
    Await.until(
        () -> allHealthy(check),
        timeout,
        () -> "every DNS target judged healthy; the checker reports:\n" + check.report().toTable());
  }

  @Override
  public void close() {
    RuntimeException first = null;
    for (AutoCloseable c : List.<AutoCloseable>of(client, cluster, dns, cp)) {
      try {
        c.close();
      } catch (Exception e) {
        if (first == null) {
          first = new IllegalStateException("closing the benchmark's cluster failed", e);
        } else {
          first.addSuppressed(e);
        }
      }
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a leftover temporary directory is harmless
    }
    if (first != null) {
      throw first;
    }
  }
}
