package dev.lifeline.failover.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** Parses IP literals without ever resolving a name. */
public final class IpLiterals {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[\\w.-]+)?");

  private IpLiterals() {}

  /** The address for an IPv4 or IPv6 literal (no brackets), empty for anything else. */
  public static Optional<InetAddress> parse(String text) {
    if (text == null || text.isEmpty()) {
      return Optional.empty();
    }
    boolean v4 = IPV4.matcher(text).matches();
    boolean v6 = !v4 && text.indexOf(':') >= 0 && IPV6.matcher(text).matches();
    if (v4) {
      for (String part : text.split("\\.")) {
        if (Integer.parseInt(part) > 255) {
          return Optional.empty();
        }
      }
    }
    if (!v4 && !v6) {
      return Optional.empty();
    }
    try {
      // A literal is parsed, never looked up: getByName only resolves strings that are not
      // literals.
      return Optional.of(withoutHostName(InetAddress.getByName(text)));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /** Whether {@code text} is an IP literal. */
  public static boolean isLiteral(String text) {
    return parse(text).isPresent();
  }

  /** The same address with no host name attached (so it prints as a literal). */
  public static InetAddress withoutHostName(InetAddress address) {
    try {
      return InetAddress.getByAddress(address.getAddress());
    } catch (UnknownHostException e) {
      throw new IllegalStateException("an address of " + address.getAddress().length + " bytes", e);
    }
  }

  /** The same address carrying {@code host} as its name, the way the system resolver returns it. */
  public static InetAddress withHostName(String host, InetAddress address) {
    try {
      return InetAddress.getByAddress(host, address.getAddress());
    } catch (UnknownHostException e) {
      throw new IllegalStateException("an address of " + address.getAddress().length + " bytes", e);
    }
  }
}
