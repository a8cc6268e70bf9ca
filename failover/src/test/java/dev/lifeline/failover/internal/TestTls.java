package dev.lifeline.failover.internal;

import javax.net.ssl.SSLSocketFactory;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

/** A CA made per test run, a server certificate for the test names and loopback IPs. */
final class TestTls {
  static final String SERVER_NAME = "apiserver.test";
  private static final TestTls INSTANCE = new TestTls();

  private final HeldCertificate ca;
  private final HandshakeCertificates server;
  private final HandshakeCertificates client;

  private TestTls() {
    ca =
        new HeldCertificate.Builder()
            .certificateAuthority(0)
            .commonName("lifeline test CA")
            .build();
    HeldCertificate.Builder cert =
        new HeldCertificate.Builder()
            .commonName("kube-apiserver")
            .addSubjectAlternativeName(SERVER_NAME)
            .addSubjectAlternativeName("localhost")
            .addSubjectAlternativeName("::1")
            .signedBy(ca);
    for (int i = 1; i <= 12; i++) {
      cert.addSubjectAlternativeName("127.0.0." + i);
    }
    HeldCertificate held = cert.build();
    server = new HandshakeCertificates.Builder().heldCertificate(held).build();
    client = new HandshakeCertificates.Builder().addTrustedCertificate(ca.certificate()).build();
  }

  static TestTls get() {
    return INSTANCE;
  }

  SSLSocketFactory serverSocketFactory() {
    return server.sslSocketFactory();
  }

  SSLSocketFactory clientSocketFactory() {
    return client.sslSocketFactory();
  }

  HandshakeCertificates client() {
    return client;
  }
}
