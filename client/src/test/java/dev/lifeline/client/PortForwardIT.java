package dev.lifeline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lifeline.testkit.AccessRule;
import dev.lifeline.testkit.FakeControlPlane;
import dev.lifeline.testkit.FakeControlPlaneExtension;
import dev.lifeline.testkit.dns.DnsRecords;
import dev.lifeline.testkit.dns.FakeCoreDns;
import dev.lifeline.testkit.dns.FakeDnsPod;
import dev.lifeline.testkit.dns.MiniDnsClient;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Port-forward through the fake control plane's {@code pods/portforward} (WebSocket, v4 channels)
 * to real servers standing for the pods: a TCP echo server and a real dnsmasq over TCP.
 */
class PortForwardIT {
  private static final String NS = "forwards";
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension
  static final FakeControlPlaneExtension cp =
      new FakeControlPlaneExtension(
          FakeControlPlane.builder()
              .ephemeralPort()
              .instances(1)
              .user("viewer", u -> u.allow(AccessRule.readOnly("pods"))));

  @TempDir static Path dir;
  static KubeClient client;
  static EchoServer echo;

  @BeforeAll
  static void start() throws IOException {
    client = FakeClusters.client(cp.kubeconfig(), dir);
    echo = new EchoServer();
    cp.store()
        .create(
            "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\""
                + NS
                + "\"}}");
    pod("echo", InetAddress.getLoopbackAddress().getHostAddress());
  }

  @AfterAll
  static void stop() throws IOException {
    client.close();
    echo.close();
  }

  private static void pod(String name, String ip) {
    cp.store()
        .create(
            """
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","namespace":"%s"},
             "spec":{"nodeName":"node-1","containers":[{"name":"c","image":"i"}]},
             "status":{"phase":"Running","podIP":"%s"}}"""
                .formatted(name, NS, ip));
  }

