package dev.lifeline.testkit.internal.host;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Extra addresses on {@code lo} (the ClusterIP, so that a listener can take {@code 10.96.0.1:443}),
 * reference-counted across the control planes of this JVM. An address is added with the label
 * {@code lo:lltk}; one already present is used as it is. When the last user of this JVM releases it
 * (and on JVM exit), an address with that label is removed unless a process still listens on it:
 * several test JVMs may share it, and the last one out removes it; addresses someone else
 * configured are never removed.
 *
 * <p>Thread-safe. Needs root and the {@code ip} command (Debian's iproute2).
 */
public final class LoopbackAddress {
  private static final System.Logger LOG = System.getLogger(LoopbackAddress.class.getName());

  /** The label that marks the addresses the testkit added. */
  static final String LABEL = "lo:lltk";

  private static final Map<String, Integer> USERS = new HashMap<>();
  private static Thread shutdownHook;

  private LoopbackAddress() {}

  /**
   * Makes sure {@code ip} is on {@code lo} and counts one more user.
   *
   * @throws IllegalStateException when it cannot be added, with the tool's message
   */
  public static synchronized void acquire(String ip) {
    int users = USERS.getOrDefault(ip, 0);
    if (users == 0 && !isOnLoopback(ip)) {
      try {
        ip("addr", "add", ip + "/32", "dev", "lo", "label", LABEL);
      } catch (IllegalStateException e) {
        if (!isOnLoopback(ip)) {
          throw e;
        }
      }
      LOG.log(System.Logger.Level.DEBUG, () -> "added " + ip + "/32 to lo");
    }
    USERS.put(ip, users + 1);
    if (shutdownHook == null) {
      shutdownHook = new Thread(LoopbackAddress::releaseAll, "lifeline-testkit-lo-cleanup");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
  }

  /** Counts one user less; the last one removes the address as the class describes. */
  public static synchronized void release(String ip) {
    Integer users = USERS.get(ip);
    if (users == null) {
      return;
    }
    if (users > 1) {
      USERS.put(ip, users - 1);
      return;
    }
    USERS.remove(ip);
    removeIfUnused(ip);
  }

  private static synchronized void releaseAll() {
    for (String ip : List.copyOf(USERS.keySet())) {
      removeIfUnused(ip);
    }
    USERS.clear();
  }

  private static void removeIfUnused(String ip) {
    try {
      if (isOurs(ip) && !isListenedOn(ip)) {
        ip("addr", "del", ip + "/32", "dev", "lo", "label", LABEL);
        LOG.log(System.Logger.Level.DEBUG, () -> "removed " + ip + "/32 from lo");
      }
    } catch (IllegalStateException e) {
      LOG.log(System.Logger.Level.WARNING, "could not remove " + ip + "/32 from lo", e);
    }
  }

  private static boolean isOnLoopback(String ip) {
    return addressLine(ip) != null;
  }

  private static boolean isOurs(String ip) {
    String line = addressLine(ip);
    return line != null && List.of(line.split("[\\s\\\\]+")).contains(LABEL);
  }

  /** The {@code ip -o} line of the address on lo, or null. */
  private static String addressLine(String ip) {
    for (String line : ip("-o", "-4", "addr", "show", "dev", "lo").split("\n")) {
      if (line.contains(" inet " + ip + "/")) {
        return line;
      }
    }
    return null;
  }

  /**
   * Whether any TCP socket of any process listens on this address: an IPv4 socket (in {@code
   * /proc/net/tcp}) or a dual-stack IPv6 socket bound to the IPv4-mapped address (in {@code
   * /proc/net/tcp6}), which is how a JVM binds by default.
   */
  static boolean isListenedOn(String ip) {
    return listens(Path.of("/proc/net/tcp"), procNetHex(ip))
        || listens(Path.of("/proc/net/tcp6"), procNet6Hex(ip));
  }

  private static boolean listens(Path table, String localAddress) {
    try {
      for (String line : Files.readAllLines(table)) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 3 && f[3].equals("0A") && f[1].startsWith(localAddress + ":")) {
          return true;
        }
      }
      return false;
    } catch (java.nio.file.NoSuchFileException noIpv6) {
      return false;
    } catch (IOException e) {
      // Unknown: keep the address rather than pull it from under another process.
      return true;
    }
  }

  /** An IPv4 address as /proc/net/tcp prints it: the 32-bit word in host byte order, in hex. */
  static String procNetHex(String ip) {
    return words(bytes(ip));
  }

  /** The IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) as /proc/net/tcp6 prints it. */
  static String procNet6Hex(String ip) {
    byte[] v4 = bytes(ip);
    byte[] v6 = new byte[16];
    v6[10] = (byte) 0xff;
    v6[11] = (byte) 0xff;
    System.arraycopy(v4, 0, v6, 12, 4);
    return words(v6);
  }

  private static byte[] bytes(String ip) {
    try {
      return InetAddress.getByName(ip).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP literal: " + ip, e);
    }
  }

  /** Each 32-bit word of an address in host byte order, in upper-case hex, as the kernel prints. */
  private static String words(byte[] address) {
    byte[] out = address.clone();
    if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
      for (int w = 0; w < out.length; w += 4) {
        for (int k = 0; k < 4; k++) {
          out[w + k] = address[w + 3 - k];
        }
      }
    }
    return HexFormat.of().formatHex(out).toUpperCase(Locale.ROOT);
  }

  private static String ip(String... args) {
    List<String> cmd = new java.util.ArrayList<>();
    cmd.add("ip");
    cmd.addAll(List.of(args));
    return HostCommand.run("iproute2", cmd);
  }
}
