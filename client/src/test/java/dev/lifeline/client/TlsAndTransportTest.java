package dev.lifeline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.client.model.Namespace;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocket;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TlsAndTransportTest {
  private static final String NAMESPACE =
      "{\"metadata\":{\"name\":\"default\"},\"status\":{\"phase\":\"Active\"}}";
  private final MockWebServer server = new MockWebServer();

  @BeforeEach
  void start() throws IOException {
    server.useHttps(Fixtures.serverContext(true).getSocketFactory());
    server.start(InetAddress.getLoopbackAddress(), 0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private KubeConfig.Builder config(String host) {
    return KubeConfig.builder()
        .server("https://" + host + ":" + server.getPort())
        .certificateAuthorityPem(Fixtures.text("ca.crt"));
  }

  private Namespace get(KubeConfig config) {
    return get(KubeClient.builder(config));
  }

  private Namespace get(KubeClient.Builder builder) {
    server.enqueue(new MockResponse.Builder().body(NAMESPACE).build());
    try (KubeClient client = builder.maxRetries(0).build()) {
      return client.get(ResourceType.NAMESPACE, null, "default");
    }
  }

  private RecordedRequest take() throws InterruptedException {
    return server.takeRequest(5, TimeUnit.SECONDS);
  }

  @Test
  void theServerIsVerifiedAgainstTheConfiguredCaOverHttp2() throws InterruptedException {
    assertThat(get(config("127.0.0.1").build()).phase()).isEqualTo("Active");
    assertThat(take().getVersion()).isEqualTo("HTTP/2");
  }

  @Test
  void tlsServerNameIsSentAsSniAndVerifiedWhateverAddressIsReached() throws InterruptedException {
    get(config("127.0.0.1").tlsServerName("kubernetes.example").build());
    assertThat(take().getHandshakeServerNames()).containsExactly("kubernetes.example");
  }

  @Test
  void aCertificateThatDoesNotCoverTheNameIsRefusedWithAClearMessage() {
    assertThatThrownBy(() -> get(config("127.0.0.1").tlsServerName("other.example").build()))
        .isInstanceOf(KubeException.class)
        .hasMessageContaining("the server's certificate is not valid for other.example")
        .hasMessageContaining("tls-server-name");
  }

  @Test
  void wildcardsCoverExactlyOneLabel() {
    assertThat(get(config("127.0.0.1").tlsServerName("api-1.apiserver.example").build()))
        .isNotNull();
    assertThatThrownBy(
            () -> get(config("127.0.0.1").tlsServerName("a.b.apiserver.example").build()))
        .hasMessageContaining("not valid for a.b.apiserver.example");
  }

  @Test
  void anUntrustedServerIsRefusedUnlessTheKubeconfigSaysInsecure() {
    KubeConfig systemTrust =
        KubeConfig.builder().server("https://127.0.0.1:" + server.getPort()).build();
    assertThatThrownBy(() -> get(systemTrust))
        .hasMessageContaining("the server's certificate is not issued by a trusted CA");

    KubeConfig insecure =
        KubeConfig.builder()
            .server("https://127.0.0.1:" + server.getPort())
            .tlsServerName("anything.example")
            .insecureSkipTlsVerify(true)
            .build();
    assertThat(get(insecure)).isNotNull();
  }

  @ParameterizedTest(name = "client certificate with a {0} key")
  @CsvSource({
    "client-rsa-pkcs1.key, client-rsa.crt, rsa-user",
    "client-rsa-pkcs8.key, client-rsa.crt, rsa-user",
    "client-ec-sec1.key, client-ec.crt, ec-user",
    "client-ec-pkcs8.key, client-ec.crt, ec-user"
  })
  void clientCertificatesOfEveryKeyFormatAuthenticate(String key, String certificate, String user)
      throws InterruptedException {
    server.requireClientAuth();
    get(
        config("127.0.0.1")
            .clientCertificatePem(Fixtures.text(certificate), Fixtures.text(key))
            .build());
    X509Certificate peer = (X509Certificate) take().getHandshake().peerCertificates().get(0);
    assertThat(peer.getSubjectX500Principal().getName()).contains("CN=" + user);
  }

  @Test
  void theDnsHookResolvesTheServerName() throws InterruptedException {
    AtomicInteger lookups = new AtomicInteger();
    get(
        KubeClient.builder(config("kubernetes.example").build())
            .dns(
                host -> {
                  lookups.incrementAndGet();
                  if (!host.equals("kubernetes.example")) {
                    throw new UnknownHostException(host);
                  }
                  return List.of(InetAddress.getLoopbackAddress());
                }));
    assertThat(lookups).hasValue(1);
    assertThat(take().getHandshakeServerNames()).containsExactly("kubernetes.example");
  }

  @Test
  void theSocketFactoryHookConnectsWhereverItWantsAndTlsStillChecksTheName()
      throws InterruptedException {
    AtomicInteger sockets = new AtomicInteger();
    InetSocketAddress live =
        new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getPort());
    SocketFactory redirecting =
        new SocketFactory() {
          @Override
          public Socket createSocket() {
            sockets.incrementAndGet();
            return new Socket() {
              @Override
              public void connect(SocketAddress endpoint, int timeout) throws IOException {
                super.connect(live, timeout);
              }
            };
          }

          @Override
          public Socket createSocket(String host, int port) {
            throw new UnsupportedOperationException();
          }

          @Override
          public Socket createSocket(String host, int port, InetAddress local, int localPort) {
            throw new UnsupportedOperationException();
          }

          @Override
          public Socket createSocket(InetAddress host, int port) {
            throw new UnsupportedOperationException();
          }

          @Override
          public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort) {
            throw new UnsupportedOperationException();
          }
        };
    // 192.0.2.1 (TEST-NET-1) is never reachable: only the hook can make this work.
    KubeConfig config =
        KubeConfig.builder()
            .server("https://192.0.2.1:" + server.getPort())
            .tlsServerName("kubernetes.example")
            .certificateAuthorityPem(Fixtures.text("ca.crt"))
            .build();
    get(KubeClient.builder(config).socketFactory(redirecting));
    assertThat(sockets).hasValue(1);
    assertThat(take().getHandshakeServerNames()).containsExactly("kubernetes.example");
  }

  @Test
  void theTlsMaterialLetsOtherComponentsProbeWithTheSameTrust() throws IOException {
    server.enqueue(new MockResponse.Builder().body("ok").build());
    KubeConfig config = config("127.0.0.1").tlsServerName("kubernetes.example").build();
    try (KubeClient client = KubeClient.builder(config).build();
        Socket raw = new Socket(InetAddress.getLoopbackAddress(), server.getPort());
        SSLSocket tls =
            (SSLSocket)
                client
                    .tls()
                    .sslSocketFactory()
                    .createSocket(raw, "127.0.0.1", server.getPort(), true)) {
      tls.startHandshake();
      assertThat(client.tls().serverName()).isEqualTo("kubernetes.example");
      assertThat(client.tls().hostnameVerifier().verify("127.0.0.1", tls.getSession())).isTrue();
      assertThat(client.tls().isInsecure()).isFalse();
      assertThat(client.tls().keyManagers()).isEmpty();
    }
  }

  @Test
  void anHttpProxyTunnelsWithItsCredentials() throws Exception {
    InetSocketAddress target =
        new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getPort());
    try (TestProxy proxy = TestProxy.connect(target, null)) {
      KubeConfig config =
          KubeConfig.builder()
              .server("https://kubernetes.example:6443")
              .certificateAuthorityPem(Fixtures.text("ca.crt"))
              .proxyUrl("http://user:p%40ss@127.0.0.1:" + proxy.port())
              .build();
      assertThat(get(config)).isNotNull();
      assertThat(proxy.requests.get(0))
          .startsWith("CONNECT kubernetes.example:6443 HTTP/1.1")
          .contains("Proxy-Authorization: Basic dXNlcjpwQHNz");
    }
  }

  @Test
  void anHttpsProxyIsReachedOverTls() throws Exception {
    InetSocketAddress target =
        new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getPort());
    try (TestProxy proxy = TestProxy.connect(target, Fixtures.serverContext(false))) {
      KubeConfig config =
          KubeConfig.builder()
              .server("https://kubernetes.example:6443")
              .certificateAuthorityPem(Fixtures.text("ca.crt"))
              .proxyUrl("https://localhost:" + proxy.port())
              .build();
      assertThat(get(config)).isNotNull();
      assertThat(proxy.requests.get(0)).startsWith("CONNECT kubernetes.example:6443 HTTP/1.1");
    }
  }

  @Test
  void aSocks5ProxyConnectsByName() throws Exception {
    InetSocketAddress target =
        new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getPort());
    try (TestProxy proxy = TestProxy.socks5(target)) {
      KubeConfig config =
          KubeConfig.builder()
              .server("https://kubernetes.example:6443")
              .certificateAuthorityPem(Fixtures.text("ca.crt"))
              .proxyUrl("socks5://127.0.0.1:" + proxy.port())
              .build();
      assertThat(get(config)).isNotNull();
      assertThat(proxy.requests).containsExactly("SOCKS5 CONNECT(1) kubernetes.example:6443");
    }
  }

  @Test
  void aSocketFactoryHookAndAnHttpsProxyConflict() {
    KubeConfig config =
        KubeConfig.builder()
            .server("https://kubernetes.example:6443")
            .proxyUrl("https://proxy.example:3128")
            .build();
    assertThatThrownBy(
            () -> KubeClient.builder(config).socketFactory(SocketFactory.getDefault()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("socketFactory is set together with an https:// proxy-url");
  }
}
