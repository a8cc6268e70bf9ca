package dev.lifeline.client.internal.tls;

import dev.lifeline.client.KubeConfig;
import dev.lifeline.client.KubeConfigException;
import dev.lifeline.client.TlsMaterial;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.function.Supplier;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/** Builds the TLS of a {@link KubeConfig}: trust, client identity, server name. */
public final class RealTlsMaterial implements TlsMaterial {
  private final SSLContext context;
  private final SSLSocketFactory socketFactory;
  private final X509TrustManager trustManager;
  private final KeyManager[] keyManagers;
  private final String serverName;
  private final HostnameVerifier verifier;
  private final boolean insecure;

  /**
   * The TLS of {@code config}.
   *
   * @param identity the client identity at handshake time (static or from an exec plugin), or null
   *     when the client never presents a certificate
   */
  public RealTlsMaterial(KubeConfig config, Supplier<ClientIdentity> identity) {
    this.insecure = config.isInsecureSkipTlsVerify();
    String host = config.server().getHost();
    this.serverName = config.tlsServerName() != null ? config.tlsServerName() : host;
    try {
      this.trustManager = insecure ? new TrustEverything() : trustManager(config);
      this.keyManagers =
          identity == null
              ? new KeyManager[0]
              : new KeyManager[] {new IdentityKeyManager(identity)};
      this.context = SSLContext.getInstance("TLS");
      context.init(keyManagers, new TrustManager[] {trustManager}, null);
    } catch (GeneralSecurityException e) {
      throw new KubeConfigException(
          config.source(), null, "cannot set up TLS: " + e.getMessage(), e);
    }
    this.socketFactory =
        new ServerNameSocketFactory(context.getSocketFactory(), config.tlsServerName());
    ServerNameVerifier check = new ServerNameVerifier(serverName);
    this.verifier = insecure ? (h, s) -> true : check;
  }

  private static X509TrustManager trustManager(KubeConfig config) throws GeneralSecurityException {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    if (config.certificateAuthorities().isEmpty()) {
      factory.init((KeyStore) null);
    } else {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      try {
        store.load(null, null);
      } catch (java.io.IOException e) {
        throw new GeneralSecurityException(e);
      }
      int i = 0;
      for (X509Certificate ca : config.certificateAuthorities()) {
        store.setCertificateEntry("ca-" + i++, ca);
      }
      factory.init(store);
    }
    for (TrustManager tm : factory.getTrustManagers()) {
      if (tm instanceof X509TrustManager) {
        return (X509TrustManager) tm;
      }
    }
    throw new GeneralSecurityException("no X509TrustManager available");
  }

  @Override
  public SSLContext sslContext() {
    return context;
  }

  @Override
  public SSLSocketFactory sslSocketFactory() {
    return socketFactory;
  }

  @Override
  public X509TrustManager trustManager() {
    return trustManager;
  }

  @Override
  public KeyManager[] keyManagers() {
    return keyManagers.clone();
  }

  @Override
  public String serverName() {
    return serverName;
  }

  @Override
  public HostnameVerifier hostnameVerifier() {
    return verifier;
  }

  @Override
  public boolean isInsecure() {
    return insecure;
  }

  @Override
  public String toString() {
    return "TlsMaterial{serverName="
        + serverName
        + (insecure ? ", insecure" : "")
        + ", clientCertificate="
        + (keyManagers.length > 0)
        + "}";
  }

  /** For {@code insecure-skip-tls-verify}: accepts any certificate. */
  private static final class TrustEverything extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
