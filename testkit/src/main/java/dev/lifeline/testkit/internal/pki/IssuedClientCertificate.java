package dev.lifeline.testkit.internal.pki;

import dev.lifeline.testkit.ClientCertificate;
import dev.lifeline.testkit.KeyAlgorithm;
import dev.lifeline.testkit.KeyFormat;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

/** A client certificate and its key pair. Immutable. */
final class IssuedClientCertificate implements ClientCertificate {
  private final X509Certificate certificate;
  private final KeyPair keys;
  private final KeyAlgorithm algorithm;

  IssuedClientCertificate(X509Certificate certificate, KeyPair keys, KeyAlgorithm algorithm) {
    this.certificate = certificate;
    this.keys = keys;
    this.algorithm = algorithm;
  }

  @Override
  public X509Certificate certificate() {
    return certificate;
  }

  @Override
  public String certificatePem() {
    return Pki.pem(certificate);
  }

  @Override
  public PrivateKey privateKey() {
    return keys.getPrivate();
  }

  @Override
  public KeyAlgorithm algorithm() {
    return algorithm;
  }

  @Override
  public String privateKeyPem(KeyFormat format) {
    return Pki.keyPem(keys, format);
  }

  @Override
  public KeyStore keyStore(char[] password) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("client", keys.getPrivate(), password, new Certificate[] {certificate});
      return ks;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("could not build a key store", e);
    }
  }

  @Override
  public String toString() {
    return "ClientCertificate[" + certificate.getSubjectX500Principal().getName() + "]";
  }
}
