package dev.lifeline.testkit.internal.store;

import java.util.BitSet;
import java.util.Random;

/**
 * Allocates Service ClusterIPs from one IPv4 CIDR (default 10.96.0.0/12), like the apiserver's
 * bitmap allocator: the network and broadcast addresses are never handed out, dynamic allocations
 * are random. Not thread-safe: the store calls it under its lock.
 */
public final class ClusterIpAllocator {
  private final String cidr;
  private final long base;
  private final int size;
  private final BitSet used;
  private final Random random;

  /**
   * @param cidr an IPv4 CIDR such as {@code 10.96.0.0/12}
   * @param random the source of dynamic allocations
   */
  public ClusterIpAllocator(String cidr, Random random) {
    String[] parts = cidr.split("/");
    int prefix = Integer.parseInt(parts[1]);
    if (prefix < 8 || prefix > 30) {
      throw new IllegalArgumentException("service CIDR prefix must be between /8 and /30: " + cidr);
    }
    long addr = toLong(parts[0]);
    long mask = (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    this.cidr = cidr;
    this.base = addr & mask;
    this.size = 1 << (32 - prefix);
    this.used = new BitSet(size);
    this.random = random;
  }

  /** The CIDR allocations come from. */
  public String cidr() {
    return cidr;
  }

  /** Whether the address lies inside the range and is not the network or broadcast address. */
  public boolean contains(String ip) {
    long v;
    try {
      v = toLong(ip);
    } catch (IllegalArgumentException e) {
      return false;
    }
    long offset = v - base;
    return offset > 0 && offset < size - 1;
  }

  /** Whether the address is in use. */
  public boolean isAllocated(String ip) {
    return contains(ip) && used.get((int) (toLong(ip) - base));
  }

  /** Marks a specific address as used; false when it is out of range or already taken. */
  public boolean allocate(String ip) {
    if (!contains(ip)) {
      return false;
    }
    int offset = (int) (toLong(ip) - base);
    if (used.get(offset)) {
      return false;
    }
    used.set(offset);
    return true;
  }

  /** Allocates a free address at random. */
  public String allocateNext() {
    int usable = size - 2;
    int start = 1 + random.nextInt(usable);
    for (int i = 0; i < usable; i++) {
      int offset = 1 + ((start - 1 + i) % usable);
      if (!used.get(offset)) {
        used.set(offset);
        return toIp(base + offset);
      }
    }
    throw new IllegalStateException("range is full");
  }

  /** Releases an address; unknown addresses are ignored. */
  public void release(String ip) {
    if (contains(ip)) {
      used.clear((int) (toLong(ip) - base));
    }
  }

  static long toLong(String ip) {
    String[] o = ip.split("\\.");
    if (o.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address: " + ip);
    }
    long v = 0;
    for (String s : o) {
      int b;
      try {
        b = Integer.parseInt(s);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not an IPv4 address: " + ip, e);
      }
      if (b < 0 || b > 255) {
        throw new IllegalArgumentException("not an IPv4 address: " + ip);
      }
      v = (v << 8) | b;
    }
    return v;
  }

  static String toIp(long v) {
    return ((v >> 24) & 0xFF)
        + "."
        + ((v >> 16) & 0xFF)
        + "."
        + ((v >> 8) & 0xFF)
        + "."
        + (v & 0xFF);
  }
}
