package dev.lifeline.dnscheck.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.dnscheck.DnsCheckListener;
import dev.lifeline.dnscheck.Transport;
import dev.lifeline.dnscheck.Verdict;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PrometheusMetricsTest {
  @Test
  void metricsAreServedOnLoopbackAndForgetTargetsThatLeft() throws Exception {
    PrometheusMetrics m = new PrometheusMetrics();
    String pod = "pod/kube-system/coredns-a";
    m.targetsChanged(List.of("service/kube-system/kube-dns", pod));
    m.probeCompleted(
        new DnsCheckListener.ProbeEvent(
            pod, "pod", "kubernetes", Transport.UDP, "timeout", Optional.empty(), 2));
    m.probeCompleted(
        new DnsCheckListener.ProbeEvent(
            pod, "pod", "kubernetes", Transport.TCP, "ok", Optional.of(Duration.ofMillis(2)), 1));
    m.verdictChanged(
        new DnsCheckListener.VerdictEvent(pod, Verdict.UNKNOWN, Verdict.FAILING, List.of()));
    m.remediation(
        new DnsCheckListener.RemediationEvent(
            "kube-system/coredns-a",
            DnsCheckListener.RemediationEvent.Action.SUPPRESSED,
            "majority_failing",
            "",
            List.of()));
    m.alert(new DnsCheckListener.AlertEvent("majority_failing", true, "2 of 3"));

    try (MetricsServer server =
        MetricsServer.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), m.registry())) {
      String text = scrape(server.port());

      assertThat(text)
          .contains(
              "lifeline_dnscheck_probes_total{check=\"kubernetes\",kind=\"pod\",outcome=\"timeout\",target=\""
                  + pod
                  + "\",transport=\"udp\"} 1.0",
              "lifeline_dnscheck_probe_success{check=\"kubernetes\",kind=\"pod\",target=\""
                  + pod
                  + "\",transport=\"tcp\"} 1.0",
              "lifeline_dnscheck_target_verdict{kind=\"pod\",target=\""
                  + pod
                  + "\",verdict=\"failing\"} 1.0",
              "lifeline_dnscheck_restarts_suppressed_total{reason=\"majority_failing\"} 1.0",
              "lifeline_dnscheck_alert{reason=\"majority_failing\"} 1.0",
              "lifeline_dnscheck_alert{reason=\"no_dns_pods\"} 0.0",
              "lifeline_dnscheck_probe_latency_seconds_bucket{kind=\"pod\",target=\""
                  + pod
                  + "\",transport=\"tcp\",le=\"0.0025\"} 1");

      m.targetsChanged(List.of("service/kube-system/kube-dns"));
      assertThat(scrape(server.port())).doesNotContain(pod);
    }
  }

  private static String scrape(int port) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    }
  }
}
