package dev.lifeline.client.internal.config;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Reads PEM certificates and private keys in the forms kubeconfigs hold: PKCS#1 RSA ({@code RSA
 * PRIVATE KEY}), SEC1 EC ({@code EC PRIVATE KEY}) and PKCS#8 ({@code PRIVATE KEY}: RSA, EC,
 * Ed25519, Ed448, RSASSA-PSS). PKCS#1 and SEC1 keys are re-wrapped as PKCS#8, which is all the JDK
 * reads. Encrypted keys are refused with a message saying how to decrypt them.
 */
public final class PemReader {
  private static final byte[] OID_RSA = hex("06092a864886f70d010101");
  private static final byte[] OID_RSASSA_PSS = hex("06092a864886f70d01010a");
  private static final byte[] OID_EC = hex("06072a8648ce3d0201");
  private static final byte[] OID_ED25519 = hex("06032b6570");
  private static final byte[] OID_ED448 = hex("06032b6571");
  private static final byte[] DER_NULL = {0x05, 0x00};
  private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

  private PemReader() {}

  /** One {@code -----BEGIN type-----} block. */
  record Block(String type, byte[] der, boolean encrypted) {}

  /**
   * The certificates in PEM text.
   *
   * @throws IllegalArgumentException when there is none or the PEM is malformed
   * @throws CertificateException when a certificate cannot be parsed
   */
  public static List<X509Certificate> certificates(byte[] pem) throws CertificateException {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    List<X509Certificate> certificates = new ArrayList<>();
    for (Block block : blocks(pem)) {
      if (block.type().equals("CERTIFICATE")) {
        certificates.add(
            (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
      }
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("no PEM certificate (-----BEGIN CERTIFICATE-----) found");
    }
    return certificates;
  }

  /**
   * The first private key in PEM text.
   *
   * @throws IllegalArgumentException when there is none, it is encrypted, or its form is not
   *     supported
   * @throws GeneralSecurityException when the key cannot be parsed
   */
  public static PrivateKey privateKey(byte[] pem) throws GeneralSecurityException {
    for (Block block : blocks(pem)) {
      switch (block.type()) {
        case "RSA PRIVATE KEY":
          refuseEncrypted(block);
          return pkcs8(wrap(OID_RSA, DER_NULL, block.der()));
        case "EC PRIVATE KEY":
          refuseEncrypted(block);
          return pkcs8(wrap(OID_EC, curveOf(block.der()), block.der()));
        case "PRIVATE KEY":
          return pkcs8(block.der());
        case "ENCRYPTED PRIVATE KEY":
          refuseEncrypted(new Block(block.type(), block.der(), true));
          break;
        default:
          // Certificates and EC PARAMETERS may share the file; keep looking.
      }
    }
    throw new IllegalArgumentException(
        "no PEM private key found (expected -----BEGIN RSA PRIVATE KEY-----, -----BEGIN EC PRIVATE KEY----- or"
            + " -----BEGIN PRIVATE KEY-----)");
  }

  private static void refuseEncrypted(Block block) {
    if (block.encrypted()) {
      throw new IllegalArgumentException(
          "the private key is encrypted, which kubeconfigs do not support; decrypt it first, e.g. openssl pkey"
              + " -in key.pem -out key-plain.pem");
    }
  }

  private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
    String algorithm = algorithmOf(der);
    return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
  }

  /** The JCA algorithm of a PKCS#8 PrivateKeyInfo, from its AlgorithmIdentifier's OID. */
  private static String algorithmOf(byte[] der) {
    Der info = new Der(der).enter(0x30);
    info.skip(0x02);
    Der algorithm = info.enter(0x30);
    byte[] oid = algorithm.nextElement();
    if (Arrays.equals(oid, OID_RSA)) {
      return "RSA";
    }
    if (Arrays.equals(oid, OID_EC)) {
      return "EC";
    }
    if (Arrays.equals(oid, OID_ED25519)) {
      return "Ed25519";
    }
    if (Arrays.equals(oid, OID_ED448)) {
      return "Ed448";
    }
    if (Arrays.equals(oid, OID_RSASSA_PSS)) {
      return "RSASSA-PSS";
    }
    throw new IllegalArgumentException(
        "unsupported private key algorithm (OID element "
            + toHex(oid)
            + "); use RSA, EC or Ed25519");
  }

  /** The named curve OID element of a SEC1 ECPrivateKey ([0] parameters). */
  private static byte[] curveOf(byte[] sec1) {
    Der key = new Der(sec1).enter(0x30);
    key.skip(0x02);
    key.skip(0x04);
    while (key.hasMore()) {
      int tag = key.peekTag();
      if (tag == 0xA0) {
        Der parameters = key.enter(0xA0);
        if (parameters.peekTag() != 0x06) {
          break;
        }
        return parameters.nextElement();
      }
      key.nextElement();
    }
    throw new IllegalArgumentException(
        "the EC private key names no curve; write it with its parameters, e.g. openssl ec -in key.pem"
            + " -out key-named.pem");
  }

  /**
   * PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier { oid, parameters }, OCTET STRING
   * key }.
   */
  private static byte[] wrap(byte[] oid, byte[] parameters, byte[] key) {
    byte[] algorithm = Der.element(0x30, concat(oid, parameters));
    return Der.element(0x30, concat(VERSION_0, algorithm, Der.element(0x04, key)));
  }

  /** The PEM blocks of a text. */
  static List<Block> blocks(byte[] pem) {
    String text = new String(pem, StandardCharsets.US_ASCII);
    List<Block> blocks = new ArrayList<>();
    int from = 0;
    while (true) {
      int begin = text.indexOf("-----BEGIN ", from);
      if (begin < 0) {
        return blocks;
      }
      int typeEnd = text.indexOf("-----", begin + 11);
      if (typeEnd < 0) {
        throw new IllegalArgumentException("malformed PEM: unterminated BEGIN line");
      }
      String type = text.substring(begin + 11, typeEnd);
      String endLine = "-----END " + type + "-----";
      int end = text.indexOf(endLine, typeEnd);
      if (end < 0) {
        throw new IllegalArgumentException("malformed PEM: no " + endLine);
      }
      String body = text.substring(typeEnd + 5, end);
      boolean encrypted = false;
      StringBuilder base64 = new StringBuilder(body.length());
      for (String line : body.split("\r?\n")) {
        if (line.contains(":")) {
          encrypted |= line.startsWith("Proc-Type:") && line.contains("ENCRYPTED");
        } else {
          base64.append(line.trim());
        }
      }
      byte[] der;
      try {
        der = Base64.getMimeDecoder().decode(base64.toString());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "malformed PEM: the " + type + " block is not base64", e);
      }
      blocks.add(new Block(type, der, encrypted));
      from = end + endLine.length();
    }
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] hex(String s) {
    byte[] out = new byte[s.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }

  private static String toHex(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (byte x : b) {
      s.append(String.format("%02x", x));
    }
    return s.toString();
  }

  /** Just enough DER to walk the structures above. */
  static final class Der {
    private final byte[] data;
    private int pos;
    private final int limit;

    Der(byte[] data) {
      this(data, 0, data.length);
    }

    private Der(byte[] data, int pos, int limit) {
      this.data = data;
      this.pos = pos;
      this.limit = limit;
    }

    boolean hasMore() {
      return pos < limit;
    }

    int peekTag() {
      if (pos >= limit) {
        throw malformed();
      }
      return data[pos] & 0xFF;
    }

    /** Enters the constructed element at the cursor, which must have {@code tag}. */
    Der enter(int tag) {
      if (peekTag() != tag) {
        throw malformed();
      }
      int[] header = header();
      Der inner = new Der(data, header[0], header[0] + header[1]);
      pos = header[0] + header[1];
      return inner;
    }

    /** Skips the element at the cursor, which must have {@code tag}. */
    void skip(int tag) {
      if (peekTag() != tag) {
        throw malformed();
      }
      nextElement();
    }

    /** The whole element (tag, length, content) at the cursor. */
    byte[] nextElement() {
      int start = pos;
      int[] header = header();
      pos = header[0] + header[1];
      return Arrays.copyOfRange(data, start, pos);
    }

    /** {content start, content length} of the element at the cursor. */
    private int[] header() {
      int p = pos + 1;
      if (p >= limit) {
        throw malformed();
      }
      int length = data[p++] & 0xFF;
      if (length > 0x7F) {
        int bytes = length & 0x7F;
        if (bytes > 3 || p + bytes > limit) {
          throw malformed();
        }
        length = 0;
        for (int i = 0; i < bytes; i++) {
          length = (length << 8) | (data[p++] & 0xFF);
        }
      }
      if (p + length > limit) {
        throw malformed();
      }
      return new int[] {p, length};
    }

    static byte[] element(int tag, byte[] content) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(tag);
      int n = content.length;
      if (n < 0x80) {
        out.write(n);
      } else if (n < 0x100) {
        out.write(0x81);
        out.write(n);
      } else if (n < 0x10000) {
        out.write(0x82);
        out.write(n >> 8);
        out.write(n);
      } else {
        out.write(0x83);
        out.write(n >> 16);
        out.write(n >> 8);
        out.write(n);
      }
      out.writeBytes(content);
      return out.toByteArray();
    }

    private static IllegalArgumentException malformed() {
      return new IllegalArgumentException("malformed key: not valid DER");
    }
  }
}
