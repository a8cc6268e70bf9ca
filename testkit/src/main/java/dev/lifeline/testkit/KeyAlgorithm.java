package dev.lifeline.testkit;

/** Key types for client certificates. */
public enum KeyAlgorithm {
  /** ECDSA on P-256 (fast to generate; the default). */
  EC_P256,
  /** RSA 2048 (needed to export PKCS#1). */
  RSA_2048
}
