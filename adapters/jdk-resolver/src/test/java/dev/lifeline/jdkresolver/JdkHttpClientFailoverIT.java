package dev.lifeline.jdkresolver;

import static dev.lifeline.failover.it.ControlPlaneEngines.awaitUp;
import static dev.lifeline.failover.it.ControlPlaneEngines.endpoint;
import static dev.lifeline.failover.it.ControlPlaneEngines.millis;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.client.KubeConfig;
import dev.lifeline.failover.FailoverConfig;
import dev.lifeline.failover.FailoverEngine;
import dev.lifeline.failover.it.ControlPlaneEngines;
import dev.lifeline.failover.it.EventRecorder;
import dev.lifeline.testkit.ApiServerInstance;
import dev.lifeline.testkit.DropMode;
import dev.lifeline.testkit.FakeControlPlaneExtension;
import dev.lifeline.testkit.Fault;
import dev.lifeline.testkit.RequiresRoot;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The name level with the JDK HttpClient: the server is {@code localhost} (a name from {@code
 * /etc/hosts}, which the certificate covers), answered through Lifeline's resolver provider. The
 * JDK HttpClient connects to the first address it gets and has no socket hook, so these tests
 * assert where new connections go; open connections are not evicted at this level.
 */
class JdkHttpClientFailoverIT {
  @RegisterExtension static final FakeControlPlaneExtension cp = ControlPlaneEngines.controlPlane();
  private static SSLContext tls;

  @TempDir Path dir;
  final EventRecorder events = new EventRecorder();
  final List<AutoCloseable> resources = new ArrayList<>();
  String userAgent;

  @BeforeAll
  static void trust() throws Exception {
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(cp.ca().trustStore());
    tls = SSLContext.getInstance("TLS");
    tls.init(null, trust.getTrustManagers(), null);
  }

  void name(TestInfo test) {
    ControlPlaneEngines.awaitAllListed(cp);
    userAgent = "jdk-it/" + test.getTestMethod().orElseThrow().getName();
  }

  @AfterEach
  void close() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  FailoverEngine engine(int port, java.util.function.UnaryOperator<FailoverConfig.Builder> tweak) {
    KubeConfig kubeConfig =
        ControlPlaneEngines.kubeConfig(cp, dir, w -> w.serverUrl("https://localhost:" + port));
    FailoverEngine engine =
        FailoverEngine.start(
            tweak.apply(ControlPlaneEngines.config(cp, kubeConfig, events, 0)).build());
    resources.add(engine);
    resources.add(JdkResolver.register(engine));
    return engine;
  }

