package dev.lifeline.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class EndpointTest {

  @Test
  void parsesAndPrintsIpv4AndIpv6() {
    assertThat(Endpoint.parse("10.0.0.1:6443").toString()).isEqualTo("10.0.0.1:6443");
    assertThat(Endpoint.parse("[fd00::1]:6443").toString()).isEqualTo("[fd00:0:0:0:0:0:0:1]:6443");
    assertThat(Endpoint.parse(" 10.0.0.1:6443 ").port()).isEqualTo(6443);
  }

  @Test
  void equalityIgnoresAnAttachedHostName() throws Exception {
    InetAddress named = InetAddress.getByAddress("api.example.test", new byte[] {10, 0, 0, 1});

    assertThat(new Endpoint(named, 6443)).isEqualTo(Endpoint.parse("10.0.0.1:6443"));
    assertThat(new Endpoint(named, 6443).toString()).isEqualTo("10.0.0.1:6443");
  }

  @Test
  void badTextIsRejectedWithTheTextInTheMessage() {
    assertThatThrownBy(() -> Endpoint.parse("api.example.test:6443"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'api.example.test:6443'")
        .hasMessageContaining("IP address");
    assertThatThrownBy(() -> Endpoint.parse("10.0.0.1")).hasMessageContaining("ADDRESS:PORT");
    assertThatThrownBy(() -> Endpoint.parse("fd00::1:6443")).hasMessageContaining("[ADDRESS]:PORT");
    assertThatThrownBy(() -> Endpoint.parse("10.0.0.1:http")).hasMessageContaining("number");
    assertThatThrownBy(() -> Endpoint.parse("10.0.0.1:0")).hasMessageContaining("was 0");
    assertThatThrownBy(() -> Endpoint.parse("300.0.0.1:6443")).hasMessageContaining("IP address");
  }
}
