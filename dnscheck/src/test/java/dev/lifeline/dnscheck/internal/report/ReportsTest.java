package dev.lifeline.dnscheck.internal.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.dnscheck.DeploymentMode;
import dev.lifeline.dnscheck.DnsCheckReport;
import dev.lifeline.dnscheck.Transport;
import dev.lifeline.dnscheck.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReportsTest {
  private final DnsCheckReport report =
      new DnsCheckReport(
          Instant.parse("2026-11-21T08:00:00Z"),
          DeploymentMode.IN_CLUSTER,
          "running in a pod of the cluster",
          List.of("in-cluster: chosen: running in a pod of the cluster"),
          "cluster.local",
          "Corefile in ConfigMap kube-system/coredns",
          List.of("kubernetes: kubernetes.default.svc.cluster.local. A = 10.96.0.1 (udp, tcp)"),
          List.of(
              new DnsCheckReport.TargetReport(
                  "service/kube-system/kube-dns",
                  "service",
                  "kube-dns",
                  "10.96.0.10:53",
                  "",
                  Verdict.HEALTHY,
                  List.of(stream(Transport.UDP, 20, 0), stream(Transport.TCP, 20, 0)),
                  List.of(),
                  ""),
              new DnsCheckReport.TargetReport(
                  "pod/kube-system/coredns-a",
                  "pod",
                  "coredns-a",
                  "10.244.1.7:53",
                  "node-1",
                  Verdict.FAILING,
                  List.of(stream(Transport.UDP, 20, 20), stream(Transport.TCP, 20, 0)),
                  List.of(
                      "kubernetes.default.svc.cluster.local. A over udp to 10.244.1.7:53: timeout"),
                  "")),
          List.of(),
          List.of("pod kube-system/coredns-b has no IP yet (Pending): not probed"));

  private static DnsCheckReport.StreamReport stream(Transport t, int samples, int failures) {
    return new DnsCheckReport.StreamReport(
        "kubernetes",
        t,
        failures > 0 ? Verdict.FAILING : Verdict.HEALTHY,
        samples,
        failures,
        failures > 0 ? "timeout" : "ok",
        failures > 0 && t == Transport.UDP
            ? Optional.empty()
            : Optional.of(Duration.ofNanos(420_000)));
  }

  @Test
  void theTableLeadsWithTheVerdictAndShowsTheEvidenceOfFailingTargets() {
    String table = report.toTable();

    assertThat(table)
        .startsWith(
            "cluster DNS: UNHEALTHY (1 of 2 targets failing)\nmode: in-cluster (running in a pod of the cluster)\n")
        .contains(
            "TARGET     KIND     ENDPOINT       NODE    VERDICT  UDP OK  TCP OK  LAST RTT\n",
            "kube-dns   service  10.96.0.10:53  -       healthy  20/20   20/20   0.4ms\n",
            "coredns-a  pod      10.244.1.7:53  node-1  FAILING  0/20    20/20   0.4ms\n",
            "    kubernetes.default.svc.cluster.local. A over udp to 10.244.1.7:53: timeout\n",
            "notes:\n  pod kube-system/coredns-b has no IP yet (Pending): not probed\n");
  }

  @Test
  void theTableSaysWhyEachModeWasChosenOrSkipped() {
    DnsCheckReport chosenLater =
        new DnsCheckReport(
            report.time(),
            DeploymentMode.PORT_FORWARD,
            "this user may port-forward to pods in kube-system",
            List.of(
                "in-cluster: skipped: not running in a pod, and no DNS pod IP answered a query from"
                    + " here",
                "helper-pod: skipped: this user may not create pods in default",
                "exposed-port: skipped: no NodePort or LoadBalancer Service in kube-system selects"
                    + " the DNS pods (name one with --exposed-service)",
                "port-forward: chosen: this user may port-forward to pods in kube-system"),
            report.clusterDomain(),
            report.clusterDomainSource(),
            report.checks(),
            report.targets(),
            report.alerts(),
            report.notes());

    assertThat(chosenLater.toTable())
        .contains(
            "  how it was chosen:\n"
                + "    in-cluster: skipped: not running in a pod, and no DNS pod IP answered a query"
                + " from here\n"
                + "    helper-pod: skipped: this user may not create pods in default\n");
    assertThat(chosenLater.toJson())
        .contains("\"selection\" : [ \"in-cluster: skipped: not running in a pod");
    assertThat(report.toTable()).doesNotContain("how it was chosen");
  }

  @Test
  void theJsonHasTheStableFieldNames() {
    String json = report.toJson();

    assertThat(json)
        .contains(
            "\"status\" : \"unhealthy\"",
            "\"name\" : \"in-cluster\"",
            "\"clusterDomain\" : \"cluster.local\"",
            "\"id\" : \"pod/kube-system/coredns-a\"",
            "\"node\" : \"node-1\"",
            "\"verdict\" : \"failing\"",
            "\"lastOutcome\" : \"timeout\"",
            "\"lastLatencyMillis\" : 0.42",
            "\"evidence\" : [ \"kubernetes.default.svc.cluster.local. A over udp to 10.244.1.7:53: timeout\" ]");
  }

  @Test
  void aReportWithoutTargetsIsNotHealthy() {
    DnsCheckReport empty =
        new DnsCheckReport(
            Instant.EPOCH,
            DeploymentMode.IN_CLUSTER,
            "test",
            List.of(),
            "cluster.local",
            "test",
            List.of(),
            List.of(),
            List.of(),
            List.of());

    assertThat(empty.healthy()).isFalse();
    assertThat(empty.toTable()).startsWith("cluster DNS: UNHEALTHY (nothing to probe)");
  }
}
