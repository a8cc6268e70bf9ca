package dev.lifeline.testkit.internal.server;

import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;

/**
 * The serving TLS configuration: TLS 1.3 and 1.2, ALPN offering {@code h2} then {@code http/1.1} as
 * the apiserver does, and optional client certificates verified against the CA.
 */
public final class ServerTls {
  private ServerTls() {}

  public static SslContext context(PrivateKey key, X509Certificate cert, X509Certificate ca) {
    try {
      return SslContextBuilder.forServer(key, cert)
          .sslProvider(SslProvider.JDK)
          .protocols("TLSv1.3", "TLSv1.2")
          .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
          .applicationProtocolConfig(
              new ApplicationProtocolConfig(
                  ApplicationProtocolConfig.Protocol.ALPN,
                  ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                  ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                  ApplicationProtocolNames.HTTP_2,
                  ApplicationProtocolNames.HTTP_1_1))
          .clientAuth(ClientAuth.OPTIONAL)
          .trustManager(ca)
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException("could not build the serving TLS context", e);
    }
  }
}
