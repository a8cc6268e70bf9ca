package dev.lifeline.dnscheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DnsCheckConfigTest {
  @TempDir Path dir;

  @Test
  void defaultsDetectASilentPodWithinThreeSeconds() {
    DnsCheckConfig c = DnsCheckConfig.builder(Map.of()).build();

    assertThat(c.interval()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.timeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(c.retries()).isEqualTo(1);
    assertThat(c.worstCaseSilentDetection()).isEqualTo(Duration.ofMillis(2500));
    assertThat(c.worstCaseWrongAnswerDetection()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.transports()).containsExactlyInAnyOrder(Transport.UDP, Transport.TCP);
    assertThat(c.metricsAddress())
        .hasValueSatisfying(
            a -> {
              assertThat(a.getAddress().isLoopbackAddress()).isTrue();
              assertThat(a.getPort()).isEqualTo(9753);
            });
    assertThat(c.restartMethod()).isEqualTo(RestartMethod.EVICT);
    assertThat(c.leaseDuration()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.renewDeadline()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.retryPeriod()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.onceRounds()).isEqualTo(c.minSamples());
    assertThat(c.mode()).isEmpty();
  }

  @Test
  void everyDocumentedDefaultIsTheBuiltValue() {
    // The defaults in DnsCheckSetting (help, man pages) must be what the builder uses.
    DnsCheckConfig.Builder b = DnsCheckConfig.builder(Map.of());
    for (DnsCheckSetting s : DnsCheckSetting.values()) {
      s.defaultValue().ifPresent(v -> b.set(s, v));
    }
    DnsCheckConfig fromDocs = b.build();
    DnsCheckConfig plain = DnsCheckConfig.builder(Map.of()).build();
    assertThat(fromDocs.interval()).isEqualTo(plain.interval());
    assertThat(fromDocs.timeout()).isEqualTo(plain.timeout());
    assertThat(fromDocs.windowSize()).isEqualTo(plain.windowSize());
    assertThat(fromDocs.minSamples()).isEqualTo(plain.minSamples());
    assertThat(fromDocs.failureRatio()).isEqualTo(plain.failureRatio());
    assertThat(fromDocs.consecutiveFailures()).isEqualTo(plain.consecutiveFailures());
    assertThat(fromDocs.podCooldown()).isEqualTo(plain.podCooldown());
    assertThat(fromDocs.backoffMax()).isEqualTo(plain.backoffMax());
    assertThat(fromDocs.maxFailingShare()).isEqualTo(plain.maxFailingShare());
    assertThat(fromDocs.metricsAddress()).isEqualTo(plain.metricsAddress());
    assertThat(fromDocs.helperImage()).isEqualTo(plain.helperImage());
    assertThat(fromDocs.leaseName()).isEqualTo(plain.leaseName());
  }

  @Test
  void everySettingIsAcceptedAsText() {
    Map<DnsCheckSetting, String> sample = new EnumMap<>(DnsCheckSetting.class);
    for (DnsCheckSetting s : DnsCheckSetting.values()) {
      sample.put(s, s.defaultValue().orElse(null));
    }
    sample.put(DnsCheckSetting.DNS_SERVICE_SELECTOR, "k8s-app=kube-dns");
    sample.put(DnsCheckSetting.DNS_SERVICE, null); // conflicts with the selector
    sample.put(DnsCheckSetting.DNS_POD_SELECTOR, "k8s-app=kube-dns");
    sample.put(DnsCheckSetting.CLUSTER_DOMAIN, "cluster.example.");
    sample.put(DnsCheckSetting.DNS_PORT, "5353");
    sample.put(DnsCheckSetting.CHECK, "name=ext;query=example.com;expect=192.0.2.1");
    sample.put(DnsCheckSetting.LEASE_NAMESPACE, "ops");
    sample.put(DnsCheckSetting.IDENTITY, "replica-1");
    sample.put(DnsCheckSetting.ONCE_ROUNDS, "3");
    sample.put(DnsCheckSetting.EXPOSED_SERVICE, "kube-system/kube-dns-external");
    sample.put(DnsCheckSetting.MODE, "exposed-port");
    DnsCheckConfig.Builder b = DnsCheckConfig.builder(Map.of());
    sample.forEach(
        (s, v) -> {
          if (v != null) {
            b.set(s, v);
          }
        });

    DnsCheckConfig c = b.build();

    assertThat(c.dnsServiceSelector()).hasValue("k8s-app=kube-dns");
    assertThat(c.clusterDomain()).hasValue("cluster.example");
    assertThat(c.dnsPort()).hasValue(5353);
    assertThat(c.checks()).singleElement().extracting(Check::name).isEqualTo("ext");
    assertThat(c.leaseNamespace()).isEqualTo("ops");
    assertThat(c.identity()).isEqualTo("replica-1");
    assertThat(c.onceRounds()).isEqualTo(3);
    assertThat(c.exposedService()).hasValue("kube-system/kube-dns-external");
    assertThat(c.mode()).hasValue(DeploymentMode.EXPOSED_PORT);
  }

  @Test
  void badValuesNameTheSettingAndTheValue() {
    DnsCheckConfig.Builder b = DnsCheckConfig.builder(Map.of());
    assertThatThrownBy(() -> b.set(DnsCheckSetting.INTERVAL, "5x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("interval was '5x'; use a duration such as 500ms, 2s or 1m30s");
    assertThatThrownBy(() -> b.set(DnsCheckSetting.INTERVAL, "1ms"))
        .hasMessage("interval was 1ms; use 50ms to 10m");
    assertThatThrownBy(() -> b.set(DnsCheckSetting.TRANSPORTS, "udp,sctp"))
        .hasMessageContaining("transport was 'sctp'");
    assertThatThrownBy(() -> b.set(DnsCheckSetting.FAILURE_RATIO, "lots"))
        .hasMessageContaining("failure-ratio was 'lots'");
    assertThatThrownBy(() -> b.set(DnsCheckSetting.METRICS_ADDRESS, "metrics.local:9000"))
        .hasMessageContaining("a host name is not resolved");
    assertThatThrownBy(() -> b.set(DnsCheckSetting.DNS_NAMESPACE, "Kube_System"))
        .hasMessageContaining("dns-namespace was 'Kube_System'");
    assertThatThrownBy(() -> b.set(DnsCheckSetting.CHECK, "name=x"))
        .hasMessage("check 'name=x': query is missing");
    assertThatThrownBy(() -> b.set(DnsCheckSetting.CHECK, "name=x;query=a.b;type=BOGUS"))
        .hasMessageContaining("type was 'BOGUS'");
    assertThatThrownBy(() -> b.set(DnsCheckSetting.RESTART_METHOD, "kill"))
        .hasMessage("restart-method was 'kill'; use evict or delete");
    assertThatThrownBy(() -> b.set(DnsCheckSetting.MODE, "vpn"))
        .hasMessageContaining("mode was 'vpn'");
  }

  @Test
  void contradictingSettingsAreRefusedAtBuild() {
    assertThatThrownBy(
            () ->
                DnsCheckConfig.builder(Map.of())
                    .set(DnsCheckSetting.DNS_SERVICE, "kube-dns")
                    .set(DnsCheckSetting.DNS_SERVICE_SELECTOR, "k8s-app=kube-dns")
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("dns-service and dns-service-selector were both set");
    assertThatThrownBy(
            () ->
                DnsCheckConfig.builder(Map.of())
                    .set(DnsCheckSetting.MODE, "port-forward")
                    .set(DnsCheckSetting.TRANSPORTS, "udp")
                    .build())
        .hasMessageContaining("port-forward carries TCP only");
    assertThatThrownBy(
            () ->
                DnsCheckConfig.builder(Map.of()).set(DnsCheckSetting.RENEW_DEADLINE, "20s").build())
        .hasMessageContaining("lease-duration (PT15S) must be longer than renew-deadline (PT20S)");
    assertThatThrownBy(
            () -> DnsCheckConfig.builder(Map.of()).set(DnsCheckSetting.MIN_SAMPLES, "30").build())
        .hasMessageContaining("min-samples was 30");
    assertThatThrownBy(
            () ->
                DnsCheckConfig.builder(Map.of())
                    .set(DnsCheckSetting.KUBERNETES_CHECK, "false")
                    .set(DnsCheckSetting.NXDOMAIN_CHECK, "false")
                    .build())
        .hasMessageContaining("every check is off");
  }

  @Test
  void aDryRunNeverTakesALease() {
    DnsCheckConfig c = DnsCheckConfig.builder(Map.of()).dryRun(true).build();

    assertThat(c.leaderElect()).isFalse();
  }

  @Test
  void derivedDefaultsComeFromTheDownwardApi() {
    DnsCheckConfig c =
        DnsCheckConfig.builder(Map.of("POD_NAMESPACE", "ops", "POD_NAME", "checker-7d9")).build();

    assertThat(c.leaseNamespace()).isEqualTo("ops");
    assertThat(c.identity()).startsWith("checker-7d9_");
  }

  @Test
  void environmentVariablesFeedTheSameBuilder() {
    DnsCheckConfig c =
        DnsCheckConfig.builder(Map.of())
            .applyEnvironment(
                Map.of(
                    "LIFELINE_DNSCHECK_INTERVAL", "1s",
                    "LIFELINE_DNSCHECK_DRY_RUN", "yes",
                    "LIFELINE_DNSCHECK_CHECK",
                        "name=a;query=a.example\nname=b;query=b.example;type=AAAA",
                    "PATH", "/usr/bin"))
            .build();

    assertThat(c.interval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.dryRun()).isTrue();
    assertThat(c.checks()).extracting(Check::name).containsExactly("a", "b");
  }

  @Test
  void aMisspelledEnvironmentVariableIsAnError() {
    assertThatThrownBy(
            () ->
                DnsCheckConfig.builder(Map.of())
                    .applyEnvironment(Map.of("LIFELINE_DNSCHECK_INTERVALL", "1s")))
        .hasMessage(
            "environment variable LIFELINE_DNSCHECK_INTERVALL names no setting; unset it or fix"
                + " its name");
    assertThatThrownBy(
            () ->
                DnsCheckConfig.builder(Map.of())
                    .applyEnvironment(Map.of("LIFELINE_DNSCHECK_RETRIES", "9")))
        .hasMessage("LIFELINE_DNSCHECK_RETRIES: retries was 9; use a whole number from 0 to 3");
  }

  @Test
  void theConfigFileFeedsTheSameBuilder() throws IOException {
    Path file = dir.resolve("dnscheck.yaml");
    Files.writeString(
        file,
        """
        interval: 1s
        transports: [udp]
        max-failing-share: 34%
        check:
          - name: ext
            query: example.com
            type: A
            expect: [192.0.2.1, 192.0.2.2]
          - name=svc;query=kube-dns.kube-system.svc.{domain};transports=tcp
        """);

    DnsCheckConfig c = DnsCheckConfig.builder(Map.of()).applyFile(file).build();

    assertThat(c.interval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.transports()).containsExactly(Transport.UDP);
    assertThat(c.maxFailingShare()).isEqualTo(0.34);
    assertThat(c.checks()).extracting(Check::name).containsExactly("ext", "svc");
    assertThat(c.checks().get(0).expectedAnswers()).hasValue(Set.of("192.0.2.1", "192.0.2.2"));
    assertThat(c.checks().get(1).queryName("cluster.local", "x").toString())
        .isEqualTo("kube-dns.kube-system.svc.cluster.local.");
  }

  @Test
  void configFileErrorsNameTheFileAndTheKey() throws IOException {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "interval: soon\n");
    assertThatThrownBy(() -> DnsCheckConfig.builder(Map.of()).applyFile(file))
        .hasMessage(file + ": interval was 'soon'; use a duration such as 500ms, 2s or 1m30s");

    Files.writeString(file, "intervall: 1s\n");
    assertThatThrownBy(() -> DnsCheckConfig.builder(Map.of()).applyFile(file))
        .hasMessageContaining(file + ": unknown setting 'intervall'");

    Files.writeString(file, "interval: [1s\n");
    assertThatThrownBy(() -> DnsCheckConfig.builder(Map.of()).applyFile(file))
        .hasMessageStartingWith(file + ":2: not valid YAML");

    assertThatThrownBy(
            () -> DnsCheckConfig.builder(Map.of()).applyFile(dir.resolve("missing.yaml")))
        .hasMessageContaining("does not exist");
  }
}
