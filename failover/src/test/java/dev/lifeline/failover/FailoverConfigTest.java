package dev.lifeline.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

class FailoverConfigTest {
  static FailoverConfig.Builder builder() {
    return FailoverConfig.builder(URI.create("https://10.96.0.1")).environment(Map.of());
  }

  @Test
  void defaultsAreThoseDocumented() {
    FailoverConfig config = builder().build();

    assertThat(config.host()).isEqualTo("10.96.0.1");
    assertThat(config.port()).isEqualTo(443);
    assertThat(config.hostAddress()).isPresent();
    assertThat(config.tlsServerName()).isEqualTo("10.96.0.1");
    assertThat(config.verifyServerName()).isTrue();
    assertThat(config.period()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(300));
    assertThat(config.debounce()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.dialTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.pingInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(config.pingTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.unresponsiveTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.idleProbeInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.readyzInterval()).isEqualTo(Duration.ofMinutes(10));
    assertThat(config.stallThreshold()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.drainQuietPeriod()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.maxDrainTime()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.endpointsFile()).isEmpty();
    assertThat(config.detectLocalAddresses()).isTrue();
    assertThat(config.hostIp()).isEmpty();
    assertThat(config.nodeName()).isEmpty();
    assertThat(config.discovery().toString()).isEqualTo("none");
  }

  @Test
  void anIpv6HostLosesItsBrackets() {
    FailoverConfig config =
        FailoverConfig.builder(URI.create("https://[fd00::1]:6443")).environment(Map.of()).build();

    assertThat(config.host()).isEqualTo("fd00::1");
    assertThat(config.hostAddress()).isPresent();
  }

  @Test
  void theServerMustBeAnHttpsUrlWithAHostAndNoCredentials() {
    assertThatThrownBy(() -> FailoverConfig.builder(URI.create("http://10.96.0.1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("https://")
        .hasMessageContaining("'http://10.96.0.1'");
    assertThatThrownBy(() -> FailoverConfig.builder(URI.create("https:///path")))
        .hasMessageContaining("must name a host");
    assertThatThrownBy(() -> FailoverConfig.builder(URI.create("https://user:secret@host")))
        .hasMessageContaining("credentials")
        .hasMessageNotContaining("secret");
  }

  @Test
  void badDurationsNameTheSettingAndTheValue() {
    assertThatThrownBy(() -> builder().pingTimeout(Duration.ofMillis(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pingTimeout must be at least PT0.01S, was PT0.001S");
    assertThatThrownBy(() -> builder().timeout(Duration.ZERO))
        .hasMessage("timeout must be positive, was PT0S");
    assertThatThrownBy(() -> builder().debounce(Duration.ofSeconds(-1)))
        .hasMessage("debounce must not be negative, was PT-1S");
    assertThatThrownBy(() -> builder().readyzInterval(Duration.ofMillis(10)))
        .hasMessageContaining("readyzInterval must be zero (off) or at least 1s");
    assertThatThrownBy(() -> builder().period(Duration.ofMillis(100)))
        .hasMessageContaining("period must be at least PT1S");
  }

  @Test
  void conflictingSettingsFailAtBuild() throws Exception {
    assertThatThrownBy(
            () ->
                builder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .dialTimeout(Duration.ofSeconds(2))
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("connectTimeout (PT5S) must not exceed dialTimeout (PT2S)");
    assertThatThrownBy(
            () ->
                builder()
                    .pingTimeout(Duration.ofSeconds(1))
                    .unresponsiveTimeout(Duration.ofSeconds(1))
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("unresponsiveTimeout (PT1S) must exceed pingTimeout (PT1S)");
    assertThatThrownBy(() -> builder().unresponsiveTimeout(Duration.ofMillis(50)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unresponsiveTimeout must be at least PT0.1S, was PT0.05S");
    assertThatThrownBy(() -> builder().verifyServerName(false).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("sslSocketFactory");
    assertThat(
            builder()
                .verifyServerName(false)
                .sslSocketFactory(SSLContext.getDefault().getSocketFactory())
                .build()
                .verifyServerName())
        .isFalse();
  }

  @Test
  void theDownwardApiEnvironmentIsRead() throws Exception {
    FailoverConfig config =
        builder().environment(Map.of("HOST_IP", "10.0.0.7", "NODE_NAME", "worker-1")).build();

    assertThat(config.hostIp()).contains(InetAddress.getByName("10.0.0.7"));
    assertThat(config.nodeName()).contains("worker-1");
    assertThatThrownBy(() -> builder().environment(Map.of("HOST_IP", "worker-1")))
        .hasMessageContaining("HOST_IP must be an IP address")
        .hasMessageContaining("'worker-1'");
  }

  @Test
  void toStringNeverShowsTheAuthorization() {
    String text = builder().readyzAuthorization(() -> "Bearer secret-token").build().toString();

    assertThat(text).contains("readyzAuthorization=<set>").doesNotContain("secret-token");
  }
}
