package dev.lifeline.failover.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lifeline.failover.Endpoint;
import dev.lifeline.failover.FailoverConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLException;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;
import okhttp3.Protocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TlsProberTest {
  final ExecutorService readers = Executors.newCachedThreadPool();
  final List<MockWebServer> servers = new CopyOnWriteArrayList<>();
  volatile int readyzStatus = 200;
  volatile String readyzBody = "ok";

  @AfterEach
  void tearDown() {
    servers.forEach(MockWebServer::close);
    readers.shutdownNow();
  }

  Endpoint start(String ip, List<Protocol> protocols) throws IOException {
    MockWebServer server = new MockWebServer();
    server.useHttps(TestTls.get().serverSocketFactory());
    server.setProtocols(protocols);
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return new MockResponse(readyzStatus, Headers.of(), readyzBody);
          }
        });
    server.start(InetAddress.getByName(ip), 0);
    servers.add(server);
    return new Endpoint(InetAddress.getByName(ip), server.getPort());
  }

  Endpoint start(String ip) throws IOException {
    return start(ip, List.of(Protocol.HTTP_2, Protocol.HTTP_1_1));
  }

  TlsProber prober(String tlsServerName, FailoverConfig.Builder... tweak) {
    FailoverConfig.Builder builder =
        FailoverConfig.builder(URI.create("https://" + TestTls.SERVER_NAME + ":443/prefix/"))
            .sslSocketFactory(TestTls.get().clientSocketFactory())
            .tlsServerName(tlsServerName);
    return new TlsProber(builder.build(), readers);
  }

  @Test
  void aHandshakeVerifiesTheServerNameNotTheEndpointAddress() throws Exception {
    Endpoint endpoint = start("127.0.0.2");

    assertThat(prober(TestTls.SERVER_NAME).handshake(endpoint)).isPositive();
    assertThatThrownBy(() -> prober("someone-else.test").handshake(endpoint))
        .isInstanceOf(SSLException.class);
  }

  @Test
  void aPingIsAcknowledged() throws Exception {
    Endpoint endpoint = start("127.0.0.2");
    List<Long> acks = new CopyOnWriteArrayList<>();
    PingChannel channel =
        prober(TestTls.SERVER_NAME)
            .openPingChannel(
                endpoint,
                new PingChannel.Listener() {
                  @Override
                  public void pingAcked(long id) {
                    acks.add(id);
                  }

                  @Override
                  public void goAway(long errorCode) {}

                  @Override
                  public void closed(IOException cause) {}
                });
    try {
      channel.ping(41);
      channel.ping(42);
      await().atMost(Duration.ofSeconds(2)).until(() -> acks.size() == 2);
      assertThat(acks).containsExactly(41L, 42L);
      assertThat(servers.get(0).getRequestCount()).isZero();
    } finally {
      channel.close();
    }
  }

  @Test
  void theChannelReportsTheServerGoingAway() throws Exception {
    Endpoint endpoint = start("127.0.0.2");
    List<String> heard = new CopyOnWriteArrayList<>();
    PingChannel channel =
        prober(TestTls.SERVER_NAME)
            .openPingChannel(
                endpoint,
                new PingChannel.Listener() {
                  @Override
                  public void pingAcked(long id) {
                    heard.add("ack");
                  }

                  @Override
                  public void goAway(long errorCode) {
                    heard.add("goaway");
                  }

                  @Override
                  public void closed(IOException cause) {
                    heard.add("closed");
                  }
                });
    channel.ping(1);
    await().atMost(Duration.ofSeconds(2)).until(() -> heard.contains("ack"));

    servers.get(0).close();

    await().atMost(Duration.ofSeconds(2)).until(() -> heard.size() >= 2);
    assertThat(heard.get(1)).isIn("goaway", "closed");
    channel.close();
  }

  @Test
  void anHttp11OnlyEndpointCannotBePinged() throws Exception {
    Endpoint endpoint = start("127.0.0.2", List.of(Protocol.HTTP_1_1));

    assertThatThrownBy(
            () ->
                prober(TestTls.SERVER_NAME)
                    .openPingChannel(
                        endpoint,
                        new PingChannel.Listener() {
                          @Override
                          public void pingAcked(long id) {}

                          @Override
                          public void goAway(long errorCode) {}

                          @Override
                          public void closed(IOException cause) {}
                        }))
        .isInstanceOf(Prober.NoHttp2Exception.class)
        .hasMessageContaining("http/1.1");
  }

  @Test
  void readyzReportsTheStatusAndTheStartOfTheBodyUnderTheUrlPrefix() throws Exception {
    Endpoint endpoint = start("127.0.0.2");
    readyzStatus = 500;
    readyzBody = "[-]etcd failed: reason withheld\nreadyz check failed";

    Prober.Readyz readyz = prober(TestTls.SERVER_NAME).readyz(endpoint);

    assertThat(readyz.status()).isEqualTo(500);
    assertThat(readyz.isReady()).isFalse();
    assertThat(readyz.body()).contains("etcd failed");
    RecordedRequest request = servers.get(0).takeRequest();
    assertThat(request.getTarget()).isEqualTo("/prefix/readyz");
    assertThat(request.getHeaders().get("Authorization")).isNull();
  }

  @Test
  void readyzCarriesTheConfiguredAuthorization() throws Exception {
    Endpoint endpoint = start("127.0.0.2");
    TlsProber prober =
        new TlsProber(
            FailoverConfig.builder(URI.create("https://" + TestTls.SERVER_NAME))
                .sslSocketFactory(TestTls.get().clientSocketFactory())
                .readyzAuthorization(() -> "Bearer t0ken")
                .build(),
            readers);

    assertThat(prober.readyz(endpoint).isReady()).isTrue();
    assertThat(servers.get(0).takeRequest().getHeaders().get("Authorization"))
        .isEqualTo("Bearer t0ken");
  }
}
