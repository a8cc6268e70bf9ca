package dev.lifeline.jdkresolver;

import dev.lifeline.failover.FailoverEngine;
import dev.lifeline.failover.HostResolver;
import dev.lifeline.jdkresolver.internal.RoutingResolver;

/**
 * Name-level failover for everything that resolves through {@link java.net.InetAddress}: the JDK
 * HttpClient (which connects to the first address only), Jetty, and fabric8's Vert.x backend when
 * Vert.x is told to use the JDK resolver ({@code -Dvertx.disableDnsResolver=true}).
 *
 * <p>The resolver is JVM-global and loaded once, so engines register the host name they own and the
 * provider routes each lookup: a registered name is answered by its engine (endpoints ordered same
 * node, healthy, last working, fastest first), everything else by the JDK's built-in resolver
 * ({@code /etc/hosts}, then DNS). Unlike Go's resolver hook, names from {@code /etc/hosts} are
 * answered too.
 *
 * <p>The JDK caches answers ({@code networkaddress.cache.ttl}, 30 s by default): while a name is
 * cached the provider is not asked and a client keeps dialling the cached first address. Set the
 * TTL to 0 or 1 s ({@code -Dsun.net.inetaddr.ttl=1}, or {@code networkaddress.cache.ttl=1} in
 * {@code java.security}); {@link #register} warns when it is longer.
 *
 * <p>What the name level cannot do: IP hosts (never resolved), an endpoint port other than the
 * URL's, and closing connections that are already open. Thread-safe.
 */
public final class JdkResolver {
  private JdkResolver() {}

  /** A registration of a host name; closing it hands the name back to the built-in resolver. */
  public interface Registration extends AutoCloseable {
    /** The host name registered. */
    String host();

    /** Stops answering the name through the engine. Idempotent. */
    @Override
    void close();
  }

  /**
   * Answers {@code engine}'s host name through it from now on. Triggers the JVM's provider loading
   * if nothing resolved a name yet, and logs a warning when the provider is not Lifeline's or when
   * the JVM's cache TTL makes failover slow.
   *
   * <p>A closed engine stops answering: its name goes back to the built-in resolver. Registering
   * the same engine twice is allowed (both registrations release the name).
   *
   * @throws IllegalStateException when another open engine already owns the name, naming it
   */
  public static Registration register(FailoverEngine engine) {
    return RoutingResolver.register(engine);
  }

  /**
   * Whether the JVM loaded Lifeline's provider (false until the first lookup, or if another won).
   */
  public static boolean isInstalled() {
    return RoutingResolver.isInstalled();
  }

  /**
   * The JDK's built-in resolver, bypassing Lifeline's provider and the JVM's cache: give it to
   * {@code FailoverConfig.Builder#seedResolver} so that the engine's own seed lookups read DNS (or
   * {@code /etc/hosts}) and never the endpoints the provider answered. Before the provider is
   * loaded it is {@link HostResolver#SYSTEM}.
   */
  public static HostResolver builtinResolver() {
    return RoutingResolver.builtin();
  }
}
