package dev.lifeline.okhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.failover.Endpoint;
import dev.lifeline.failover.EndpointDiscovery;
import dev.lifeline.failover.FailoverConfig;
import dev.lifeline.failover.FailoverEngine;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttp;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LifelineOkHttpTest {
  static final List<Endpoint> ENDPOINTS =
      List.of(Endpoint.parse("127.0.0.2:6443"), Endpoint.parse("127.0.0.3:6443"));

  final FailoverEngine engine =
      FailoverEngine.start(
          FailoverConfig.builder(URI.create("https://apiserver.test:6443"))
              .discovery(EndpointDiscovery.fixed(ENDPOINTS))
              .detectLocalAddresses(false)
              .environment(Map.of())
              .build());

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void theTestsRunOnTheExpectedOkHttpVersion() {
    String expected = System.getProperty("lifeline.okhttp.expected", "5.");
    assertThat(OkHttp.VERSION).startsWith(expected);
  }

  @Test
  void configureWiresSocketsDnsPingsAndRetries() throws Exception {
    OkHttpClient client =
        LifelineOkHttp.configure(new OkHttpClient.Builder().retryOnConnectionFailure(false), engine)
            .build();

    assertThat(client.socketFactory()).isSameAs(engine.socketFactory());
    assertThat(client.pingIntervalMillis()).isEqualTo(5_000);
    assertThat(client.retryOnConnectionFailure()).isTrue();
    assertThat(client.dns().lookup("apiserver.test"))
        .hasSize(1)
        .first()
        .satisfies(a -> assertThat(ENDPOINTS).extracting(Endpoint::address).contains(a));
    assertThat(client.dns().lookup("localhost")).isNotEmpty();
  }

  @Test
  void theNameLevelDnsAnswersWithEveryEndpoint() throws Exception {
    List<InetAddress> answer = LifelineOkHttp.dns(engine).lookup("APIServer.test");

    assertThat(answer)
        .containsExactlyInAnyOrderElementsOf(ENDPOINTS.stream().map(Endpoint::address).toList());
    assertThat(answer.get(0).getHostName()).isEqualTo("APIServer.test");
  }

  @Test
  void otherNamesGoToTheFallback() throws Exception {
    InetAddress other = InetAddress.getByName("192.0.2.7");

    assertThat(LifelineOkHttp.dns(engine, host -> List.of(other)).lookup("registry.test"))
        .containsExactly(other);
  }
}