  /** {@code GET /version} on a new HttpClient (so a new connection), and who answered. */
  ApiServerInstance get(int port) throws Exception {
    HttpClient client =
        HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(2)).build();
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/version"))
                .header("User-Agent", userAgent)
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    client.close();
    return cp.instanceUsedBy(userAgent).orElseThrow();
  }

  static List<String> lookup(String host) throws Exception {
    return Arrays.stream(InetAddress.getAllByName(host)).map(InetAddress::getHostAddress).toList();
  }

  @Test
  void theNameFromEtcHostsResolvesToTheEndpointsAndRequestsReachThem(TestInfo test)
      throws Exception {
    name(test);
    FailoverEngine engine = engine(cp.port(), b -> b);
    awaitUp(engine, 3);

    assertThat(lookup("localhost"))
        .containsExactlyInAnyOrderElementsOf(
            cp.instances().stream().map(i -> i.address().getHostAddress()).toList());
    assertThat(cp.instances()).contains(get(cp.port()));
  }

  @Test
  void withoutEndpointsTheSystemResolverAnswers(TestInfo test) throws Exception {
    name(test);
    engine(cp.port(), b -> b.discovery(dev.lifeline.failover.EndpointDiscovery.none()));

    assertThat(lookup("localhost")).contains("127.0.0.1");
    events.await("dns NO_ENDPOINTS", Duration.ofSeconds(2));
  }

  @Test
  void whenTheEndpointsListenOnAnotherPortTheSystemResolverAnswers(TestInfo test) throws Exception {
    name(test);
    FailoverEngine engine = engine(443, b -> b.endpointsFile(endpointsFile()));
    awaitUp(engine, 3);

    assertThat(lookup("localhost")).contains("127.0.0.1");
    events.await("dns PORT_MISMATCH", Duration.ofSeconds(2));
  }

  private Path endpointsFile() {
    try {
      Path file = dir.resolve("endpoints");
      StringBuilder text = new StringBuilder();
      cp.instances().forEach(i -> text.append(endpoint(i)).append('\n'));
      java.nio.file.Files.writeString(file, text);
      return file;
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  @RequiresRoot(value = "iptables to drop packets", commands = "iptables")
  void afterTheTimeoutWithNothingReachableTheSystemResolverAnswersAndTheSetIsCleared(TestInfo test)
      throws Exception {
    name(test);
    FailoverEngine engine = engine(cp.port(), b -> b.timeout(Duration.ofSeconds(2)));
    awaitUp(engine, 3);
    assertThat(lookup("localhost")).doesNotContain("127.0.0.1");

    long blackholed = System.nanoTime();
    cp.instances().forEach(i -> i.inject(Fault.blackhole(DropMode.REAL_DROPS_REQUIRED)));
    events.await("dns TIMEOUT", blackholed, Duration.ofSeconds(10));

    assertThat(lookup("localhost")).contains("127.0.0.1");
    assertThat(engine.endpoints()).isEmpty();
  }

  @Test
  void theSameNodeEndpointComesFirst(TestInfo test) throws Exception {
    name(test);
    ApiServerInstance local = cp.instance(2);
    FailoverEngine engine =
        engine(cp.port(), b -> b.environment(Map.of("HOST_IP", local.address().getHostAddress())));
    awaitUp(engine, 3);

    for (int i = 0; i < 3; i++) {
      assertThat(get(cp.port())).isEqualTo(local);
    }
  }

  @Test
  void newConnectionsKeepGoingToTheSameEndpoint(TestInfo test) throws Exception {
    name(test);
    FailoverEngine engine = engine(cp.port(), b -> b);
    awaitUp(engine, 3);

    ApiServerInstance first = get(cp.port());
    for (int i = 0; i < 4; i++) {
      assertThat(get(cp.port())).isEqualTo(first);
    }
  }

  @Test
  @RequiresRoot(value = "iptables to drop packets", commands = "iptables")
  void afterABlackholeNewConnectionsGoElsewhereWithinASecond(TestInfo test) throws Exception {
    name(test);
    FailoverEngine engine = engine(cp.port(), b -> b);
    awaitUp(engine, 3);
    ApiServerInstance victim = get(cp.port());

    long blackholed = System.nanoTime();
    victim.inject(Fault.blackhole(DropMode.REAL_DROPS_REQUIRED));
    EventRecorder.Event down =
        events.await("down " + endpoint(victim), blackholed, Duration.ofSeconds(5));
    ApiServerInstance answered = get(cp.port());
    long served = System.nanoTime();

    System.out.printf(
        "JDK HttpClient (name level): blackhole of %s detected in %d ms; a new connection reached"
            + " %s %d ms after the blackhole%n",
        victim.address().getHostAddress(),
        millis(blackholed, down.nanos()),
        answered.address().getHostAddress(),
        millis(blackholed, served));
    assertThat(millis(blackholed, down.nanos())).isLessThan(1_500);
    assertThat(answered).isNotEqualTo(victim);
    assertThat(lookup("localhost")).last().isEqualTo(victim.address().getHostAddress());
  }

  @Test
  void afterAResetNewConnectionsGoElsewhere(TestInfo test) throws Exception {
    name(test);
    FailoverEngine engine = engine(cp.port(), b -> b);
    awaitUp(engine, 3);
    ApiServerInstance victim = get(cp.port());

    victim.inject(Fault.reset());
    // A reset is abortive (no GOAWAY), so the engine holds it down, never draining.
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                engine.endpoints().stream()
                    .anyMatch(
                        s ->
                            s.endpoint().equals(endpoint(victim))
                                && s.state() == dev.lifeline.failover.EndpointState.DOWN));

    assertThat(get(cp.port())).isNotEqualTo(victim);
  }

  @Test
  void duringAGracefulShutdownNewConnectionsGoElsewhere(TestInfo test) throws Exception {
    name(test);
    FailoverEngine engine = engine(cp.port(), b -> b);
    awaitUp(engine, 3);
    ApiServerInstance leaving = get(cp.port());

    long stop = System.nanoTime();
    var stopped = leaving.stopGracefullyAsync();
    events.await("draining " + endpoint(leaving), stop, Duration.ofSeconds(5));

    assertThat(leaving.state()).isEqualTo(ApiServerInstance.State.TERMINATING);
    for (int i = 0; i < 3; i++) {
      assertThat(get(cp.port())).isNotEqualTo(leaving);
    }
    stopped.get(15, java.util.concurrent.TimeUnit.SECONDS);
  }
}
