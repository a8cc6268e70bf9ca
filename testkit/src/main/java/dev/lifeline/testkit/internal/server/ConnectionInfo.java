package dev.lifeline.testkit.internal.server;

import dev.lifeline.testkit.internal.auth.Identity;
import dev.lifeline.testkit.internal.auth.UserRegistry;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * What the server knows about one TCP connection: the client, the protocol, the client certificate.
 */
final class ConnectionInfo {
  static final AttributeKey<ConnectionInfo> KEY = AttributeKey.valueOf("lifeline.connection");

  private final Channel channel;
  private final InetSocketAddress remote;
  private volatile String protocol = "";
  private volatile Identity certificateIdentity;
  private volatile boolean certificateChecked;

  ConnectionInfo(Channel channel) {
    this.channel = channel;
    this.remote = (InetSocketAddress) channel.remoteAddress();
  }

  /**
   * The info of the TCP connection a channel (the connection or one of its HTTP/2 streams) belongs
   * to.
   */
  static ConnectionInfo of(Channel ch) {
    Channel c = ch;
    while (c.parent() != null && c.attr(KEY).get() == null) {
      c = c.parent();
    }
    return c.attr(KEY).get();
  }

  Channel channel() {
    return channel;
  }

  InetSocketAddress remote() {
    return remote;
  }

  String protocol() {
    return protocol;
  }

  void protocol(String p) {
    this.protocol = p;
  }

  /** The identity of a verified client certificate, or null when the client sent none. */
  Identity certificateIdentity() {
    if (!certificateChecked) {
      SslHandler ssl = channel.pipeline().get(SslHandler.class);
      if (ssl != null) {
        try {
          Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
          if (chain.length > 0 && chain[0] instanceof X509Certificate x509) {
            certificateIdentity = UserRegistry.authenticateCertificate(x509);
          }
        } catch (SSLPeerUnverifiedException noCertificate) {
          certificateIdentity = null;
        }
      }
      certificateChecked = true;
    }
    return certificateIdentity;
  }
}
