package dev.lifeline.testkit;

/** PEM encodings of a private key, as kubeconfig files carry them. */
public enum KeyFormat {
  /** {@code -----BEGIN RSA PRIVATE KEY-----}: PKCS#1, RSA keys only. */
  PKCS1_RSA,
  /** {@code -----BEGIN PRIVATE KEY-----}: PKCS#8, RSA or EC keys. */
  PKCS8,
  /** {@code -----BEGIN EC PRIVATE KEY-----}: SEC 1, EC keys only (with the named curve). */
  SEC1_EC
}
