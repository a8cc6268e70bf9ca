package dev.lifeline.jdkresolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.failover.Endpoint;
import dev.lifeline.failover.EndpointDiscovery;
import dev.lifeline.failover.FailoverConfig;
import dev.lifeline.failover.FailoverEngine;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JdkResolverTest {
  static final List<Endpoint> ENDPOINTS =
      List.of(Endpoint.parse("127.0.0.2:6443"), Endpoint.parse("127.0.0.3:6443"));

  final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable resource : resources) {
      resource.close();
    }
  }

  FailoverEngine engine(String host, List<Endpoint> endpoints) {
    FailoverEngine engine =
        FailoverEngine.start(
            FailoverConfig.builder(URI.create("https://" + host + ":6443"))
                .discovery(EndpointDiscovery.fixed(endpoints))
                .seedResolver(JdkResolver.builtinResolver())
                .detectLocalAddresses(false)
                .environment(Map.of())
                .build());
    resources.add(engine);
    return engine;
  }

  static List<String> lookup(String host) throws Exception {
    return Arrays.stream(InetAddress.getAllByName(host)).map(InetAddress::getHostAddress).toList();
  }

  @Test
  void aRegisteredNameFromEtcHostsResolvesToTheEndpoints() throws Exception {
    // "localhost" comes from /etc/hosts on every Linux machine: the Go resolver hook never sees
    // such names, this provider does.
    assertThat(lookup("localhost")).contains("127.0.0.1");

    JdkResolver.Registration registration = JdkResolver.register(engine("localhost", ENDPOINTS));
    resources.add(registration);

    assertThat(JdkResolver.isInstalled()).isTrue();
    assertThat(lookup("localhost")).containsExactlyInAnyOrder("127.0.0.2", "127.0.0.3");
    assertThat(lookup("LOCALHOST.")).hasSize(2);

    registration.close();
    assertThat(lookup("localhost")).contains("127.0.0.1");
  }

  @Test
  void otherNamesGoToTheBuiltInResolver() throws Exception {
    resources.add(JdkResolver.register(engine("apiserver.lifeline.test", ENDPOINTS)));

    assertThat(lookup("localhost")).contains("127.0.0.1").doesNotContain("127.0.0.2");
    assertThat(lookup("apiserver.lifeline.test"))
        .containsExactlyInAnyOrder("127.0.0.2", "127.0.0.3");
  }

  @Test
  void anEngineWithoutEndpointsLetsTheBuiltInResolverAnswer() throws Exception {
    resources.add(JdkResolver.register(engine("localhost", List.of())));

    assertThat(lookup("localhost")).contains("127.0.0.1");
  }

  @Test
  void aNameHasOneEngineAtATime() {
    resources.add(JdkResolver.register(engine("apiserver.lifeline.test", ENDPOINTS)));

    assertThatThrownBy(() -> JdkResolver.register(engine("apiserver.lifeline.test", ENDPOINTS)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(
            "'apiserver.lifeline.test' is already answered by another failover engine");
  }

  @Test
  void theBuiltInResolverIgnoresRegistrations() throws Exception {
    resources.add(JdkResolver.register(engine("localhost", ENDPOINTS)));

    assertThat(JdkResolver.builtinResolver().resolve("localhost"))
        .extracting(InetAddress::getHostAddress)
        .contains("127.0.0.1");
  }
}
