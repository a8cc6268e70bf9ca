package dev.lifeline.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a client sees for each fault, on one instance of a three-instance control plane. */
class FaultsIT {
  @RegisterExtension
  static final FakeControlPlaneExtension cp =
      new FakeControlPlaneExtension(
          FakeControlPlane.builder()
              .instances(3)
              .ephemeralPort()
              .endpointLease(Duration.ofSeconds(1), Duration.ofMillis(300))
              .shutdownDelay(Duration.ofMillis(800)));

  private static final Duration WAIT = Duration.ofSeconds(10);
  private HttpClient client;

  @BeforeEach
  void connect() {
    client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .sslContext(KubeHttp.sslContext(cp))
            .connectTimeout(Duration.ofSeconds(2))
            .build();
  }

  @AfterEach
  void disconnect() {
    client.close();
  }

  private HttpResponse<String> get(ApiServerInstance i, String path, Duration timeout)
      throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(URI.create(i.url() + path))
            .header("Authorization", "Bearer " + cp.admin().token())
            .timeout(timeout)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static long millisSince(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
  }

  @Test
  void aBlackholeWithRealDropsMakesRequestsTimeOutAndTheInstanceLeaveAfterItsLease()
      throws Exception {
    ApiServerInstance i = cp.instance(1);
    assertThat(get(i, "/version", WAIT).statusCode()).isEqualTo(200);
    assertThat(i.endpointLeaseExpiry()).isPresent();

    i.inject(Fault.blackhole(DropMode.REAL_DROPS_REQUIRED));

    assertThat(i.isDroppingPackets()).isTrue();
    long start = System.nanoTime();
    assertThatThrownBy(() -> get(i, "/version", Duration.ofSeconds(1)))
        .isInstanceOf(HttpTimeoutException.class);
    assertThat(millisSince(start)).isGreaterThanOrEqualTo(900);
    try (Socket s = new Socket()) {
      assertThatThrownBy(() -> s.connect(i.socketAddress(), 500))
          .isInstanceOf(SocketTimeoutException.class);
    }
    await().atMost(WAIT).until(() -> !cp.endpointAddresses().contains("127.0.0.3"));
    assertThat(cp.endpointAddresses()).containsExactly("127.0.0.2", "127.0.0.4");
    assertThat(i.endpointLeaseExpiry()).isEmpty();

    i.restore();

    assertThat(i.isDroppingPackets()).isFalse();
    assertThat(get(i, "/version", WAIT).statusCode()).isEqualTo(200);
    await().atMost(WAIT).until(() -> cp.endpointAddresses().contains("127.0.0.3"));
    assertThat(i.endpointLeaseExpiry()).isPresent();
  }

  @Test
  void aUserSpaceBlackholeAcceptsTcpButTheTlsHandshakeHangs() throws Exception {
    ApiServerInstance i = cp.instance(2);
    i.inject(Fault.blackhole(DropMode.USER_SPACE));
    assertThat(i.isDroppingPackets()).isFalse();

    long start = System.nanoTime();
    assertThatThrownBy(() -> get(i, "/version", Duration.ofSeconds(1)))
        .isInstanceOf(HttpTimeoutException.class);
    assertThat(millisSince(start)).isGreaterThanOrEqualTo(900);
    try (SSLSocket s = (SSLSocket) KubeHttp.sslContext(cp).getSocketFactory().createSocket()) {
      s.connect(i.socketAddress(), 1000);
      s.setSoTimeout(700);
      assertThatThrownBy(s::startHandshake).isInstanceOf(SocketTimeoutException.class);
    }

    i.restore();
    assertThat(get(i, "/version", WAIT).statusCode()).isEqualTo(200);
  }

