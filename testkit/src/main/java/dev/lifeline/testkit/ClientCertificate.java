package dev.lifeline.testkit;

import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * A client certificate issued by the control plane's CA for one user: the subject's CN is the user
 * name, each O a group, as the apiserver's x509 authenticator reads them.
 */
public interface ClientCertificate {
  /** The certificate. */
  X509Certificate certificate();

  /** The certificate as PEM. */
  String certificatePem();

  /** The private key. */
  PrivateKey privateKey();

  /** The key algorithm. */
  KeyAlgorithm algorithm();

  /**
   * The private key as PEM in a given format.
   *
   * @throws IllegalArgumentException when the format does not fit the key ({@code PKCS1_RSA} for an
   *     EC key, {@code SEC1_EC} for an RSA key)
   */
  String privateKeyPem(KeyFormat format);

  /** A PKCS#12 key store holding the key and certificate under the alias {@code client}. */
  KeyStore keyStore(char[] password);
}
