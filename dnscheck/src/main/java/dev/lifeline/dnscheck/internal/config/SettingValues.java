package dev.lifeline.dnscheck.internal.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.Address;

/**
 * Parses setting values given as text (flags, environment variables, the config file). Every error
 * names the setting and the value and says what to use instead.
 */
public final class SettingValues {
  private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h)");

  private SettingValues() {}

  /** {@code 500ms}, {@code 2s}, {@code 1m30s}, {@code 1h}, or ISO-8601 ({@code PT2S}). */
  public static Duration duration(String setting, String value) {
    String v = value.strip().toLowerCase(Locale.ROOT);
    if (v.startsWith("pt") || v.startsWith("p")) {
      try {
        return Duration.parse(v.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw durationError(setting, value);
      }
    }
    Matcher m = DURATION_PART.matcher(v);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find() && m.start() == end) {
      long n;
      try {
        n = Long.parseLong(m.group(1));
      } catch (NumberFormatException e) {
        throw durationError(setting, value);
      }
      total =
          total.plus(
              switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
              });
      end = m.end();
    }
    if (end == 0 || end != v.length()) {
      throw durationError(setting, value);
    }
    return total;
  }

  private static IllegalArgumentException durationError(String setting, String value) {
    return new IllegalArgumentException(
        setting + " was '" + value + "'; use a duration such as 500ms, 2s or 1m30s");
  }

  /** A whole number in {@code [min, max]}. */
  public static int integer(String setting, String value, int min, int max) {
    int n;
    try {
      n = Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          setting + " was '" + value + "'; use a whole number from " + min + " to " + max);
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(
          setting + " was " + n + "; use a whole number from " + min + " to " + max);
    }
    return n;
  }

  /** A share: a fraction ({@code 0.5}) or a percentage ({@code 50%}). */
  public static double share(String setting, String value) {
    String v = value.strip();
    try {
      return v.endsWith("%")
          ? Double.parseDouble(v.substring(0, v.length() - 1).strip()) / 100
          : Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          setting + " was '" + value + "'; use a fraction such as 0.5 or a percentage such as 50%");
    }
  }

  /** {@code true/false}, {@code yes/no}, {@code on/off}, {@code 1/0}. */
  public static boolean bool(String setting, String value) {
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default ->
          throw new IllegalArgumentException(setting + " was '" + value + "'; use true or false");
    };
  }

  /** Comma-separated items, stripped, empty ones dropped. */
  public static List<String> list(String value) {
    List<String> out = new ArrayList<>();
    for (String s : value.split(",")) {
      if (!s.isBlank()) {
        out.add(s.strip());
      }
    }
    return out;
  }

  /**
   * A listen address: {@code IP:PORT}, {@code [IPv6]:PORT} or {@code localhost:PORT}. Host names
   * are refused: resolving one could go through the cluster DNS the checker checks.
   */
  public static InetSocketAddress listenAddress(String setting, String value) {
    String v = value.strip();
    int colon = v.lastIndexOf(':');
    if (colon <= 0) {
      throw listenError(setting, value);
    }
    String host = v.substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(v.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw listenError(setting, value);
    }
    if (port < 0 || port > 65535) {
      throw listenError(setting, value);
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.equals("localhost")) {
      return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }
    return new InetSocketAddress(ipLiteral(setting, host, value), port);
  }

  /** An IP address literal, never resolved through DNS. */
  public static InetAddress ipLiteral(String setting, String host, String value) {
    int family = host.contains(":") ? Address.IPv6 : Address.IPv4;
    byte[] raw = Address.toByteArray(host, family);
    if (raw == null) {
      throw listenError(setting, value);
    }
    try {
      return InetAddress.getByAddress(raw);
    } catch (UnknownHostException e) {
      throw new AssertionError("a 4- or 16-byte address is always valid", e);
    }
  }

  private static IllegalArgumentException listenError(String setting, String value) {
    return new IllegalArgumentException(
        setting
            + " was '"
            + value
            + "'; use IP:PORT such as 127.0.0.1:9753 or 0.0.0.0:9753 (a host name is not"
            + " resolved), or off");
  }
}
