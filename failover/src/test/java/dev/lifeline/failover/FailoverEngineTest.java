package dev.lifeline.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLSocket;
import mockwebserver3.MockWebServer;
import okhttp3.Protocol;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine on real threads, real TLS and HTTP/2: a blackholed endpoint in use is detected by PING
 * within a second and its connections are closed.
 */
class FailoverEngineTest {
  static final HeldCertificate CA =
      new HeldCertificate.Builder().certificateAuthority(0).commonName("test CA").build();
  static final HandshakeCertificates SERVER =
      new HandshakeCertificates.Builder()
          .heldCertificate(
              new HeldCertificate.Builder()
                  .addSubjectAlternativeName("apiserver.test")
                  .signedBy(CA)
                  .build())
          .build();
  static final HandshakeCertificates CLIENT =
      new HandshakeCertificates.Builder().addTrustedCertificate(CA.certificate()).build();

  final List<MockWebServer> servers = new ArrayList<>();
  final List<FaultProxy> proxies = new ArrayList<>();
  final Map<Endpoint, FaultProxy> proxyOf = new ConcurrentHashMap<>();
  final List<String> events = new CopyOnWriteArrayList<>();
  final List<Long> downAt = new CopyOnWriteArrayList<>();
  List<Endpoint> endpoints;
  FailoverEngine engine;

  @BeforeEach
  void setUp() throws IOException {
    int port = 0;
    endpoints = new ArrayList<>();
    for (String ip : List.of("127.0.0.2", "127.0.0.3", "127.0.0.4")) {
      MockWebServer server = new MockWebServer();
      server.useHttps(SERVER.sslSocketFactory());
      server.setProtocols(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1));
      server.start(InetAddress.getByName("127.0.0.1"), 0);
      servers.add(server);
      FaultProxy proxy = new FaultProxy(ip, port, server.getSocketAddress());
      port = proxy.port();
      proxies.add(proxy);
      Endpoint endpoint = new Endpoint(InetAddress.getByName(ip), port);
      endpoints.add(endpoint);
      proxyOf.put(endpoint, proxy);
    }
    engine =
        FailoverEngine.start(
            FailoverConfig.builder(URI.create("https://apiserver.test:" + port))
                .sslSocketFactory(CLIENT.sslSocketFactory())
                .discovery(EndpointDiscovery.fixed(endpoints))
                .seedResolver(host -> List.of(InetAddress.getByName("127.0.0.9")))
                // The proxy's blackhole is in user space: its kernel still completes TCP
                // handshakes, so the engine sees a live host with a hung server and waits
                // unresponsiveTimeout (2 s by default) rather than pingTimeout. Real drops are
                // covered by the ITs.
                .unresponsiveTimeout(Duration.ofMillis(700))
                .environment(Map.of())
                .listener(
                    new FailoverListener() {
                      @Override
                      public void endpointDown(Endpoint endpoint, String reason) {
                        downAt.add(System.nanoTime());
                        events.add("down " + endpoint + ": " + reason);
                      }

                      @Override
                      public void connectionsClosed(Endpoint endpoint, int count, CloseReason r) {
                        events.add("closed " + count + " " + r + " " + endpoint);
                      }
                    })
                .build());
  }

  @AfterEach
  void tearDown() throws IOException {
    engine.close();
    for (FaultProxy proxy : proxies) {
      proxy.close();
    }
    servers.forEach(MockWebServer::close);
  }

  @Test
  void aBlackholedEndpointInUseIsDetectedWithinASecondAndItsTlsConnectionsAreClosed()
      throws Exception {
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> engine.endpoints().stream().allMatch(s -> s.state() == EndpointState.UP));
    Socket raw = engine.socketFactory().createSocket();
    raw.connect(
        InetSocketAddress.createUnresolved("apiserver.test", endpoints.get(0).port()), 2_000);
    SSLSocket tls =
        (SSLSocket)
            CLIENT.sslSocketFactory().createSocket(raw, "apiserver.test", raw.getPort(), true);
    tls.startHandshake();
    Endpoint used =
        engine.endpoints().stream()
            .filter(EndpointStatus::lastWorking)
            .findFirst()
            .orElseThrow()
            .endpoint();
    assertThat(engine.endpoints().get(0).connections()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(2)).until(() -> pingedRecently(used));

    long blackholedAt = System.nanoTime();
    proxyOf.get(used).blackhole();
    InputStream in = tls.getInputStream();
    await().atMost(Duration.ofSeconds(3)).until(() -> !downAt.isEmpty());

    long detectionMillis = (downAt.get(0) - blackholedAt) / 1_000_000;
    System.out.printf("blackhole of %s detected in %d ms%n", used, detectionMillis);
    assertThat(detectionMillis).isLessThan(1_500);
    assertThat(events)
        .anySatisfy(
            e ->
                assertThat(e)
                    .startsWith("down " + used + ": no HTTP/2 PING answered for ")
                    .endsWith(" ms, although its host accepts TCP connections"));
    await()
        .atMost(Duration.ofSeconds(1))
        .until(() -> events.stream().anyMatch(e -> e.startsWith("closed 1 EVICTED " + used)));
    assertThat(raw.isClosed()).isTrue();
    try {
      in.read();
    } catch (IOException expected) {
      // The evicted connection fails at once instead of hanging.
    }
    Socket next = engine.socketFactory().createSocket();
    next.connect(InetSocketAddress.createUnresolved("apiserver.test", used.port()), 2_000);
    assertThat(next.getInetAddress()).isNotEqualTo(used.address());
    next.close();
  }

  private boolean pingedRecently(Endpoint endpoint) {
    return engine.endpoints().stream()
        .anyMatch(s -> s.endpoint().equals(endpoint) && s.latency().isPresent());
  }
}
