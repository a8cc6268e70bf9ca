package dev.lifeline.testkit.internal.server;

import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The serving TLS configuration: TLS 1.3 and 1.2, ALPN offering {@code h2} then {@code http/1.1} as
 * the apiserver does, and optional client certificates verified against the CA.
 *
 * <p>The JDK {@link SSLContext} is built here and wrapped, rather than built by Netty's {@code
 * SslContextBuilder}: that path initialises Netty's JDK server context class, which probes its
 * trust manager wrapping by parsing a PEM key, which registers the whole BouncyCastle provider when
 * it is on the class path, and stores the key in a password-protected PKCS#12 key store (PBKDF2) —
 * together about a second of a cold start, for nothing the fake needs.
 */
public final class ServerTls {
  private static final String ALIAS = "serving";

  private ServerTls() {}

  public static SslContext context(PrivateKey key, X509Certificate cert, X509Certificate ca) {
    try {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry("ca", ca);
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext jdk = SSLContext.getInstance("TLS");
      jdk.init(new KeyManager[] {new ServingKeyManager(key, cert)}, tmf.getTrustManagers(), null);
      return new JdkSslContext(
          jdk,
          false,
          Http2SecurityUtil.CIPHERS,
          SupportedCipherSuiteFilter.INSTANCE,
          new ApplicationProtocolConfig(
              ApplicationProtocolConfig.Protocol.ALPN,
              ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
              ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
              ApplicationProtocolNames.HTTP_2,
              ApplicationProtocolNames.HTTP_1_1),
          ClientAuth.OPTIONAL,
          new String[] {"TLSv1.3", "TLSv1.2"},
          false);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("could not build the serving TLS context", e);
    }
  }

  /** Offers the one serving key and certificate for every server handshake of its key type. */
  private static final class ServingKeyManager extends X509ExtendedKeyManager {
    private final PrivateKey key;
    private final X509Certificate[] chain;

    ServingKeyManager(PrivateKey key, X509Certificate cert) {
      this.key = key;
      this.chain = new X509Certificate[] {cert};
    }

    private String aliasFor(String keyType) {
      return key.getAlgorithm().equalsIgnoreCase(keyType) ? ALIAS : null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      String alias = aliasFor(keyType);
      return alias == null ? null : new String[] {alias};
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return aliasFor(keyType);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      return aliasFor(keyType);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return ALIAS.equals(alias) ? key : null;
    }
  }
}
