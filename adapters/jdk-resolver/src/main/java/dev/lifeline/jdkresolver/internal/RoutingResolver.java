package dev.lifeline.jdkresolver.internal;

import dev.lifeline.failover.FailoverEngine;
import dev.lifeline.failover.HostResolver;
import dev.lifeline.jdkresolver.JdkResolver;
import java.lang.System.Logger.Level;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.security.Security;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** Routes each lookup: registered names to their engine, the rest to the built-in resolver. */
public final class RoutingResolver implements InetAddressResolver {
  private static final System.Logger LOG = System.getLogger(RoutingResolver.class.getName());
  private static final Map<String, FailoverEngine> ENGINES = new ConcurrentHashMap<>();
  private static volatile InetAddressResolver builtin;
  private static volatile boolean warnedAboutCache;

  private final InetAddressResolver delegate;

  private RoutingResolver(InetAddressResolver delegate) {
    this.delegate = delegate;
  }

  /** Called once by the provider with the JDK's built-in resolver. */
  public static InetAddressResolver install(InetAddressResolver builtinResolver) {
    builtin = builtinResolver;
    return new RoutingResolver(builtinResolver);
  }

  public static boolean isInstalled() {
    return builtin != null;
  }

  public static HostResolver builtin() {
    return host -> {
      InetAddressResolver resolver = builtin;
      if (resolver == null) {
        return HostResolver.SYSTEM.resolve(host);
      }
      return resolver
          .lookupByName(host, LookupPolicy.of(LookupPolicy.IPV4 | LookupPolicy.IPV6))
          .toList();
    };
  }

  public static JdkResolver.Registration register(FailoverEngine engine) {
    String host = normalize(engine.config().host());
    ENGINES.computeIfPresent(host, (h, registered) -> registered.isClosed() ? null : registered);
    FailoverEngine previous = ENGINES.putIfAbsent(host, engine);
    if (previous != null && previous != engine) {
      throw new IllegalStateException(
          "the host name '"
              + host
              + "' is already answered by another failover engine ("
              + previous
              + "); close its registration first");
    }
    ensureLoaded(host);
    warnAboutCache(host);
    return new JdkResolver.Registration() {
      @Override
      public String host() {
        return host;
      }

      @Override
      public void close() {
        ENGINES.remove(host, engine);
      }

      @Override
      public String toString() {
        return "JdkResolver.Registration{" + host + "}";
      }
    };
  }

  @Override
  public Stream<InetAddress> lookupByName(String host, LookupPolicy policy)
      throws UnknownHostException {
    String key = normalize(host);
    FailoverEngine engine = ENGINES.get(key);
    if (engine != null && engine.isClosed()) {
      ENGINES.remove(key, engine);
      engine = null;
    }
    if (engine == null) {
      return delegate.lookupByName(host, policy);
    }
    List<InetAddress> answer =
        engine.resolve(host, name -> delegate.lookupByName(name, policy).toList());
    int characteristics = policy.characteristics();
    List<InetAddress> allowed =
        answer.stream()
            .filter(
                a ->
                    (a instanceof Inet4Address && (characteristics & LookupPolicy.IPV4) != 0)
                        || (a instanceof Inet6Address
                            && (characteristics & LookupPolicy.IPV6) != 0))
            .toList();
    if (allowed.isEmpty()) {
      throw new UnknownHostException(
          host + ": the apiserver endpoints have no address of the family this lookup asks for");
    }
    return allowed.stream();
  }

  @Override
  public String lookupByAddress(byte[] address) throws UnknownHostException {
    return delegate.lookupByAddress(address);
  }

  private static void ensureLoaded(String host) {
    if (builtin != null) {
      return;
    }
    try {
      // The JDK loads resolver providers at the first lookup of a name.
      InetAddress.getAllByName("localhost");
    } catch (UnknownHostException ignored) {
      // Only the loading matters.
    }
    if (builtin == null) {
      LOG.log(
          Level.WARNING,
          () ->
              "Lifeline's InetAddressResolverProvider is not in use (another provider was loaded"
                  + " first): lookups of "
                  + host
                  + " will not fail over");
    }
  }

  private static void warnAboutCache(String host) {
    Integer ttl = cacheTtlSeconds();
    if ((ttl == null || ttl < 0 || ttl > 2) && !warnedAboutCache) {
      warnedAboutCache = true;
      LOG.log(
          Level.WARNING,
          () ->
              "the JVM caches name lookups for "
                  + (ttl == null ? "30 s (the default)" : ttl < 0 ? "ever" : ttl + " s")
                  + ": new connections to "
                  + host
                  + " keep going to the cached address that long after an apiserver fails; set"
                  + " -Dsun.net.inetaddr.ttl=1 (or networkaddress.cache.ttl=1 in java.security)");
    }
  }

  private static Integer cacheTtlSeconds() {
    String value = Security.getProperty("networkaddress.cache.ttl");
    if (value == null) {
      value = System.getProperty("sun.net.inetaddr.ttl");
    }
    if (value == null) {
      return null;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String normalize(String host) {
    String lower = host.toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }
}