  @Test
  void aConnectionCarriesBytesBothWaysAndEndsWhenThePodCloses() throws Exception {
    try (PortForwardConnection c = client.portForward(NS, "echo", echo.port())) {
      assertThat(c.port()).isEqualTo(echo.port());
      c.output().write("hello pod\n".getBytes(StandardCharsets.UTF_8));
      byte[] back = new DataInputStream(c.input()).readNBytes(10);
      assertThat(new String(back, StandardCharsets.UTF_8)).isEqualTo("hello pod\n");

      c.output().write("bye\n".getBytes(StandardCharsets.UTF_8));
      // The echo server closes after "bye": the pod side ended, so the stream ends.
      assertThat(new String(c.input().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("bye\n");
      assertThatThrownBy(() -> c.output().write(1)).isInstanceOf(PortForwardException.class);
    }
  }

  @Test
  void manyMegabytesFlowWithoutLossWhileTheReaderIsSlowerThanTheWriter() throws Exception {
    byte[] payload = new byte[6 << 20];
    new Random(7).nextBytes(payload);
    try (PortForwardConnection c = client.portForward(NS, "echo", echo.port())) {
      CompletableFuture<byte[]> read =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return c.input().readNBytes(payload.length);
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      OutputStream out = c.output();
      for (int off = 0; off < payload.length; off += 64 * 1024) {
        out.write(payload, off, 64 * 1024);
      }
      assertThat(read.get(60, TimeUnit.SECONDS)).isEqualTo(payload);
    }
  }

  @Test
  void anErrorOnTheErrorChannelSurfacesAsAnException() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    try (PortForwardConnection c = client.portForward(NS, "echo", closedPort)) {
      assertThatThrownBy(() -> c.input().read())
          .isInstanceOf(PortForwardException.class)
          .hasMessageStartingWith("port-forward to " + NS + "/echo port " + closedPort + ": ")
          .hasMessageContaining("error forwarding port " + closedPort + " to pod echo, uid ")
          .satisfies(e -> assertThat(e.getMessage()).containsIgnoringCase("connection refused"));
    }
  }

  @Test
  void aRefusedForwardIsTheServersAnswer() {
    assertThatThrownBy(() -> client.portForward(NS, "missing", 80))
        .isInstanceOfSatisfying(KubeApiException.class, e -> assertThat(e.code()).isEqualTo(404))
        .hasMessageContaining("pods \"missing\" not found");
    try (KubeClient viewer = FakeClusters.client(cp.kubeconfig().user("viewer"), dir)) {
      assertThatThrownBy(() -> viewer.portForward(NS, "echo", echo.port()))
          .isInstanceOfSatisfying(KubeApiException.class, e -> assertThat(e.code()).isEqualTo(403))
          .hasMessageContaining("cannot get resource \"pods/portforward\"");
    }
    assertThatThrownBy(() -> client.portForward(NS, "echo", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port: must be between 1 and 65535, got 0");
  }

  @Test
  void aForwarderOnLoopbackServesConcurrentConnectionsEachOverItsOwnWebSocket() throws Exception {
    try (PortForwarder f = client.portForwarder(NS, "echo", echo.port())) {
      assertThat(f.localAddress().getAddress().isLoopbackAddress()).isTrue();
      List<CompletableFuture<String>> answers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String line = "line " + i + "\n";
        answers.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try (Socket s = new Socket()) {
                    s.connect(f.localAddress(), 5000);
                    s.setSoTimeout(10_000);
                    s.getOutputStream().write(line.getBytes(StandardCharsets.UTF_8));
                    return new String(
                        s.getInputStream().readNBytes(line.length()), StandardCharsets.UTF_8);
                  } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                }));
      }
      for (int i = 0; i < answers.size(); i++) {
        assertThat(answers.get(i).get(20, TimeUnit.SECONDS)).isEqualTo("line " + i + "\n");
      }
      assertThat(f.forwardedConnections()).isEqualTo(8);
      await().atMost(WAIT).until(() -> f.activeConnections() == 0);
      assertThat(f.lastFailure()).isEmpty();
      assertThat(cp.instance(0).openWatches()).isZero();
    }
  }

  @Test
  void aForwardThatFailsResetsTheLocalConnectionAndSaysWhy() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    try (PortForwarder f = client.portForwarder(NS, "echo", closedPort);
        Socket s = new Socket()) {
      s.connect(f.localAddress(), 5000);
      s.setSoTimeout(10_000);
      s.getOutputStream().write(1);
      assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketException.class);
      await().atMost(WAIT).until(() -> f.lastFailure().isPresent());
      assertThat(f.lastFailure().orElseThrow()).hasMessageContaining("error forwarding port");
    }
  }

  @Test
  void dnsOverTcpReachesARealDnsmasqThroughTheForwarder() throws Exception {
    try (FakeCoreDns dns =
        FakeCoreDns.builder()
            .records(
                DnsRecords.forDomain("cluster.local")
                    .withService("default", "kubernetes", "10.96.0.1"))
            .build()) {
      FakeDnsPod server = dns.addPod("coredns-a");
      pod("coredns-a", server.ip().getHostAddress());
      try (PortForwarder f = client.portForwarder(NS, "coredns-a", dns.port())) {
        for (int i = 0; i < 3; i++) {
          MiniDnsClient.Reply reply =
              MiniDnsClient.queryTcp(
                  f.localAddress(), "kubernetes.default.svc.cluster.local", WAIT);
          assertThat(reply).isNotNull();
          assertThat(reply.addresses()).containsExactly("10.96.0.1");
        }
      }
    }
  }

  @Test
  void closingTheClientClosesItsForwardsAndStopsItsThreads() throws Exception {
    Set<Thread> before = forwardThreads();
    KubeClient own = FakeClusters.client(cp.kubeconfig(), dir);
    PortForwarder f = own.portForwarder(NS, "echo", echo.port());
    PortForwardConnection c = own.portForward(NS, "echo", echo.port());
    c.output().write("x\n".getBytes(StandardCharsets.UTF_8));
    assertThat(c.input().read()).isEqualTo('x');

    own.close();

    assertThat(f.isOpen()).isFalse();
    try (Socket s = new Socket()) {
      assertThatThrownBy(() -> s.connect(f.localAddress(), 1000)).isInstanceOf(IOException.class);
    }
    assertThatThrownBy(() -> c.input().read()).isInstanceOf(IOException.class);
    // The other tests' client keeps its own threads; none of this client's may stay.
    await().atMost(WAIT).untilAsserted(() -> assertThat(before).containsAll(forwardThreads()));
  }

  private static Set<Thread> forwardThreads() {
    Set<Thread> out = new java.util.HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive()
          && (t.getName().startsWith("lifeline-kube-port-forward")
              || t.getName().startsWith("lifeline-kube-websocket"))) {
        out.add(t);
      }
    }
    return out;
  }

  /** A TCP echo server standing for a pod: echoes lines, closes after "bye". */
  static final class EchoServer implements AutoCloseable {
    private final ServerSocket server;

    EchoServer() throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread.ofVirtual().start(this::accept);
    }

    int port() {
      return server.getLocalPort();
    }

    private void accept() {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          Thread.ofVirtual().start(() -> serve(s));
        } catch (IOException e) {
          return;
        }
      }
    }

    private static void serve(Socket s) {
      try (s;
          InputStream in = s.getInputStream();
          OutputStream out = s.getOutputStream()) {
        byte[] line = new byte[0];
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) >= 0) {
          out.write(buf, 0, n);
          line = tail(line, buf, n);
          if (new String(line, StandardCharsets.UTF_8).endsWith("bye\n")) {
            return;
          }
        }
      } catch (IOException e) {
        // the client went away
      }
    }

    private static byte[] tail(byte[] previous, byte[] buf, int n) {
      byte[] all = new byte[Math.min(8, previous.length + n)];
      int fromPrev = Math.max(0, all.length - n);
      System.arraycopy(previous, previous.length - fromPrev, all, 0, fromPrev);
      System.arraycopy(buf, n - (all.length - fromPrev), all, fromPrev, all.length - fromPrev);
      return all;
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
