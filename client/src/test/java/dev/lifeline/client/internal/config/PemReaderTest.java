package dev.lifeline.client.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.client.Fixtures;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PemReaderTest {

  @ParameterizedTest(name = "{0} is read as a {1} key that signs for {2}")
  @CsvSource({
    "client-rsa-pkcs1.key, RSA, client-rsa.crt",
    "client-rsa-pkcs8.key, RSA, client-rsa.crt",
    "client-ec-sec1.key, EC, client-ec.crt",
    "client-ec-sec1-params.key, EC, client-ec.crt",
    "client-ec-pkcs8.key, EC, client-ec.crt",
  })
  void everyKeyFormatOfKubeconfigsIsReadAndMatchesItsCertificate(
      String keyFile, String algorithm, String certificateFile) throws Exception {
    PrivateKey key = PemReader.privateKey(Fixtures.bytes(keyFile));
    X509Certificate certificate = PemReader.certificates(Fixtures.bytes(certificateFile)).get(0);

    assertThat(key.getAlgorithm()).isEqualTo(algorithm);
    String signatureAlgorithm = algorithm.equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    Signature signer = Signature.getInstance(signatureAlgorithm);
    signer.initSign(key);
    signer.update("proof".getBytes(StandardCharsets.UTF_8));
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(signatureAlgorithm);
    verifier.initVerify(certificate.getPublicKey());
    verifier.update("proof".getBytes(StandardCharsets.UTF_8));
    assertThat(verifier.verify(signature)).isTrue();
  }

  @Test
  void pkcs1AndPkcs8FormsOfOneRsaKeyAreTheSameKey() throws Exception {
    RSAPrivateCrtKey pkcs1 =
        (RSAPrivateCrtKey) PemReader.privateKey(Fixtures.bytes("client-rsa-pkcs1.key"));
    RSAPrivateCrtKey pkcs8 =
        (RSAPrivateCrtKey) PemReader.privateKey(Fixtures.bytes("client-rsa-pkcs8.key"));
    assertThat(pkcs1.getPrivateExponent()).isEqualTo(pkcs8.getPrivateExponent());
    assertThat(pkcs1.getModulus()).isEqualTo(pkcs8.getModulus());
  }

  @Test
  void sec1KeysOfOtherCurvesKeepTheirCurve() throws Exception {
    ECPrivateKey key = (ECPrivateKey) PemReader.privateKey(Fixtures.bytes("ec384-sec1.key"));
    assertThat(key.getParams().getCurve().getField().getFieldSize()).isEqualTo(384);
  }

  @Test
  void ed25519KeysInPkcs8AreRead() throws Exception {
    assertThat(PemReader.privateKey(Fixtures.bytes("ed25519-pkcs8.key")).getAlgorithm())
        .isIn("Ed25519", "EdDSA");
  }

  @ParameterizedTest
  @CsvSource({"client-rsa-encrypted-pkcs8.key", "client-rsa-encrypted-pkcs1.key"})
  void encryptedKeysAreRefusedWithTheCommandThatDecryptsThem(String file) {
    assertThatThrownBy(() -> PemReader.privateKey(Fixtures.bytes(file)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("encrypted")
        .hasMessageContaining("openssl pkey");
  }

  @Test
  void aFileWithoutAKeySaysWhichBlocksItExpected() {
    assertThatThrownBy(() -> PemReader.privateKey(Fixtures.bytes("ca.crt")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no PEM private key found")
        .hasMessageContaining("BEGIN RSA PRIVATE KEY");
  }

  @Test
  void truncatedKeysFailAsMalformedNotWithAnIndexError() {
    String pem =
        "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIJA5QQNunZ4Jsm4oL7EPtLic5s+Q\n-----END EC PRIVATE KEY-----\n";
    assertThatThrownBy(() -> PemReader.privateKey(pem.getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("malformed");
  }

  @Test
  void aMissingEndLineIsReported() {
    String pem = "-----BEGIN CERTIFICATE-----\nMIIB\n";
    assertThatThrownBy(() -> PemReader.certificates(pem.getBytes(StandardCharsets.US_ASCII)))
        .hasMessageContaining("no -----END CERTIFICATE-----");
  }

  @Test
  void certificateBundlesKeepEveryCertificate() throws Exception {
    String bundle = Fixtures.text("ca.crt") + Fixtures.text("server.crt");
    List<X509Certificate> certificates =
        PemReader.certificates(bundle.getBytes(StandardCharsets.US_ASCII));
    assertThat(certificates).hasSize(2);
    assertThat(certificates.get(1).getSubjectX500Principal().getName()).contains("kube-apiserver");
  }
}
