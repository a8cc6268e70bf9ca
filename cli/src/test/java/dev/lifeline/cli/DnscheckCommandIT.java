package dev.lifeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.testkit.AccessRule;
import dev.lifeline.testkit.FakeControlPlane;
import dev.lifeline.testkit.dns.DnsRecords;
import dev.lifeline.testkit.dns.FakeClusterDns;
import dev.lifeline.testkit.dns.FakeCoreDns;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code lifeline dnscheck} against the fake control plane and real dnsmasq pods: exit codes, the
 * one-line errors, the table and the JSON, and that nothing is restarted.
 */
class DnscheckCommandIT {
  private static FakeControlPlane cp;
  private static FakeCoreDns dns;
  private static FakeClusterDns cluster;
  private static Path dir;
  private static Path admin;
  private static Path nobody;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void start() throws IOException {
    dir = Files.createTempDirectory("lifeline-cli-dnscheck-");
    cp =
        FakeControlPlane.builder()
            .instances(1)
            .ephemeralPort()
            .serviceCidr("127.0.0.0/8")
            .clusterIp("127.96.0.1")
            .user("nobody", u -> u.token("nobody-token").allowNothing())
            .user("reader", u -> u.token("reader-token").allow(AccessRule.readOnly("pods")))
            .start();
    dns = FakeCoreDns.builder().build();
    cluster = FakeClusterDns.start(cp, dns, 3);
    admin = cp.kubeconfig().writeTo(dir.resolve("admin.yaml"));
    nobody = cp.kubeconfig().user("nobody").writeTo(dir.resolve("nobody.yaml"));
  }

  @AfterAll
  static void stop() throws IOException {
    cluster.close();
    dns.close();
    cp.close();
    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @AfterEach
  void heal() {
    for (var p : dns.pods()) {
      p.heal();
    }
  }

  private int run(String... args) {
    List<String> all = new ArrayList<>(List.of("dnscheck"));
    all.addAll(List.of(args));
    return Lifeline.run(
        all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
  }

  private static String[] fast(String... more) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "--once",
                "--interval",
                "200ms",
                "--timeout",
                "150ms",
                "--once-rounds",
                "5",
                "--min-samples",
                "5",
                "--window",
                "10",
                "--consecutive-failures",
                "3"));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  @Test
  void aHealthyClusterExitsZeroWithATable() {
    int code = run(fast("--kubeconfig", admin.toString()));

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString())
        .startsWith("cluster DNS: HEALTHY (0 of 4 targets failing)\n")
        .contains(
            "mode: in-cluster",
            "cluster domain: cluster.local (Corefile in ConfigMap kube-system/coredns)",
            "kube-dns",
            "service");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void anUnhealthyClusterExitsOneWithJson() {
    String victim = cluster.podNames().get(0);
    cluster
        .pod(victim)
        .serve(
            DnsRecords.forDomain("cluster.local")
                .withService("default", "kubernetes", "10.96.0.99"));

    int code = run(fast("--kubeconfig", admin.toString(), "--output", "json"));

    assertThat(code).isEqualTo(1);
    assertThat(out.toString())
        .startsWith("{")
        .contains(
            "\"status\" : \"unhealthy\"",
            "\"name\" : \"" + victim + "\"",
            "\"verdict\" : \"failing\"",
            "answered 10.96.0.99");
    assertThat(cluster.deletedPods()).isEmpty();
  }

  @Test
  void forbiddenAccessIsOneLineAndExitOne() {
    int code = run(fast("--kubeconfig", nobody.toString()));

    assertThat(code).isEqualTo(1);
    assertThat(err.toString())
        .startsWith("lifeline: forbidden to get service kube-system/kube-dns")
        .contains("deploy/dnscheck/rbac.yaml")
        .hasLineCount(1);
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void anUnreachableApiServerIsOneLineAndExitOne() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Path file =
        cp.kubeconfig()
            .serverUrl("https://127.0.0.1:" + closed)
            .writeTo(dir.resolve("unreachable.yaml"));

    int code = run(fast("--kubeconfig", file.toString()));

    assertThat(code).isEqualTo(1);
    assertThat(err.toString())
        .startsWith("lifeline: cannot reach the API server at https://127.0.0.1:" + closed)
        .hasLineCount(1);
  }

  @Test
  void aMissingDnsServiceIsOneLineAndExitOne() {
    int code = run(fast("--kubeconfig", admin.toString(), "--dns-service", "coredns-missing"));

    assertThat(code).isEqualTo(1);
    assertThat(err.toString())
        .startsWith(
            "lifeline: no DNS Service kube-system/coredns-missing in the cluster at https://")
        .contains("--dns-service-selector")
        .hasLineCount(1);
  }

  @Test
  void theDaemonRefusesToStartWithoutItsDnsServiceAndRestartsNothing() {
    int code =
        run(
            "--kubeconfig",
            admin.toString(),
            "--dns-namespace",
            "dns-elsewhere",
            "--metrics-address",
            "off");

    assertThat(code).isEqualTo(1);
    assertThat(err.toString())
        .startsWith("lifeline: no DNS Service dns-elsewhere/kube-dns")
        .hasLineCount(1);
    assertThat(cluster.deletedPods()).isEmpty();
  }

  @Test
  void theProbeSubcommandReportsJsonLines() {
    var pod = dns.pods().get(0);
    String target =
        "pod/kube-system/" + pod.name() + "=" + pod.ip().getHostAddress() + ":" + dns.port();

    int code =
        run(
            "probe",
            "--target",
            target,
            "--check",
            "name=kubernetes;query=kubernetes.default.svc.cluster.local;expect=" + cp.clusterIp(),
            "--rounds",
            "2",
            "--interval",
            "100ms");

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString().lines().filter(l -> l.contains("\"outcome\":\"ok\""))).hasSize(4);
    assertThat(out.toString().strip()).endsWith("{\"done\":true,\"rounds\":2,\"probes\":4}");
  }
}
