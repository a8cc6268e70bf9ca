package dev.lifeline.failover.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.failover.DiscoveredEndpoint;
import dev.lifeline.failover.Endpoint;
import dev.lifeline.failover.FailoverConfig;
import dev.lifeline.failover.FailoverConnectException;
import dev.lifeline.failover.FailoverListener;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FailoverDialerTest {
  final LoopbackServers servers = new LoopbackServers();
  final List<String> events = new ArrayList<>();
  final List<Socket> opened = new ArrayList<>();
  EndpointTable table;

  @AfterEach
  void close() throws IOException {
    for (Socket socket : opened) {
      socket.close();
    }
    servers.close();
  }

  FailoverDialer dialer(
      String server,
      Duration connectTimeout,
      Duration dialTimeout,
      String seedIp,
      Endpoint... endpoints) {
    FailoverConfig config =
        FailoverConfig.builder(URI.create(server))
            .connectTimeout(connectTimeout)
            .dialTimeout(dialTimeout)
            .seedResolver(host -> List.of(InetAddress.getByName(seedIp)))
            .build();
    table = new EndpointTable(System::nanoTime, Duration.ZERO, new Random(1), Set.of());
    EndpointTable table = this.table;
    table.applyDiscovered(Arrays.stream(endpoints).map(DiscoveredEndpoint::ready).toList(), "test");
    NameResolver resolver =
        new NameResolver(config, table, System::nanoTime, FailoverListener.NONE, () -> {}, e -> {});
    return new FailoverDialer(
        config,
        table,
        resolver,
        System::nanoTime,
        new FailoverDialer.Events() {
          @Override
          public void connected(Endpoint endpoint, long connectNanos) {
            table.connected(endpoint, connectNanos);
            events.add("connected " + endpoint);
          }

          @Override
          public void connectFailed(Endpoint endpoint, IOException cause) {
            table.connectFailed(endpoint);
            events.add("failed " + endpoint);
          }

          @Override
          public void seedUsed(InetSocketAddress seed, boolean hadEndpoints) {
            events.add("seed " + seed.getPort() + " " + hadEndpoints);
          }
        });
  }

  FailoverDialer dialer(String server, String seedIp, Endpoint... endpoints) {
    return dialer(server, Duration.ofMillis(500), Duration.ofSeconds(5), seedIp, endpoints);
  }

  Dialer.Dialed dial(FailoverDialer dialer, InetSocketAddress target) throws IOException {
    Dialer.Dialed dialed = dialer.dial(target, 0, attempts());
    opened.add(dialed.socket());
    return dialed;
  }

  static Dialer.Attempts attempts() {
    return new Dialer.Attempts() {
      @Override
      public void prepare(Socket attempt) {}

      @Override
      public boolean isClosed() {
        return false;
      }
    };
  }

  @Test
  void aRefusedEndpointIsSkippedAndTheNextOneConnects() throws Exception {
    Endpoint refused = servers.refusing("127.0.0.2");
    Endpoint good = servers.accepting("127.0.0.3");
    FailoverDialer dialer = dialer("https://apiserver.test:443", "127.0.0.9", refused, good);

    Dialer.Dialed first = dial(dialer, InetSocketAddress.createUnresolved("apiserver.test", 443));
    Dialer.Dialed second = dial(dialer, InetSocketAddress.createUnresolved("apiserver.test", 443));

    assertThat(first.endpoint()).isEqualTo(good);
    assertThat(second.endpoint()).isEqualTo(good);
    assertThat(first.socket().getPort()).isEqualTo(good.port());
    assertThat(events).contains("connected " + good);
  }

  @Test
  void theLastWorkingEndpointIsTriedFirst() throws Exception {
    Endpoint a = servers.accepting("127.0.0.2");
    Endpoint b = servers.accepting("127.0.0.3");
    FailoverDialer dialer = dialer("https://apiserver.test:443", "127.0.0.9", a, b);

    Endpoint first =
        dial(dialer, InetSocketAddress.createUnresolved("apiserver.test", 443)).endpoint();
    for (int i = 0; i < 5; i++) {
      assertThat(dial(dialer, InetSocketAddress.createUnresolved("apiserver.test", 443)).endpoint())
          .isEqualTo(first);
    }
  }

  @Test
  void anIpHostIsDialledAsAnEndpointOnItsOwnPort() throws Exception {
    Endpoint endpoint = servers.accepting("127.0.0.3");
    FailoverDialer dialer = dialer("https://127.0.0.10:443", "127.0.0.9", endpoint);

    Dialer.Dialed dialed = dial(dialer, new InetSocketAddress("127.0.0.10", 443));

    assertThat(dialed.endpoint()).isEqualTo(endpoint);
    assertThat(dialed.socket().getInetAddress().getHostAddress()).isEqualTo("127.0.0.3");
  }

  @Test
  void aNameOnAnotherPortThanTheEndpointsIsDialledToTheEndpointPort() throws Exception {
    Endpoint endpoint = servers.accepting("127.0.0.3");
    FailoverDialer dialer = dialer("https://apiserver.test:8443", "127.0.0.9", endpoint);

    Dialer.Dialed dialed =
        dial(
            dialer,
            new InetSocketAddress(
                InetAddress.getByAddress("apiserver.test", new byte[] {127, 0, 0, 9}), 8443));

    assertThat(dialed.endpoint()).isEqualTo(endpoint);
    assertThat(dialed.socket().getPort()).isEqualTo(endpoint.port());
  }

  @Test
  void anotherHostConnectsPlainlyAndIsNotTracked() throws Exception {
    Endpoint endpoint = servers.accepting("127.0.0.3");
    Endpoint other = servers.accepting("127.0.0.4");
    FailoverDialer dialer = dialer("https://apiserver.test:443", "127.0.0.9", endpoint);

    Dialer.Dialed dialed = dial(dialer, other.socketAddress());

    assertThat(dialed.endpoint()).isNull();
    assertThat(dialed.socket().getPort()).isEqualTo(other.port());
    assertThat(dialer.isServer(other.socketAddress())).isFalse();
    assertThat(dialer.isServer(endpoint.socketAddress())).isTrue();
  }

  @Test
  void whenEveryEndpointFailsTheSeedAddressConnects() throws Exception {
    Endpoint refused = servers.refusing("127.0.0.2");
    Endpoint seed = servers.accepting("127.0.0.5");
    FailoverDialer dialer = dialer("https://apiserver.test:" + seed.port(), "127.0.0.5", refused);

    Dialer.Dialed dialed =
        dial(dialer, InetSocketAddress.createUnresolved("apiserver.test", seed.port()));

    assertThat(dialed.endpoint()).isEqualTo(seed);
    assertThat(dialed.viaSeed()).isTrue();
    assertThat(dialed.socket().getInetAddress().getHostAddress()).isEqualTo("127.0.0.5");
    assertThat(events).containsExactly("failed " + refused, "seed " + seed.port() + " true");
  }

  @Test
  void withNoEndpointYetTheSeedIsTheFirstChoice() throws Exception {
    Endpoint seed = servers.accepting("127.0.0.5");
    FailoverDialer dialer = dialer("https://apiserver.test:" + seed.port(), "127.0.0.5");

    dial(dialer, InetSocketAddress.createUnresolved("apiserver.test", seed.port()));

    assertThat(events).containsExactly("seed " + seed.port() + " false");
  }

  @Test
  void aBlackholedEndpointCostsOneConnectTimeout() throws Exception {
    Endpoint dead = servers.blackhole("127.0.0.2");
    Endpoint good = servers.accepting("127.0.0.3");
    FailoverDialer dialer =
        dialer(
            "https://apiserver.test:443",
            Duration.ofMillis(300),
            Duration.ofSeconds(5),
            "127.0.0.9",
            dead,
            good);
    // Put the dead endpoint first: it worked last.
    table.connected(dead, -1);

    long start = System.nanoTime();
    Dialer.Dialed dialed = dial(dialer, InetSocketAddress.createUnresolved("apiserver.test", 443));
    long millis = (System.nanoTime() - start) / 1_000_000;

    assertThat(dialed.endpoint()).isEqualTo(good);
    assertThat(millis).isBetween(250L, 1_500L);
    assertThat(events).startsWith("failed " + dead);
  }

  @Test
  void everyAttemptIsKeptInTheFinalException() throws Exception {
    Endpoint a = servers.refusing("127.0.0.2");
    Endpoint b = servers.refusing("127.0.0.3");
    Endpoint seed = servers.refusing("127.0.0.5");
    FailoverDialer dialer = dialer("https://apiserver.test:" + seed.port(), "127.0.0.5", a, b);

    assertThatThrownBy(
            () -> dial(dialer, InetSocketAddress.createUnresolved("apiserver.test", seed.port())))
        .isInstanceOf(FailoverConnectException.class)
        .hasMessageContaining("https://apiserver.test:" + seed.port())
        .hasMessageContaining(a.toString())
        .hasMessageContaining(b.toString())
        .hasMessageContaining("seed 127.0.0.5:" + seed.port())
        .satisfies(
            e -> {
              assertThat(e.getCause())
                  .hasMessageContaining("connect to endpoint")
                  .hasMessageContaining(" ms: ");
              assertThat(e.getSuppressed()).hasSize(2);
              assertThat(e.getSuppressed()[1]).hasMessageContaining("seed 127.0.0.5");
            });
  }

  @Test
  void theDialTimeoutBoundsAllAttempts() throws Exception {
    Endpoint a = servers.blackhole("127.0.0.2");
    Endpoint b = servers.blackhole("127.0.0.3");
    Endpoint c = servers.blackhole("127.0.0.4");
    FailoverDialer dialer =
        dialer(
            "https://apiserver.test:443",
            Duration.ofMillis(200),
            Duration.ofMillis(300),
            "127.0.0.9",
            a,
            b,
            c);

    long start = System.nanoTime();
    assertThatThrownBy(
            () -> dial(dialer, InetSocketAddress.createUnresolved("apiserver.test", 443)))
        .isInstanceOf(FailoverConnectException.class)
        .cause()
        .isInstanceOf(SocketTimeoutException.class);
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(millis).isBetween(250L, 1_000L);
  }

  @Test
  void anInterruptedDialStopsAndKeepsTheInterruptFlag() throws Exception {
    Endpoint a = servers.accepting("127.0.0.2");
    FailoverDialer dialer = dialer("https://apiserver.test:443", "127.0.0.9", a);
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(
              () -> dial(dialer, InetSocketAddress.createUnresolved("apiserver.test", 443)))
          .isInstanceOf(InterruptedIOException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
