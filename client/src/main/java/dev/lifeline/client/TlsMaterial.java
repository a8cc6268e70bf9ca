package dev.lifeline.client;

import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS the client uses to talk to the API server, exposed so that other components (the failover
 * engine's health probes) connect with exactly the same trust and identity.
 *
 * <p>Sockets from {@link #sslSocketFactory()} send {@link #serverName()} as SNI whatever host they
 * are created for, and {@link #hostnameVerifier()} checks the server's certificate against {@link
 * #serverName()} (never the address actually reached). Thread-safe.
 */
public interface TlsMaterial {
  /**
   * The context built from the CA, the client certificate (or exec plugin) and the trust settings.
   */
  SSLContext sslContext();

  /** A socket factory over {@link #sslContext()} that sends {@link #serverName()} as SNI. */
  SSLSocketFactory sslSocketFactory();

  /** The trust manager: the configured CAs, the system's when none, or accept-all when insecure. */
  X509TrustManager trustManager();

  /** The client key managers (empty when the client does not authenticate with a certificate). */
  KeyManager[] keyManagers();

  /**
   * The name certificates are verified against: {@code tls-server-name}, else the server URL's
   * host.
   */
  String serverName();

  /** Verifies a session's peer certificate against {@link #serverName()}. */
  HostnameVerifier hostnameVerifier();

  /** Whether certificate verification is off ({@code insecure-skip-tls-verify}). */
  boolean isInsecure();
}
