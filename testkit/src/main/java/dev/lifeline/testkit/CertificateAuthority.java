package dev.lifeline.testkit;

import java.security.KeyStore;
import java.security.cert.X509Certificate;

/** The CA a fake control plane makes for each run; it signs the serving and client certificates. */
public interface CertificateAuthority {
  /** The CA certificate. */
  X509Certificate certificate();

  /**
   * The CA certificate as PEM (what a kubeconfig's {@code certificate-authority-data} holds,
   * decoded).
   */
  String certificatePem();

  /**
   * A PKCS#12 trust store with the CA certificate as a trusted entry under the alias {@code ca}.
   */
  KeyStore trustStore();
}