  @Test
  void aResetFailsOpenConnectionsAtOnceAndRefusesNewOnes() throws Exception {
    ApiServerInstance i = cp.instance(1);
    try (SSLSocket open = (SSLSocket) KubeHttp.sslContext(cp).getSocketFactory().createSocket()) {
      open.connect(i.socketAddress(), 2000);
      open.startHandshake();
      await().atMost(WAIT).until(() -> i.openConnections() >= 1);

      i.inject(Fault.reset());

      long start = System.nanoTime();
      open.setSoTimeout(5000);
      assertThatThrownBy(() -> open.getInputStream().read()).isInstanceOf(IOException.class);
      assertThat(millisSince(start)).isLessThan(2000);
    }
    long start = System.nanoTime();
    try (Socket s = new Socket()) {
      assertThatThrownBy(() -> s.connect(i.socketAddress(), 2000))
          .isInstanceOf(ConnectException.class);
    }
    assertThat(millisSince(start)).isLessThan(1000);

    i.restore();
    assertThat(get(i, "/version", WAIT).statusCode()).isEqualTo(200);
  }

  @Test
  void latencyDelaysEachResponseAndOptionallyEachWatchEvent() throws Exception {
    ApiServerInstance i = cp.instance(0);
    i.inject(Fault.latency(Duration.ofMillis(400)).alsoDelayingWatchEvents());

    long start = System.nanoTime();
    assertThat(get(i, "/version", WAIT).statusCode()).isEqualTo(200);
    assertThat(millisSince(start)).isGreaterThanOrEqualTo(400);

    long rv = cp.store().resourceVersion();
    try (KubeHttp http = new KubeHttp(cp, 0, cp.admin().token());
        KubeHttp.Watch w =
            http.watch("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=" + rv)) {
      long created = System.nanoTime();
      cp.store()
          .create(
              "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"slow\",\"namespace\":\"default\"}}");
      JsonNode e = w.next(WAIT);
      assertThat(e.path("type").asText()).isEqualTo("ADDED");
      assertThat(millisSince(created)).isGreaterThanOrEqualTo(400);
    }
  }

  @Test
  void errorResponsesAnswerWithTheChosenStatus() throws Exception {
    ApiServerInstance i = cp.instance(0);
    i.inject(
        Fault.errorResponses(429)
            .withRetryAfterSeconds(3)
            .onPaths("^/api/v1/namespaces/default/pods$"));

    HttpResponse<String> throttled = get(i, "/api/v1/namespaces/default/pods", WAIT);
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.headers().firstValue("Retry-After")).contains("3");
    JsonNode status = KubeHttp.JSON.readTree(throttled.body());
    assertThat(status.path("reason").asText()).isEqualTo("TooManyRequests");
    assertThat(status.at("/details/retryAfterSeconds").asInt()).isEqualTo(3);
    assertThat(get(i, "/api/v1/namespaces/default/configmaps", WAIT).statusCode()).isEqualTo(200);

    i.restore();
    i.inject(Fault.errorResponses(503).withShare(0.5));
    int failed = 0;
    for (int n = 0; n < 200; n++) {
      int code = get(i, "/version", WAIT).statusCode();
      assertThat(code).isIn(200, 503);
      failed += code == 503 ? 1 : 0;
    }
    assertThat(failed).isBetween(60, 140);

