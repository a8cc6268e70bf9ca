package dev.lifeline.client.internal.http;

import dev.lifeline.client.KubeConfig;
import dev.lifeline.client.TlsMaterial;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.Credentials;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;

/**
 * Assembles the OkHttp transport: the one place where TLS, proxy, timeouts, HTTP/2 pings,
 * authentication and the failover hooks ({@link okhttp3.Dns}, {@link javax.net.SocketFactory}) come
 * together.
 */
public final class TransportFactory {
  private TransportFactory() {}

  /**
   * The client for {@code config}.
   *
   * @throws IllegalStateException when a socket factory hook is combined with an {@code https://}
   *     proxy, which needs its own
   */
  public static OkHttpClient create(
      KubeConfig config, TlsMaterial tls, Interceptor auth, TransportOptions options) {
    OkHttpClient.Builder b =
        options.shared() != null ? options.shared().newBuilder() : new OkHttpClient.Builder();
    // A shared client brings its pool and dispatcher; everything else is this configuration's.
    b.interceptors().clear();
    b.networkInterceptors().clear();
    b.addInterceptor(auth);
    b.eventListenerFactory(RequestSent.FACTORY);
    b.protocols(java.util.List.of(Protocol.HTTP_2, Protocol.HTTP_1_1));
    b.connectTimeout(options.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
    b.readTimeout(options.readTimeout().toMillis(), TimeUnit.MILLISECONDS);
    b.writeTimeout(options.readTimeout().toMillis(), TimeUnit.MILLISECONDS);
    b.callTimeout(0, TimeUnit.MILLISECONDS);
    b.pingInterval(options.pingInterval().toMillis(), TimeUnit.MILLISECONDS);
    b.retryOnConnectionFailure(true);
    b.followSslRedirects(false);
    if ("https".equals(config.server().getScheme())) {
      b.sslSocketFactory(tls.sslSocketFactory(), tls.trustManager());
      b.hostnameVerifier(tls.hostnameVerifier());
    }
    if (options.dns() != null) {
      b.dns(options.dns());
    }
    if (options.socketFactory() != null) {
      b.socketFactory(options.socketFactory());
    }
    URI proxy = config.proxyUrl();
    if (proxy != null) {
      applyProxy(b, proxy, config, options);
    }
    return b.build();
  }

  private static void applyProxy(
      OkHttpClient.Builder b, URI proxy, KubeConfig config, TransportOptions options) {
    String scheme = proxy.getScheme();
    int port = proxy.getPort();
    switch (scheme) {
      case "socks5":
        b.proxy(
            new Proxy(
                Proxy.Type.SOCKS,
                InetSocketAddress.createUnresolved(proxy.getHost(), port > 0 ? port : 1080)));
        return;
      case "https":
        if (options.socketFactory() != null) {
          throw new IllegalStateException(
              "socketFactory is set together with an https:// proxy-url, which needs its own sockets; use one"
                  + " or the other");
        }
        b.socketFactory(
            new TlsProxySocketFactory(proxyTls(config).getSocketFactory(), proxy.getHost()));
        b.proxy(
            new Proxy(
                Proxy.Type.HTTP,
                InetSocketAddress.createUnresolved(proxy.getHost(), port > 0 ? port : 443)));
        break;
      default:
        b.proxy(
            new Proxy(
                Proxy.Type.HTTP,
                InetSocketAddress.createUnresolved(proxy.getHost(), port > 0 ? port : 80)));
    }
    String userInfo = proxy.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      String password = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
      String credential = Credentials.basic(user, password, StandardCharsets.UTF_8);
      b.proxyAuthenticator(
          (route, response) -> {
            if (response.request().header("Proxy-Authorization") != null) {
              return null; // Refused once already: give up rather than loop.
            }
            return response
                .request()
                .newBuilder()
                .header("Proxy-Authorization", credential)
                .build();
          });
    }
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  /**
   * TLS to an https proxy trusts the system's CAs and the cluster's: Go verifies the proxy with the
   * transport's TLS settings (the cluster CA), while proxies usually have publicly trusted
   * certificates.
   */
  private static SSLContext proxyTls(KubeConfig config) {
    try {
      X509TrustManager system = trustManager(null);
      X509TrustManager cluster = null;
      if (!config.certificateAuthorities().isEmpty()) {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        for (X509Certificate ca : config.certificateAuthorities()) {
          store.setCertificateEntry("ca-" + i++, ca);
        }
        cluster = trustManager(store);
      }
      X509TrustManager either = cluster == null ? system : new EitherTrustManager(system, cluster);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {either}, null);
      return context;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot set up TLS to the proxy: " + e.getMessage(), e);
    }
  }

  private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    for (TrustManager tm : factory.getTrustManagers()) {
      if (tm instanceof X509TrustManager) {
        return (X509TrustManager) tm;
      }
    }
    throw new GeneralSecurityException("no X509TrustManager available");
  }

  /** Trusts a chain either trust manager trusts. */
  private static final class EitherTrustManager implements X509TrustManager {
    private final X509TrustManager first;
    private final X509TrustManager second;

    EitherTrustManager(X509TrustManager first, X509TrustManager second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      first.checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      try {
        second.checkServerTrusted(chain, authType);
      } catch (CertificateException e) {
        try {
          first.checkServerTrusted(chain, authType);
        } catch (CertificateException e2) {
          e2.addSuppressed(e);
          throw e2;
        }
      }
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      X509Certificate[] a = first.getAcceptedIssuers();
      X509Certificate[] b = second.getAcceptedIssuers();
      X509Certificate[] all = java.util.Arrays.copyOf(a, a.length + b.length);
      System.arraycopy(b, 0, all, a.length, b.length);
      return all;
    }
  }
}
