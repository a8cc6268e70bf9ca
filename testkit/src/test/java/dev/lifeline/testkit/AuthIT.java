package dev.lifeline.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.Yaml;

/** Client certificates in every key format, token rotation, kubeconfigs, certificate names. */
class AuthIT {
  @RegisterExtension
  static final FakeControlPlaneExtension cp =
      new FakeControlPlaneExtension(
          FakeControlPlane.builder()
              .instances(2)
              .ephemeralPort()
              .omitCertificateName("kubernetes.default")
              .user("bob", u -> u.groups("devs", "ops")));

  private static PrivateKey readKey(String pem) throws Exception {
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      Object o = p.readObject();
      JcaPEMKeyConverter c = new JcaPEMKeyConverter();
      if (o instanceof PEMKeyPair kp) {
        return c.getKeyPair(kp).getPrivate();
      }
      return c.getPrivateKey((PrivateKeyInfo) o);
    }
  }

  private static HttpClient clientWith(ClientCertificate cert, String keyPem) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("k", readKey(keyPem), new char[0], new Certificate[] {cert.certificate()});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, new char[0]);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(cp.ca().trustStore());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ctx).build();
  }

  @ParameterizedTest(name = "{0} key as {1}")
  @CsvSource({
    "EC_P256, PKCS8, BEGIN PRIVATE KEY",
    "EC_P256, SEC1_EC, BEGIN EC PRIVATE KEY",
    "RSA_2048, PKCS8, BEGIN PRIVATE KEY",
    "RSA_2048, PKCS1_RSA, BEGIN RSA PRIVATE KEY"
  })
  void clientCertificatesAuthenticateWhateverTheKeyFormat(
      KeyAlgorithm algorithm, KeyFormat format, String pemHeader) throws Exception {
    ClientCertificate cert = cp.user("bob").clientCertificate(algorithm);
    String pem = cert.privateKeyPem(format);
    assertThat(pem).startsWith("-----" + pemHeader + "-----\n");
    assertThat(cert.certificate().getSubjectX500Principal().getName())
        .isEqualTo("CN=bob,O=ops,O=devs");
    String agent = "cert-" + algorithm + "-" + format;
    try (HttpClient client = clientWith(cert, pem)) {
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(URI.create(cp.instance(0).url() + "/api/v1/namespaces"))
                  .header("User-Agent", agent)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
    }
    assertThat(cp.instance(0).requestLog())
        .filteredOn(r -> r.userAgent().equals(agent))
        .singleElement()
        .satisfies(r -> assertThat(r.user()).isEqualTo("bob"));
  }

  @Test
  void keyFormatsThatDoNotFitTheKeyAreRefusedWithAClearMessage() {
    assertThatThrownBy(() -> cp.user("bob").clientCertificate().privateKeyPem(KeyFormat.PKCS1_RSA))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PKCS1_RSA needs an RSA key");
  }

  @Test
  void aRotatedTokenStopsWorkingAtOnce() {
    TestUser bob = cp.user("bob");
    String old = bob.token();
    try (KubeHttp before = new KubeHttp(cp, 1, old)) {
      assertThat(before.get("/api/v1/namespaces").code()).isEqualTo(200);
      String fresh = bob.rotateToken();
      assertThat(fresh).isNotEqualTo(old);
      assertThat(before.get("/api/v1/namespaces").code()).isEqualTo(401);
      try (KubeHttp after = new KubeHttp(cp, 1, fresh)) {
        assertThat(after.get("/api/v1/namespaces").code()).isEqualTo(200);
      }
    }
  }

  @Test
  void theCertificateCoversTheServiceNamesAndIpsExceptTheOmittedOne() throws Exception {
    var names = cp.ca().certificate();
    assertThat(names.getSubjectX500Principal().getName()).contains("lifeline-testkit-ca");
    assertThat(handshakeAs("kubernetes.default.svc")).isTrue();
    assertThat(handshakeAs(cp.serverName())).isTrue();
    assertThatThrownBy(() -> handshakeAs("kubernetes.default"))
        .isInstanceOf(SSLHandshakeException.class);
  }

  private static boolean handshakeAs(String host) throws Exception {
    ApiServerInstance i = cp.instance(0);
    try (Socket plain = new Socket()) {
      plain.connect(i.socketAddress(), 5000);
      try (SSLSocket s =
          (SSLSocket)
              KubeHttp.sslContext(cp)
                  .getSocketFactory()
                  .createSocket(plain, host, i.port(), true)) {
        SSLParameters p = s.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        p.setServerNames(List.of(new SNIHostName(host)));
        s.setSSLParameters(p);
        s.startHandshake();
        return true;
      }
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void kubeconfigsCarryTheChosenServerCredentialAndServerName(@TempDir Path dir) throws Exception {
    Path file =
        cp.kubeconfig()
            .user("bob")
            .serverByName()
            .tlsServerName("kubernetes.default.svc")
            .tokenFile(dir.resolve("token"))
            .namespace("team")
            .writeTo(dir.resolve("config"));
    Map<String, Object> cfg = new Yaml().load(java.nio.file.Files.readString(file));
    Map<String, Object> cluster =
        (Map<String, Object>)
            ((Map<String, Object>) ((List<Object>) cfg.get("clusters")).get(0)).get("cluster");
    Map<String, Object> user =
        (Map<String, Object>)
            ((Map<String, Object>) ((List<Object>) cfg.get("users")).get(0)).get("user");
    assertThat(cluster.get("server")).isEqualTo("https://apiserver.lifeline.test:" + cp.port());
    assertThat(cluster.get("tls-server-name")).isEqualTo("kubernetes.default.svc");
    assertThat(
            new String(
                Base64.getDecoder().decode((String) cluster.get("certificate-authority-data"))))
        .isEqualTo(cp.ca().certificatePem());
    assertThat(java.nio.file.Files.readString(Path.of((String) user.get("tokenFile"))))
        .isEqualTo(cp.user("bob").token());
    assertThat(java.nio.file.Files.getPosixFilePermissions(file).toString())
        .isEqualTo("[OWNER_READ, OWNER_WRITE]");
  }
}
