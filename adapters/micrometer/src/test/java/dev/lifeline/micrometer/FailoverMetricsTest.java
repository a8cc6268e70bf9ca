package dev.lifeline.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeline.failover.DiscoveredEndpoint;
import dev.lifeline.failover.Endpoint;
import dev.lifeline.failover.EndpointDiscovery;
import dev.lifeline.failover.FailoverConfig;
import dev.lifeline.failover.FailoverEngine;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FailoverMetricsTest {
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  FailoverEngine engine;

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
  }

  static Endpoint refusing(String ip) throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(ip), 0));
      return new Endpoint(InetAddress.getByName(ip), socket.getLocalPort());
    }
  }

  @Test
  void endpointsByStateAndTransitionsAreCounted() throws IOException {
    Endpoint a = refusing("127.0.0.2");
    Endpoint b = refusing("127.0.0.3");
    AtomicReference<EndpointDiscovery.Context> discovery = new AtomicReference<>();
    engine =
        FailoverEngine.start(
            FailoverConfig.builder(URI.create("https://apiserver.test:" + a.port()))
                .discovery(
                    new EndpointDiscovery() {
                      @Override
                      public void start(Context context) {
                        discovery.set(context);
                      }

                      @Override
                      public void close() {}
                    })
                .detectLocalAddresses(false)
                .environment(Map.of())
                .build());
    FailoverMetrics metrics = new FailoverMetrics(engine, Tags.of("cluster", "test"));
    metrics.bindTo(registry);
    discovery
        .get()
        .publish(List.of(DiscoveredEndpoint.ready(a), DiscoveredEndpoint.ready(b)), "test");

    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                registry
                        .get("lifeline.failover.endpoints")
                        .tags("state", "down", "cluster", "test", "server", "apiserver.test")
                        .gauge()
                        .value()
                    == 2);
    await()
        .atMost(Duration.ofSeconds(2))
        .until(
            () ->
                registry
                        .find("lifeline.failover.transitions")
                        .tag("state", "down")
                        .counters()
                        .stream()
                        .mapToDouble(c -> c.count())
                        .sum()
                    == 2);
    assertThat(
            registry
                .get("lifeline.failover.transitions")
                .tags("endpoint", a.toString(), "state", "down")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(registry.get("lifeline.failover.endpoints").tag("state", "up").gauge().value())
        .isZero();
    assertThat(registry.get("lifeline.failover.connections").gauge().value()).isZero();

    metrics.close();
  }
}
