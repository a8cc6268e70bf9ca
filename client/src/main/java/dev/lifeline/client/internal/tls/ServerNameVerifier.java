package dev.lifeline.client.internal.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Verifies that a server certificate covers one fixed name: the configured {@code tls-server-name}
 * or the server URL's host, whatever address the connection actually reached (a failover dialer may
 * connect anywhere). DNS names match subject-alternative DNS entries (a leading {@code *} covers
 * exactly one label); IP literals match IP entries. The subject's common name is ignored, as Go and
 * modern browsers do.
 */
public final class ServerNameVerifier implements HostnameVerifier {
  private final String expected;
  private final InetAddress expectedIp;

  /** A verifier for {@code name} (brackets around an IPv6 literal are allowed). */
  public ServerNameVerifier(String name) {
    String n =
        name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name;
    this.expectedIp = ipLiteral(n);
    this.expected = stripDot(n.toLowerCase(Locale.ROOT));
  }

  /** The name certificates must cover. */
  public String name() {
    return expected;
  }

  @Override
  public boolean verify(String ignoredHost, SSLSession session) {
    try {
      Certificate[] chain = session.getPeerCertificates();
      return chain.length > 0
          && chain[0] instanceof X509Certificate
          && matches((X509Certificate) chain[0]);
    } catch (SSLPeerUnverifiedException e) {
      return false;
    }
  }

  /** Whether the certificate covers the expected name. */
  public boolean matches(X509Certificate certificate) {
    Collection<List<?>> names;
    try {
      names = certificate.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return false;
    }
    if (names == null) {
      return false;
    }
    for (List<?> entry : names) {
      int type = (Integer) entry.get(0);
      Object value = entry.get(1);
      if (!(value instanceof String)) {
        continue;
      }
      if (expectedIp != null && type == 7 && expectedIp.equals(ipLiteral((String) value))) {
        return true;
      }
      if (expectedIp == null
          && type == 2
          && dnsMatches(stripDot(((String) value).toLowerCase(Locale.ROOT)))) {
        return true;
      }
    }
    return false;
  }

  private boolean dnsMatches(String pattern) {
    if (!pattern.startsWith("*.")) {
      return pattern.equals(expected);
    }
    String suffix = pattern.substring(1);
    if (!expected.endsWith(suffix)) {
      return false;
    }
    String label = expected.substring(0, expected.length() - suffix.length());
    return !label.isEmpty() && label.indexOf('.') < 0;
  }

  private static String stripDot(String s) {
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  /**
   * The address of an IPv4 or IPv6 literal, or null for a host name (no DNS lookup is ever made).
   */
  static InetAddress ipLiteral(String s) {
    boolean ipv4 = s.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    boolean ipv6 = s.indexOf(':') >= 0 && s.matches("[0-9a-fA-F:.%a-zA-Z0-9]+");
    if (!ipv4 && !ipv6) {
      return null;
    }
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
