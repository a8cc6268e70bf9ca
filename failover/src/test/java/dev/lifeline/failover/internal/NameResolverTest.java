package dev.lifeline.failover.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.failover.DiscoveredEndpoint;
import dev.lifeline.failover.Endpoint;
import dev.lifeline.failover.FailoverConfig;
import dev.lifeline.failover.FailoverListener;
import dev.lifeline.failover.FailoverListener.FallbackReason;
import dev.lifeline.failover.HostResolver;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class NameResolverTest {
  static final Endpoint A = Endpoint.parse("10.0.0.1:6443");
  static final Endpoint B = Endpoint.parse("10.0.0.2:6443");
  static final InetAddress DNS_ANSWER = address("192.0.2.10");

  final AtomicLong now = new AtomicLong();
  final List<String> fallbacks = new ArrayList<>();
  final List<String> systemLookups = new ArrayList<>();
  final HostResolver system =
      host -> {
        systemLookups.add(host);
        return List.of(DNS_ANSWER);
      };
  final EndpointTable table = new EndpointTable(now::get, Duration.ZERO, new Random(3), Set.of());
  int clears;

  NameResolver resolver(String server) {
    FailoverConfig config =
        FailoverConfig.builder(URI.create(server))
            .timeout(Duration.ofSeconds(30))
            .seedResolver(system)
            .build();
    FailoverListener listener =
        new FailoverListener() {
          @Override
          public void fallbackToDns(String host, FallbackReason reason) {
            fallbacks.add(reason.name());
          }
        };
    return new NameResolver(
        config,
        table,
        now::get,
        listener,
        () -> {
          clears++;
          table.clear();
        },
        table::answered);
  }

  static InetAddress address(String ip) {
    return IpLiterals.parse(ip).orElseThrow();
  }

  @Test
  void theServerNameResolvesToTheOrderedEndpoints() throws Exception {
    NameResolver resolver = resolver("https://api.example.test:6443");
    table.applyDiscovered(List.of(DiscoveredEndpoint.ready(A), DiscoveredEndpoint.ready(B)), "s");
    table.up(B);

    List<InetAddress> answer = resolver.resolve("API.example.test.", system);

    assertThat(answer).containsExactly(B.address(), A.address());
    assertThat(answer.get(0).getHostName()).isEqualTo("API.example.test.");
    assertThat(systemLookups).isEmpty();
  }

  @Test
  void otherNamesGoToTheSystemResolver() throws Exception {
    NameResolver resolver = resolver("https://api.example.test:6443");
    table.applyDiscovered(List.of(DiscoveredEndpoint.ready(A)), "s");

    assertThat(resolver.resolve("registry.example.test", system)).containsExactly(DNS_ANSWER);
    assertThat(resolver.owns("registry.example.test")).isFalse();
    assertThat(fallbacks).isEmpty();
  }

  @Test
  void withoutEndpointsTheSystemResolverAnswersAndOneEventSaysWhy() throws Exception {
    NameResolver resolver = resolver("https://api.example.test:6443");

    assertThat(resolver.resolve("api.example.test", system)).containsExactly(DNS_ANSWER);
    assertThat(resolver.resolve("api.example.test", system)).containsExactly(DNS_ANSWER);

    assertThat(fallbacks).containsExactly("NO_ENDPOINTS");
  }

  @Test
  void whenTheEndpointsListenOnAnotherPortTheSystemResolverAnswers() throws Exception {
    NameResolver resolver = resolver("https://api.example.test");
    table.applyDiscovered(List.of(DiscoveredEndpoint.ready(A)), "s");

    assertThat(resolver.resolve("api.example.test", system)).containsExactly(DNS_ANSWER);
    assertThat(fallbacks).containsExactly("PORT_MISMATCH");
  }

  @Test
  void afterTheTimeoutWithNothingReachableItFallsBackAndClearsTheSet() throws Exception {
    NameResolver resolver = resolver("https://api.example.test:6443");
    table.applyDiscovered(List.of(DiscoveredEndpoint.ready(A)), "s");
    table.down(A, "refused");

    now.addAndGet(TimeUnit.SECONDS.toNanos(29));
    assertThat(resolver.resolve("api.example.test", system)).containsExactly(A.address());
    now.addAndGet(TimeUnit.SECONDS.toNanos(2));
    assertThat(resolver.resolve("api.example.test", system)).containsExactly(DNS_ANSWER);

    assertThat(clears).isEqualTo(1);
    assertThat(table.isEmpty()).isTrue();
    assertThat(fallbacks).containsExactly("TIMEOUT");
  }

  @Test
  void anUpEndpointKeepsTheResolverAnsweringWhateverTheClock() throws Exception {
    NameResolver resolver = resolver("https://api.example.test:6443");
    table.applyDiscovered(List.of(DiscoveredEndpoint.ready(A)), "s");
    table.up(A);

    now.addAndGet(TimeUnit.MINUTES.toNanos(10));

    assertThat(resolver.resolve("api.example.test", system)).containsExactly(A.address());
  }

  @Test
  void anAnswerAfterAFallbackResetsTheEventSoTheNextFallbackIsReported() throws Exception {
    NameResolver resolver = resolver("https://api.example.test:6443");
    resolver.resolve("api.example.test", system);
    table.applyDiscovered(List.of(DiscoveredEndpoint.ready(A)), "s");
    resolver.resolve("api.example.test", system);
    table.clear();
    resolver.resolve("api.example.test", system);

    assertThat(fallbacks).containsExactly("NO_ENDPOINTS", "NO_ENDPOINTS");
  }

  @Test
  void theSeedLookupIsNeverAnsweredWithEndpointsEvenWhenItLoopsBackIntoTheEngine()
      throws Exception {
    table.applyDiscovered(List.of(DiscoveredEndpoint.ready(A)), "s");
    var self = new java.util.concurrent.atomic.AtomicReference<NameResolver>();
    // The JDK resolver SPI case: the seed resolver is InetAddress, which asks the engine again.
    HostResolver loopingBack = host -> self.get().resolve(host, system);
    FailoverConfig config =
        FailoverConfig.builder(URI.create("https://api.example.test:6443"))
            .seedResolver(loopingBack)
            .build();
    self.set(new NameResolver(config, table, now::get, FailoverListener.NONE, () -> {}, e -> {}));

    assertThat(self.get().seedAddresses()).containsExactly(DNS_ANSWER);
    assertThat(self.get().resolve("api.example.test", system)).containsExactly(A.address());
  }

  @Test
  void anIpHostIsItsOwnSeed() throws Exception {
    NameResolver resolver = resolver("https://10.96.0.1:443");

    assertThat(resolver.seedAddresses()).containsExactly(address("10.96.0.1"));
    assertThat(systemLookups).isEmpty();
  }

  @Test
  void theFirstAnswerStaysFirstWhileItIsHealthy() throws Exception {
    NameResolver resolver = resolver("https://api.example.test:6443");
    table.applyDiscovered(List.of(DiscoveredEndpoint.ready(A), DiscoveredEndpoint.ready(B)), "s");
    table.up(A);
    table.up(B);
    InetAddress first = resolver.resolve("api.example.test", system).get(0);
    Endpoint answered = first.equals(A.address()) ? A : B;
    Endpoint other = answered.equals(A) ? B : A;

    table.probeSucceeded(answered, TimeUnit.MILLISECONDS.toNanos(20));
    table.probeSucceeded(other, TimeUnit.MICROSECONDS.toNanos(100));

    assertThat(resolver.resolve("api.example.test", system).get(0)).isEqualTo(answered.address());
    table.down(answered, "refused");
    assertThat(resolver.resolve("api.example.test", system).get(0)).isEqualTo(other.address());
  }
}
