package dev.lifeline.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.okhttp.OkHttpClientFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The kube-proxy stand-in: clients reach the {@code kubernetes} Service through the ClusterIP
 * listener unchanged, each new connection goes to a random endpoint of the EndpointSlice, a
 * blackholed apiserver is still chosen until its lease expires, and faults behind it show through.
 */
class ClusterIpListenerIT {
  @RegisterExtension
  static final FakeControlPlaneExtension cp =
      new FakeControlPlaneExtension(
          FakeControlPlane.builder()
              .instances(3)
              .ephemeralPort()
              .clusterIpListener(ClusterIpListener.CLUSTER_IP)
              .endpointLease(Duration.ofSeconds(1), Duration.ofMillis(300)));

  private static final Duration WAIT = Duration.ofSeconds(10);
  private final List<Socket> sockets = new ArrayList<>();

  @BeforeEach
  void everyInstanceIsAnEndpoint() {
    // A test may have left one out of the EndpointSlice; it rejoins after the restore.
    await().atMost(WAIT).until(() -> cp.endpointAddresses().size() == 3);
  }

  @AfterEach
  void closeSockets() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
  }

  @Test
  void fabric8WithItsOkHttpBackendWorksThroughTheServiceUnchanged() {
    Config config = Config.fromKubeconfig(cp.kubeconfig().serverByService().toYaml());
    try (KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(config)
            .withHttpClientFactory(new OkHttpClientFactory())
            .build()) {
      client
          .configMaps()
          .inNamespace("default")
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName("through-the-service")
                  .endMetadata()
                  .addToData("k", "v")
                  .build())
          .create();

      assertThat(
              client
                  .configMaps()
                  .inNamespace("default")
                  .withName("through-the-service")
                  .get()
                  .getData())
          .containsEntry("k", "v");
      assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo("v1.33.0");
    }
  }

  @Test
  void kubernetesClientJavaWorksThroughTheServiceUnchanged() throws Exception {
    String kubeconfig = cp.kubeconfig().serverByService().toYaml();
    ApiClient client =
        ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(new StringReader(kubeconfig))).build();

    var namespaces = new CoreV1Api(client).listNamespace().execute().getItems();

    assertThat(namespaces).extracting(n -> n.getMetadata().getName()).contains("default");
    client.getHttpClient().connectionPool().evictAll();
  }

  @Test
  void eachNewConnectionGoesToARandomEndpointAndKeepsIt() throws Exception {
    Map<ApiServerInstance, Long> spread = countBackends(connectThroughService(40));

    // 40 connections over 3 endpoints: each gets some (a miss has probability 3 * (2/3)^40).
    assertThat(spread.keySet()).containsExactlyInAnyOrderElementsOf(cp.instances());
    for (Socket s : sockets.subList(0, 10)) {
      int port = s.getLocalPort();
      Optional<ApiServerInstance> first = cp.instanceServingClientPort(port);
      assertThat(handshake(s)).isTrue();
      assertThat(cp.instanceServingClientPort(port)).isEqualTo(first);
    }
  }

  @Test
  void aBlackholedEndpointIsStillChosenUntilItsLeaseExpiresThenNoLonger() throws Exception {
    ApiServerInstance victim = cp.instance(2);
    victim.inject(Fault.blackhole(DropMode.USER_SPACE));

    List<Socket> before = connectThroughService(30);
    Socket toVictim =
        before.stream()
            .filter(s -> cp.instanceServingClientPort(s.getLocalPort()).orElseThrow() == victim)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no connection went to the blackholed endpoint"));
    assertThat(handshake(toVictim)).as("a handshake through the blackhole hangs").isFalse();

    await()
        .atMost(WAIT)
        .until(() -> !cp.endpointAddresses().contains(victim.address().getHostAddress()));
    Map<ApiServerInstance, Long> after = countBackends(connectThroughService(30));

    assertThat(after.keySet()).containsExactlyInAnyOrder(cp.instance(0), cp.instance(1));
  }

  @Test
  @RequiresRoot(value = "real packet drops behind the ClusterIP listener", commands = "iptables")
  void behindTheListenerARealBlackholeMakesTheConnectionsToItHang() throws Exception {
    cp.instance(1).inject(Fault.blackhole(DropMode.REAL_DROPS_REQUIRED));

    List<CompletableFuture<Boolean>> handshakes = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      Socket s = new Socket();
      sockets.add(s);
      s.connect(cp.serviceAddress(), 2000);
      // In parallel, so the hung ones cost one timeout, not one each.
      handshakes.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return handshake(s);
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              },
              command -> {
                Thread t = new Thread(command, "test-handshake");
                t.setDaemon(true);
                t.start();
              }));
    }
    int answered = 0;
    int hung = 0;
    for (CompletableFuture<Boolean> h : handshakes) {
      if (h.get(10, TimeUnit.SECONDS)) {
        answered++;
      } else {
        hung++;
      }
    }

    // Each connection picks the dropped endpoint with probability 1/3: none in 15 has (2/3)^15.
    assertThat(hung).isPositive();
    assertThat(answered).isPositive();
  }

  @Test
  void aResetEndpointResetsTheConnectionsForwardedToIt() throws Exception {
    Socket s = connectThroughService(1).get(0);
    ApiServerInstance backend = cp.instanceServingClientPort(s.getLocalPort()).orElseThrow();

    backend.inject(Fault.reset());

    s.setSoTimeout((int) WAIT.toMillis());
    assertThatThrownBy(() -> s.getInputStream().read())
        .isInstanceOf(SocketException.class)
        .hasMessageContaining("Connection reset");
  }

  @Test
  void whenRootTheServiceListensOnTheClusterIpPort443() throws Exception {
    RootRequirement.require("adding the ClusterIP to lo", "ip");
    InetSocketAddress service = cp.serviceAddress();
    if (!service.getAddress().getHostAddress().equals(cp.clusterIp())) {
      // Another process (a test JVM of a concurrent build) holds 10.96.0.1:443: the fallback is
      // right only then.
      assertThat(service.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
      try (Socket other = new Socket()) {
        other.connect(new InetSocketAddress(cp.clusterIp(), 443), 1000);
      }
      return;
    }
    assertThat(service.getPort()).isEqualTo(443);
    assertThat(cp.kubeconfig().serverByService().toYaml())
        .contains("server: https://" + cp.clusterIp() + ":443");
    assertThat(handshake(connectThroughService(1).get(0))).isTrue();
  }

  @Test
  void theClusterIpIsAddedToLoForAsLongAsAControlPlaneListensOnIt() throws Exception {
    RootRequirement.require("adding a ClusterIP to lo", "ip");
    // A ClusterIP of its own, so that no other test JVM shares it.
    String ip = "10.99." + (ProcessHandle.current().pid() % 250) + ".1";
    FakeControlPlane.Builder builder =
        FakeControlPlane.builder()
            .instances(1)
            .ephemeralPort()
            .serviceCidr("10.99.0.0/16")
            .clusterIp(ip)
            .clusterIpListener(ClusterIpListener.CLUSTER_IP);
    try (FakeControlPlane first = builder.start()) {
      assertThat(first.serviceAddress()).isEqualTo(new InetSocketAddress(ip, 443));
      assertThat(loAddresses()).contains(" inet " + ip + "/32 ").contains("lo:lltk");
      try (FakeControlPlane second = builder.start()) {
        assertThat(second.serviceAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
      }
      assertThat(loAddresses()).contains(" inet " + ip + "/32 ");
    }
    assertThat(loAddresses()).doesNotContain(" inet " + ip + "/32 ");

    // Another process listening on it (a JVM listens through a dual-stack socket) keeps it.
    FakeControlPlane third = builder.start();
    try (ServerSocket other = new ServerSocket()) {
      other.bind(new InetSocketAddress(ip, 0));
      third.close();
      assertThat(loAddresses()).contains(" inet " + ip + "/32 ");
    }
    builder.start().close();
    assertThat(loAddresses()).doesNotContain(" inet " + ip + "/32 ");
  }

  @Test
  void withoutAListenerTheAccessorSaysHowToGetOne() {
    try (FakeControlPlane plain = FakeControlPlane.builder().instances(1).ephemeralPort().start()) {
      assertThatThrownBy(plain::serviceAddress)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("clusterIpListener(ClusterIpListener.CLUSTER_IP)");
    }
  }

  private static String loAddresses() {
    return dev.lifeline.testkit.internal.host.HostCommand.run(
        "iproute2", List.of("ip", "-o", "-4", "addr", "show", "dev", "lo"));
  }

  /** Opens TCP connections to the service and waits until each is forwarded to an instance. */
  private List<Socket> connectThroughService(int count) throws IOException {
    List<Socket> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Socket s = new Socket();
      sockets.add(s);
      s.connect(cp.serviceAddress(), 2000);
      out.add(s);
    }
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(10))
        .until(
            () ->
                out.stream()
                    .allMatch(s -> cp.instanceServingClientPort(s.getLocalPort()).isPresent()));
    return out;
  }

  private static Map<ApiServerInstance, Long> countBackends(List<Socket> connections) {
    return connections.stream()
        .map(s -> cp.instanceServingClientPort(s.getLocalPort()).orElseThrow())
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }

  /** Whether a TLS handshake over the connection completes within 700 ms. */
  private static boolean handshake(Socket s) throws IOException {
    SSLSocket tls =
        (SSLSocket)
            KubeHttp.sslContext(cp)
                .getSocketFactory()
                .createSocket(s, cp.serverName(), s.getPort(), false);
    tls.setSoTimeout(700);
    try {
      tls.startHandshake();
      return true;
    } catch (SocketTimeoutException hung) {
      return false;
    }
  }
}