    i.restore();
    i.inject(Fault.errorResponses(500));
    HttpResponse<String> broken = get(i, "/api/v1/namespaces", WAIT);
    assertThat(broken.statusCode()).isEqualTo(500);
    assertThat(KubeHttp.JSON.readTree(broken.body()).path("reason").asText())
        .isEqualTo("InternalError");
  }

  @Test
  void flappingAlternatesBetweenHealthyAndTheDownFault() throws Exception {
    ApiServerInstance i = cp.instance(2);
    i.flap(Duration.ofMillis(300), Duration.ofMillis(300), Fault.reset());
    List<Boolean> answers = new ArrayList<>();
    long end = System.nanoTime() + Duration.ofMillis(2000).toNanos();
    while (System.nanoTime() < end) {
      try (Socket s = new Socket()) {
        s.connect(i.socketAddress(), 300);
        answers.add(true);
      } catch (IOException refused) {
        answers.add(false);
      }
      // Pacing between probes, not synchronisation: the probes sample the flapping over time.
      LockSupport.parkNanos(Duration.ofMillis(40).toNanos());
    }
    i.restore();
    assertThat(answers).contains(true, false);
    int switches = 0;
    for (int k = 1; k < answers.size(); k++) {
      switches += answers.get(k).equals(answers.get(k - 1)) ? 0 : 1;
    }
    assertThat(switches).isGreaterThanOrEqualTo(3);
    assertThat(i.activeFaults()).isEmpty();
    assertThat(get(i, "/version", WAIT).statusCode()).isEqualTo(200);
  }

  @Test
  void aGracefulStopLeavesTheEndpointSliceBeforeItStopsAnswering() throws Exception {
    ApiServerInstance stopping = cp.instance(1);
    long rv = cp.store().resourceVersion();
    try (KubeHttp observer = new KubeHttp(cp, 0, cp.admin().token());
        KubeHttp.Watch slices =
            observer.watch(
                "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?watch=true&resourceVersion="
                    + rv)) {
      var stopped = stopping.stopGracefullyAsync();

      JsonNode modified = slices.next(WAIT);
      assertThat(stopped).isNotDone();
      assertThat(modified.path("type").asText()).isEqualTo("MODIFIED");
      assertThat(modified.at("/object/endpoints").toString()).doesNotContain("127.0.0.3");
      assertThat(stopping.state()).isEqualTo(ApiServerInstance.State.TERMINATING);
      HttpResponse<String> readyz = get(stopping, "/readyz", WAIT);
      assertThat(readyz.statusCode()).isEqualTo(500);
      assertThat(readyz.body())
          .contains("[-]shutdown failed: reason withheld")
          .endsWith("readyz check failed\n");
      assertThat(get(stopping, "/version", WAIT).statusCode()).isEqualTo(200);

      stopped.get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      assertThat(stopping.state()).isEqualTo(ApiServerInstance.State.STOPPED);
      try (Socket s = new Socket()) {
        assertThatThrownBy(() -> s.connect(stopping.socketAddress(), 1000))
            .isInstanceOf(ConnectException.class);
      }
    }
    stopping.restart();
    await().atMost(WAIT).until(() -> cp.endpointAddresses().contains("127.0.0.3"));
  }

  @Test
  void aCrashedInstanceKeepsItsLeaseUntilItExpiresAndRejoinsOnRestart() throws Exception {
    ApiServerInstance crashed = cp.instance(2);
    try (SSLSocket open = (SSLSocket) KubeHttp.sslContext(cp).getSocketFactory().createSocket()) {
      open.connect(crashed.socketAddress(), 2000);
      open.startHandshake();
      crashed.crash();
      open.setSoTimeout(5000);
      assertThatThrownBy(() -> open.getInputStream().read()).isInstanceOf(IOException.class);
    }
    assertThat(crashed.state()).isEqualTo(ApiServerInstance.State.CRASHED);
    assertThat(cp.endpointAddresses()).contains("127.0.0.4");
    await().atMost(WAIT).until(() -> !cp.endpointAddresses().contains("127.0.0.4"));

    crashed.restart();

    assertThat(crashed.state()).isEqualTo(ApiServerInstance.State.RUNNING);
    assertThat(cp.endpointAddresses()).contains("127.0.0.4");
    assertThat(get(crashed, "/readyz", WAIT).statusCode()).isEqualTo(200);
  }

  @Test
  void theInstanceAClientUsesCanBeFound() throws Exception {
    HttpRequest r =
        HttpRequest.newBuilder(URI.create(cp.instance(2).url() + "/version"))
            .header("User-Agent", "finder-test/1.0")
            .build();
    client.send(r, HttpResponse.BodyHandlers.ofString());
    // The request log records an exchange once its response is written, which can be a moment
    // after the client has read it.
    await().atMost(WAIT).until(() -> cp.instanceUsedBy("finder-test").isPresent());
    assertThat(cp.instanceUsedBy("finder-test")).contains(cp.instance(2));
    try (Socket s = new Socket()) {
      s.connect(cp.instance(1).socketAddress(), 2000);
      int port = ((InetSocketAddress) s.getLocalSocketAddress()).getPort();
      await().atMost(WAIT).until(() -> cp.instanceServingClientPort(port).isPresent());
      assertThat(cp.instanceServingClientPort(port)).contains(cp.instance(1));
    }
  }
}
