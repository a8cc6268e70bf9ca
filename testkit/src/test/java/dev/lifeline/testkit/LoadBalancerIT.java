package dev.lifeline.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The load balancer in front of the instances: a name that resolves to it carries the instances'
 * port, round robin spreads connections evenly, a dead instance keeps its share without health
 * checks and loses it with them.
 */
class LoadBalancerIT {
  @RegisterExtension
  static final FakeControlPlaneExtension cp =
      new FakeControlPlaneExtension(
          FakeControlPlane.builder()
              .instances(3)
              .ephemeralPort()
              .loadBalancer(LoadBalancerSpec.on("127.0.0.1")));

  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void aNameThatResolvesToTheBalancerHasTheInstancesPort() throws Exception {
    assertThat(cp.loadBalancerAddress()).isEqualTo(new InetSocketAddress("127.0.0.1", cp.port()));
    String yaml = cp.kubeconfig().serverByLoadBalancer("localhost").toYaml();
    assertThat(yaml).contains("server: https://localhost:" + cp.port());

    try (HttpClient client = HttpClient.newBuilder().sslContext(KubeHttp.sslContext(cp)).build()) {
      HttpResponse<String> version =
          client.send(
              HttpRequest.newBuilder(URI.create("https://localhost:" + cp.port() + "/version"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(version.statusCode()).isEqualTo(200);
      HttpResponse<String> byAddress =
          client.send(
              HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + cp.port() + "/version"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(byAddress.statusCode()).isEqualTo(200);
    }
  }

  @Test
  void roundRobinGivesEachInstanceItsTurn() throws Exception {
    List<ApiServerInstance> chosen = new ArrayList<>();
    List<Socket> open = new ArrayList<>();
    try {
      for (int i = 0; i < 6; i++) {
        Socket s = new Socket();
        open.add(s);
        s.connect(cp.loadBalancerAddress(), 2000);
        await()
            .atMost(WAIT)
            .pollInterval(Duration.ofMillis(5))
            .until(() -> cp.instanceServingClientPort(s.getLocalPort()).isPresent());
        chosen.add(cp.instanceServingClientPort(s.getLocalPort()).orElseThrow());
      }
    } finally {
      for (Socket s : open) {
        s.close();
      }
    }
    int first = chosen.get(0).index();
    for (int i = 0; i < chosen.size(); i++) {
      assertThat(chosen.get(i).index()).isEqualTo((first + i) % 3);
    }
  }

  @Test
  void withoutHealthChecksADeadInstanceKeepsItsTurnAndItsClientsAreDropped() throws Exception {
    cp.instance(1).crash();
    int failed = 0;
    for (int i = 0; i < 6; i++) {
      failed += handshakeThrough(cp.loadBalancerAddress()) ? 0 : 1;
    }
    assertThat(failed).isEqualTo(2);
  }

  @Test
  void healthChecksTakeADeadInstanceOutAndBringItBack() throws Exception {
    try (FakeControlPlane checked =
        FakeControlPlane.builder()
            .instances(2)
            .ephemeralPort()
            .loadBalancer(
                LoadBalancerSpec.on("127.0.0.1")
                    .strategy(LoadBalancerSpec.Strategy.RANDOM)
                    .tcpHealthChecks(Duration.ofMillis(50), 2, 2))
            .start()) {
      ApiServerInstance dead = checked.instance(0);
      dead.crash();

      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(20))
          .until(() -> allHandshakesSucceed(checked, 20));

      dead.restart();
      await()
          .atMost(WAIT)
          .until(
              () -> {
                try (Socket s = new Socket()) {
                  s.connect(checked.loadBalancerAddress(), 2000);
                  return awaitBackend(checked, s) == dead;
                }
              });
    }
  }

  @Test
  void aLoadBalancerOnAnInstanceAddressAndPortIsRefused() {
    assertThatThrownBy(
            () ->
                FakeControlPlane.builder()
                    .instances(2)
                    .ephemeralPort()
                    .loadBalancer(LoadBalancerSpec.on("127.0.0.3"))
                    .start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("loadBalancer 127.0.0.3 is also an instance address");
    assertThatThrownBy(() -> LoadBalancerSpec.on("localhost"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("loadBalancer address must be an IPv4 literal, was localhost");
  }

  private static boolean allHandshakesSucceed(FakeControlPlane plane, int connections)
      throws IOException {
    for (int i = 0; i < connections; i++) {
      if (!handshakeThrough(plane, plane.loadBalancerAddress())) {
        return false;
      }
    }
    return true;
  }

  private static boolean handshakeThrough(InetSocketAddress address) throws IOException {
    return handshakeThrough(cp, address);
  }

  /** Whether a TLS handshake through the balancer completes (a dropped client fails it). */
  private static boolean handshakeThrough(FakeControlPlane plane, InetSocketAddress address)
      throws IOException {
    try (SSLSocket s = (SSLSocket) KubeHttp.sslContext(plane).getSocketFactory().createSocket()) {
      s.connect(address, 2000);
      s.setSoTimeout(5000);
      s.startHandshake();
      return true;
    } catch (javax.net.ssl.SSLException | java.net.SocketException dropped) {
      return false;
    }
  }

  private static ApiServerInstance awaitBackend(FakeControlPlane plane, Socket s) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(5))
        .until(() -> plane.instanceServingClientPort(s.getLocalPort()).isPresent());
    return plane.instanceServingClientPort(s.getLocalPort()).orElseThrow();
  }
}
