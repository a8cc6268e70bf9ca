package dev.lifeline.fabric8;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.failover.EndpointDiscovery;
import dev.lifeline.failover.FailoverConfig;
import dev.lifeline.failover.FailoverEngine;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.okhttp.OkHttpClientFactory;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LifelineFabric8Test {
  final FailoverEngine engine =
      FailoverEngine.start(
          FailoverConfig.builder(URI.create("https://apiserver.test:6443"))
              .discovery(EndpointDiscovery.none())
              .environment(Map.of())
              .build());

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void eachBackendGetsTheLevelItAllows() {
    assertThat(LifelineFabric8.levelFor(new OkHttpClientFactory()))
        .isEqualTo(LifelineFabric8.Level.CONNECTION);
    assertThat(LifelineFabric8.levelFor(new JdkHttpClientFactory()))
        .isEqualTo(LifelineFabric8.Level.NAME);
    assertThat(LifelineFabric8.levelFor(new UnknownFactory()))
        .isEqualTo(LifelineFabric8.Level.NONE);
  }

  @Test
  void aConfigForAnotherServerIsRejected() {
    Config config = new ConfigBuilder().withMasterUrl("https://elsewhere.test:6443").build();

    assertThatThrownBy(
            () -> LifelineFabric8.clientBuilder(engine, config, new OkHttpClientFactory()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("https://elsewhere.test:6443")
        .hasMessageContaining("https://apiserver.test:6443");
  }

  /** A backend Lifeline does not know. */
  static final class UnknownFactory implements HttpClient.Factory {
    @Override
    public HttpClient.Builder newBuilder() {
      throw new UnsupportedOperationException("not used");
    }
  }
}
