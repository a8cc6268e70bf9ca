package dev.lifeline.testkit.internal.pki;

import dev.lifeline.testkit.CertificateAuthority;
import dev.lifeline.testkit.ClientCertificate;
import dev.lifeline.testkit.KeyAlgorithm;
import dev.lifeline.testkit.KeyFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The per-run public key infrastructure: an EC P-256 CA, the apiservers' serving certificate and
 * client certificates. The CA is made on first use (so that a control plane can make it on a
 * start-up thread while it does other work). Thread-safe.
 */
public final class Pki implements CertificateAuthority {
  private static final Duration VALIDITY = Duration.ofDays(365);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The CA's keys and certificate. */
  private record Ca(KeyPair keys, X509Certificate certificate) {}

  private Ca ca;

  /** A CA named {@code lifeline-testkit-ca}, made on first use. */
  public Pki() {}

  private synchronized Ca ca() {
    if (ca == null) {
      ca = newCa();
    }
    return ca;
  }

  private static Ca newCa() {
    try {
      KeyPair caKeys = ecKeys();
      X500Name name =
          new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, "lifeline-testkit-ca").build();
      Instant now = Instant.now();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              name,
              serial(),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(VALIDITY)),
              name,
              caKeys.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
      b.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          ext.createSubjectKeyIdentifier(caKeys.getPublic()));
      return new Ca(caKeys, sign(b, caKeys.getPrivate()));
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException("could not create the test CA", e);
    }
  }

  @Override
  public X509Certificate certificate() {
    return ca().certificate();
  }

  @Override
  public String certificatePem() {
    return pem(certificate());
  }

  @Override
  public KeyStore trustStore() {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setCertificateEntry("ca", certificate());
      return ks;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("could not build a trust store", e);
    }
  }

  /** A serving key and certificate. */
  public record ServingIdentity(PrivateKey key, X509Certificate certificate) {}

  /**
   * Issues a serving certificate.
   *
   * @param dnsNames subjectAltName DNS entries
   * @param ips subjectAltName IP entries
   */
  public ServingIdentity issueServing(String commonName, List<String> dnsNames, List<String> ips) {
    try {
      KeyPair keys = ecKeys();
      X500Name subject =
          new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
      X509v3CertificateBuilder b = leaf(subject, keys);
      List<GeneralName> names = new ArrayList<>();
      dnsNames.forEach(d -> names.add(new GeneralName(GeneralName.dNSName, d)));
      ips.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(names.toArray(GeneralName[]::new)));
      b.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      return new ServingIdentity(keys.getPrivate(), sign(b, ca().keys().getPrivate()));
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException("could not issue the serving certificate", e);
    }
  }

  /** Issues a client certificate with CN = user and one O per group. */
  public ClientCertificate issueClient(String user, List<String> groups, KeyAlgorithm algorithm) {
    try {
      KeyPair keys = algorithm == KeyAlgorithm.RSA_2048 ? rsaKeys() : ecKeys();
      X500NameBuilder nb = new X500NameBuilder(BCStyle.INSTANCE);
      for (String g : groups) {
        nb.addRDN(BCStyle.O, g);
      }
      nb.addRDN(BCStyle.CN, user);
      X509v3CertificateBuilder b = leaf(nb.build(), keys);
      b.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
      X509Certificate cert = sign(b, ca().keys().getPrivate());
      return new IssuedClientCertificate(cert, keys, algorithm);
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException("could not issue a client certificate for " + user, e);
    }
  }

  private X509v3CertificateBuilder leaf(X500Name subject, KeyPair keys)
      throws IOException, GeneralSecurityException {
    Instant now = Instant.now();
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            certificate(),
            serial(),
            Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(VALIDITY)),
            subject,
            keys.getPublic());
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(
        Extension.keyUsage,
        true,
        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
    b.addExtension(
        Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate()));
    return b;
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer)
      throws OperatorCreationException, GeneralSecurityException {
    String alg = signer.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    ContentSigner cs = new JcaContentSignerBuilder(alg).build(signer);
    return new JcaX509CertificateConverter().getCertificate(b.build(cs));
  }

  private static BigInteger serial() {
    return new BigInteger(63, RANDOM).add(BigInteger.ONE);
  }

  private static KeyPair ecKeys() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return g.generateKeyPair();
  }

  private static KeyPair rsaKeys() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048, RANDOM);
    return g.generateKeyPair();
  }

  /** PEM of a certificate. */
  public static String pem(X509Certificate cert) {
    try {
      return Pem.encode("CERTIFICATE", cert.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("certificate could not be encoded", e);
    }
  }

  /** PEM of a private key in the given format. */
  static String keyPem(KeyPair keys, KeyFormat format) {
    PrivateKey key = keys.getPrivate();
    switch (format) {
      case PKCS8 -> {
        return Pem.encode("PRIVATE KEY", key.getEncoded());
      }
      case PKCS1_RSA -> {
        if (!(key instanceof RSAPrivateKey)) {
          throw new IllegalArgumentException(
              "key format PKCS1_RSA needs an RSA key, this one is "
                  + key.getAlgorithm()
                  + "; issue the certificate with KeyAlgorithm.RSA_2048");
        }
        try {
          byte[] pkcs1 =
              PrivateKeyInfo.getInstance(key.getEncoded())
                  .parsePrivateKey()
                  .toASN1Primitive()
                  .getEncoded();
          return Pem.encode("RSA PRIVATE KEY", pkcs1);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      case SEC1_EC -> {
        if (!(key instanceof ECPrivateKey ec)) {
          throw new IllegalArgumentException(
              "key format SEC1_EC needs an EC key, this one is "
                  + key.getAlgorithm()
                  + "; issue the certificate with KeyAlgorithm.EC_P256");
        }
        return Pem.encode("EC PRIVATE KEY", sec1(ec, (ECPublicKey) keys.getPublic()));
      }
      default -> throw new IllegalArgumentException("unknown key format " + format);
    }
  }

  /** SEC 1 ECPrivateKey with the named curve and the public key, as OpenSSL and Go write it. */
  private static byte[] sec1(ECPrivateKey key, ECPublicKey publicKey) {
    try {
      ASN1ObjectIdentifier curve = SECObjectIdentifiers.secp256r1;
      DERBitString pub =
          new DERBitString(
              SubjectPublicKeyInfo.getInstance(publicKey.getEncoded())
                  .getPublicKeyData()
                  .getBytes());
      return new org.bouncycastle.asn1.sec.ECPrivateKey(256, key.getS(), pub, curve).getEncoded();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
