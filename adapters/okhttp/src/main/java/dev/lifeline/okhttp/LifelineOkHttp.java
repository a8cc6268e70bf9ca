package dev.lifeline.okhttp;

import dev.lifeline.failover.FailoverEngine;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import okhttp3.Dns;
import okhttp3.OkHttpClient;

/**
 * Wires a {@link FailoverEngine} into OkHttp (4.12 and 5.x): the connection level with {@link
 * #configure}, or the name level alone with {@link #dns}.
 *
 * <p>This covers kubernetes-client/java (its {@code ApiClient} is OkHttp) and fabric8's OkHttp
 * backend. TLS stays OkHttp's: it is layered over the engine's sockets with the URL's host, so the
 * certificate is verified against the URL, never against the endpoint reached. Through an HTTP or
 * SOCKS proxy the sockets go to the proxy and connection-level failover does not apply.
 */
public final class LifelineOkHttp {

  /**
   * The HTTP/2 ping interval {@link #configure} sets: 5 s. The engine detects a dead apiserver in
   * under a second with its own probes and closes the connections; OkHttp's pings are the backstop
   * for a single connection that dies while its apiserver stays healthy (a lost conntrack or NAT
   * entry), found within two intervals. A ping is one 17-byte frame, not an HTTP request.
   */
  public static final Duration PING_INTERVAL = Duration.ofSeconds(5);

  private LifelineOkHttp() {}

  /**
   * Connection-level failover for {@code builder}: the engine's {@link
   * FailoverEngine#socketFactory() sockets}, a {@link Dns} that answers the server's name with one
   * address (the sockets pick the endpoint; other names go to {@link Dns#SYSTEM}), a {@link
   * #PING_INTERVAL} ping interval, and {@code retryOnConnectionFailure(true)} so that a request on
   * a connection the engine evicts is retried on a new one (OkHttp does not replay a request whose
   * one-shot body was already sent).
   *
   * @return {@code builder}
   */
  public static OkHttpClient.Builder configure(
      OkHttpClient.Builder builder, FailoverEngine engine) {
    return configure(builder, engine, Dns.SYSTEM);
  }

  /**
   * {@link #configure(OkHttpClient.Builder, FailoverEngine)} with another resolver for other names.
   */
  public static OkHttpClient.Builder configure(
      OkHttpClient.Builder builder, FailoverEngine engine, Dns fallback) {
    Objects.requireNonNull(builder, "builder");
    return builder
        .dns(new EngineDns(engine, fallback, true))
        .socketFactory(engine.socketFactory())
        .pingInterval(PING_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)
        .retryOnConnectionFailure(true);
  }

  /**
   * The name level only: the server's name resolves to every endpoint, best first; OkHttp tries
   * them in order for new connections. Does nothing for IP hosts or when the endpoints' port is not
   * the URL's (then {@link Dns#SYSTEM} answers), and cannot close open connections; prefer {@link
   * #configure}.
   */
  public static Dns dns(FailoverEngine engine) {
    return new EngineDns(engine, Dns.SYSTEM, false);
  }

  /** {@link #dns(FailoverEngine)} with another resolver for other names and fallbacks. */
  public static Dns dns(FailoverEngine engine, Dns fallback) {
    return new EngineDns(engine, fallback, false);
  }

  /** Answers through the engine, falling back to another {@link Dns}. */
  private static final class EngineDns implements Dns {
    private final FailoverEngine engine;
    private final Dns fallback;
    private final boolean forSocketFactory;

    EngineDns(FailoverEngine engine, Dns fallback, boolean forSocketFactory) {
      this.engine = Objects.requireNonNull(engine, "engine");
      this.fallback = Objects.requireNonNull(fallback, "fallback");
      this.forSocketFactory = forSocketFactory;
    }

    @Override
    public List<InetAddress> lookup(String hostname) throws UnknownHostException {
      return forSocketFactory
          ? engine.resolveForSocketFactory(hostname, fallback::lookup)
          : engine.resolve(hostname, fallback::lookup);
    }

    @Override
    public String toString() {
      return "LifelineDns{"
          + engine.config().host()
          + (forSocketFactory ? ", connection level" : "")
          + "}";
    }
  }
}
