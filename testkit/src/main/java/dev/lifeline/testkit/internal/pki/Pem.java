package dev.lifeline.testkit.internal.pki;

import java.util.Base64;

/** Writes DER as PEM with 64-character lines. */
final class Pem {
  private Pem() {}

  static String encode(String type, byte[] der) {
    String b64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
  }
}
