package dev.lifeline.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.fabric8.kubernetes.client.okhttp.OkHttpClientFactory;
import io.kubernetes.client.PortForward;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Port-forward through the fake with the real clients' WebSocket implementations, to real TCP echo
 * servers listening on the pod's IP.
 */
class PortForwardIT {
  @RegisterExtension
  static final FakeControlPlaneExtension cp = FakeControlPlaneExtension.withInstances(1);

  private static final String NS = "forward";
  private static final String POD_IP = "127.0.0.60";
  private static EchoServer echo;
  private static EchoServer upperEcho;

  /** A TCP server that sends back what it reads, optionally upper-cased. */
  static final class EchoServer implements AutoCloseable {
    final ServerSocket server;
    private final Thread acceptor;

    EchoServer(String address, boolean upperCase) throws IOException {
      server = new ServerSocket();
      server.bind(new InetSocketAddress(address, 0));
      acceptor =
          new Thread(
              () -> {
                while (!server.isClosed()) {
                  try {
                    Socket s = server.accept();
                    Thread t = new Thread(() -> echo(s, upperCase), "test-echo-connection");
                    t.setDaemon(true);
                    t.start();
                  } catch (IOException closed) {
                    return;
                  }
                }
              },
              "test-echo-accept");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    private static void echo(Socket s, boolean upperCase) {
      try (s) {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
          String text = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
          out.write((upperCase ? text.toUpperCase() : text).getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
        }
      } catch (IOException ended) {
        // The client went away.
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }

  @BeforeAll
  static void podWithServers() throws IOException {
    echo = new EchoServer(POD_IP, false);
    upperEcho = new EchoServer(POD_IP, true);
    cp.store()
        .create(
            "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"forward\"}}");
    cp.store()
        .create(
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"dns\",\"namespace\":"
                + "\"forward\"},\"spec\":{\"nodeName\":\"node-1\",\"containers\":[{\"name\":\"c\","
                + "\"image\":\"coredns\"}]},\"status\":{\"phase\":\"Running\",\"podIP\":\""
                + POD_IP
                + "\"}}");
    cp.store()
        .create(
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"pending\",\"namespace\":"
                + "\"forward\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"x\"}]}}");
  }

  @AfterAll
  static void stopServers() throws IOException {
    echo.close();
    upperEcho.close();
  }

  private static KubernetesClient fabric8() {
    return new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(cp.kubeconfig().toYaml()))
        .withHttpClientFactory(new OkHttpClientFactory())
        .build();
  }

  private static ApiClient clientJava() throws IOException {
    return ClientBuilder.kubeconfig(
            KubeConfig.loadKubeConfig(new StringReader(cp.kubeconfig().toYaml())))
        .build();
  }

  @Test
  void fabric8ForwardsALocalPortToThePod() throws Exception {
    try (KubernetesClient client = fabric8();
        LocalPortForward forward =
            client.pods().inNamespace(NS).withName("dns").portForward(echo.port())) {
      for (String message : List.of("hello", "again")) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), forward.getLocalPort())) {
          s.setSoTimeout(10_000);
          s.getOutputStream().write(message.getBytes(StandardCharsets.UTF_8));
          assertThat(readExactly(s.getInputStream(), message.length())).isEqualTo(message);
        }
      }
      assertThat(forward.errorOccurred()).isFalse();
    }
    assertThat(cp.instance(0).requestLog())
        .anyMatch(
            r ->
                r.pathAndQuery().startsWith("/api/v1/namespaces/forward/pods/dns/portforward")
                    && r.status() == 101);
  }

  @Test
  void kubernetesClientJavaForwardsTwoPortsOverOneWebSocket() throws Exception {
    PortForward.PortForwardResult result =
        new PortForward(clientJava()).forward(NS, "dns", List.of(echo.port(), upperEcho.port()));

    result.getOutboundStream(echo.port()).write("plain".getBytes(StandardCharsets.UTF_8));
    result.getOutboundStream(upperEcho.port()).write("shout".getBytes(StandardCharsets.UTF_8));

    assertThat(readExactly(result.getInputStream(echo.port()), 5)).isEqualTo("plain");
    assertThat(readExactly(result.getInputStream(upperEcho.port()), 5)).isEqualTo("SHOUT");
  }

  @Test
  void aRefusedPortIsReportedOnItsErrorChannel() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(POD_IP, 0));
      closedPort = s.getLocalPort();
    }
    PortForward.PortForwardResult result =
        new PortForward(clientJava()).forward(NS, "dns", List.of(closedPort));

    InputStream errors = result.getErrorStream(closedPort);
    byte[] port = errors.readNBytes(2);
    assertThat((port[0] & 0xFF) + (port[1] & 0xFF) * 256).isEqualTo(closedPort);
    String error = new String(errors.readAllBytes(), StandardCharsets.UTF_8);
    assertThat(error)
        .startsWith("error forwarding port " + closedPort + " to pod dns, uid ")
        .contains("dial tcp4 " + POD_IP + ":" + closedPort);
  }

  @Test
  void aPodWithoutAnIpCannotBeForwardedTo() throws Exception {
    try (KubeHttp http = new KubeHttp(cp, 0, cp.admin().token())) {
      KubeHttp.Response r =
          http.get("/api/v1/namespaces/forward/pods/pending/portforward?ports=53");
      assertThat(r.code()).isEqualTo(400);
      assertThat(r.json().path("message").asText())
          .isEqualTo("pod pending does not have a host assigned");

      KubeHttp.Response noUpgrade =
          http.get("/api/v1/namespaces/forward/pods/dns/portforward?ports=53");
      assertThat(noUpgrade.code()).isEqualTo(400);
      assertThat(noUpgrade.json().path("message").asText()).isEqualTo("Upgrade request required");
    }
  }

  private static String readExactly(InputStream in, int length) throws IOException {
    byte[] b = new byte[length];
    int off = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (off < length && System.nanoTime() < deadline) {
      int n = in.read(b, off, length - off);
      if (n < 0) {
        break;
      }
      off += n;
    }
    return new String(b, 0, off, StandardCharsets.UTF_8);
  }
}
