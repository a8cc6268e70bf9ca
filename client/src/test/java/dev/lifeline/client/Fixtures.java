package dev.lifeline.client;

import dev.lifeline.client.internal.config.PemReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The test PKI in {@code src/test/resources/pki} (see its README). */
public final class Fixtures {
  private Fixtures() {}

  /** The path of a fixture file. */
  public static Path pki(String name) {
    try {
      return Path.of(Fixtures.class.getResource("/pki/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing test fixture pki/" + name, e);
    }
  }

  /** A fixture's text. */
  public static String text(String name) {
    try {
      return Files.readString(pki(name), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fixture's bytes. */
  public static byte[] bytes(String name) {
    return text(name).getBytes(StandardCharsets.US_ASCII);
  }

  /** The certificates of a fixture. */
  public static List<X509Certificate> certificates(String name) {
    try {
      return PemReader.certificates(bytes(name));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The key of a fixture. */
  public static PrivateKey key(String name) {
    try {
      return PemReader.privateKey(bytes(name));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A server TLS context presenting {@code server.crt}; when {@code clientCa} is true it also
   * trusts client certificates from the test CA.
   */
  public static SSLContext serverContext(boolean clientCa) {
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry(
          "server",
          key("server.key"),
          new char[0],
          new X509Certificate[] {certificates("server.crt").get(0)});
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, new char[0]);
      TrustManagerFactory tmf = null;
      if (clientCa) {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", certificates("ca.crt").get(0));
        tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
