package dev.lifeline.failover;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * Resolves a host name to addresses: the system resolver, or whatever resolver an adapter falls
 * back to (OkHttp's {@code Dns.SYSTEM}, the JDK's built-in resolver).
 *
 * <p>Implementations must be thread-safe.
 */
@FunctionalInterface
public interface HostResolver {

  /** {@link InetAddress#getAllByName}: {@code /etc/hosts}, then DNS, with the JDK's cache. */
  HostResolver SYSTEM = host -> Arrays.asList(InetAddress.getAllByName(host));

  /**
   * Returns the addresses of {@code host}, never an empty list.
   *
   * @throws UnknownHostException when the name does not resolve
   */
  List<InetAddress> resolve(String host) throws UnknownHostException;
}
