package dev.lifeline.jdkresolver;

import dev.lifeline.jdkresolver.internal.RoutingResolver;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;

/**
 * The JVM-wide resolver provider, registered in {@code
 * META-INF/services/java.net.spi.InetAddressResolverProvider}: the JDK loads it once, at the first
 * name lookup, when this jar is on the class path.
 *
 * <p>It answers the host names that engines registered with {@link JdkResolver#register} through
 * their engine, and every other name (and every reverse lookup) with the JDK's built-in resolver,
 * unchanged. Not meant to be instantiated by applications.
 */
public final class LifelineResolverProvider extends InetAddressResolverProvider {

  /** Called by the JDK's service loader. */
  public LifelineResolverProvider() {}

  @Override
  public InetAddressResolver get(Configuration configuration) {
    return RoutingResolver.install(configuration.builtinResolver());
  }

  @Override
  public String name() {
    return "Lifeline failover resolver";
  }
}
