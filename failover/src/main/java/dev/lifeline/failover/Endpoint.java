package dev.lifeline.failover;

import dev.lifeline.failover.internal.IpLiterals;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One apiserver endpoint: an IP address and a port, as published in the {@code kubernetes}
 * EndpointSlice.
 *
 * <p>Immutable and thread-safe. Equality is by address bytes and port only; any host name attached
 * to the {@link InetAddress} is dropped, so that endpoints learnt from discovery, from the
 * persisted file and from a lookup compare equal.
 *
 * @param address the IP address, never a name to resolve
 * @param port the TCP port, 1 to 65535
 */
public record Endpoint(InetAddress address, int port) {

  /** Validates the port and drops any host name attached to the address. */
  public Endpoint {
    Objects.requireNonNull(address, "address");
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("endpoint port must be 1 to 65535, was " + port);
    }
    address = IpLiterals.withoutHostName(address);
  }

  /**
   * Parses {@code 10.0.0.1:6443} or {@code [fd00::1]:6443}. Never resolves a name.
   *
   * @throws IllegalArgumentException naming the text when it is not an IP literal with a port
   */
  public static Endpoint parse(String text) {
    Objects.requireNonNull(text, "text");
    String trimmed = text.trim();
    int colon = trimmed.lastIndexOf(':');
    if (colon <= 0 || colon == trimmed.length() - 1) {
      throw new IllegalArgumentException(
          "endpoint must be ADDRESS:PORT (IPv6 as [ADDRESS]:PORT), was '" + text + "'");
    }
    String host = trimmed.substring(0, colon);
    String portText = trimmed.substring(colon + 1);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      throw new IllegalArgumentException(
          "an IPv6 endpoint must be written [ADDRESS]:PORT, was '" + text + "'");
    }
    InetAddress address =
        IpLiterals.parse(host)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "endpoint address must be an IP address, was '" + text + "'"));
    int port;
    try {
      port = Integer.parseInt(portText);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("endpoint port must be a number, was '" + text + "'", e);
    }
    return new Endpoint(address, port);
  }

  /** The address and port to connect to. */
  public InetSocketAddress socketAddress() {
    return new InetSocketAddress(address, port);
  }

  /** The address as a literal, IPv6 without brackets. */
  public String host() {
    return address.getHostAddress();
  }

  @Override
  public String toString() {
    return address instanceof Inet6Address
        ? "[" + address.getHostAddress() + "]:" + port
        : address.getHostAddress() + ":" + port;
  }
}
