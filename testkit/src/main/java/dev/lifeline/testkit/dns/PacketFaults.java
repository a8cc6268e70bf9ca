package dev.lifeline.testkit.dns;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * True packet drops with iptables, confined to one harness's address block: a chain of its own
 * ({@code LIFELINE-DNS-<N>}) jumped to from INPUT for packets to or from the block, so rules never
 * touch other traffic. Needs root. The chain is flushed and removed on {@link #close()} and by a
 * shutdown hook, and a chain left by a crashed run is cleared when the block is taken again.
 */
public final class PacketFaults implements AutoCloseable {
  private final String chain;
  private final String cidr;
  private final String iptables;
  private final List<List<String>> jumps;
  private boolean closed;

  private PacketFaults(String chain, String cidr) {
    this.chain = chain;
    this.cidr = cidr;
    this.iptables = Executables.require("iptables", "iptables").toString();
    this.jumps =
        List.of(
            List.of("INPUT", "-d", cidr, "-j", chain), List.of("INPUT", "-s", cidr, "-j", chain));
  }

  /**
   * Creates the chain for a block.
   *
   * @throws IllegalStateException if not root or iptables is missing
   */
  static PacketFaults forBlock(AddressBlock block) {
    if (!Executables.isRoot()) {
      throw new IllegalStateException("packet faults need root (iptables)");
    }
    PacketFaults f = new PacketFaults("LIFELINE-DNS-" + block.octet(), block.cidr());
    f.removeLeftovers();
    f.ipt("-N", f.chain);
    for (List<String> j : f.jumps) {
      List<String> args = new ArrayList<>();
      args.add("-I");
      args.addAll(j);
      f.ipt(args.toArray(String[]::new));
    }
    Runtime.getRuntime().addShutdownHook(new Thread(f::close, "lifeline-dns-iptables-cleanup"));
    return f;
  }

  /**
   * Drops every UDP packet to {@code ip:port} (the server stops answering UDP; TCP still works).
   */
  public void dropUdp(InetAddress ip, int port) {
    ipt(
        "-A",
        chain,
        "-d",
        ip.getHostAddress(),
        "-p",
        "udp",
        "--dport",
        Integer.toString(port),
        "-j",
        "DROP");
  }

  /** Drops every TCP packet to {@code ip:port}. */
  public void dropTcp(InetAddress ip, int port) {
    ipt(
        "-A",
        chain,
        "-d",
        ip.getHostAddress(),
        "-p",
        "tcp",
        "--dport",
        Integer.toString(port),
        "-j",
        "DROP");
  }

  /**
   * Drops each DNS packet to and from every address of the block at random with {@code
   * probability}, over UDP and TCP, in both directions: queries to port {@code port} and replies
   * from it.
   */
  public void dropRandomly(double probability, int port) {
    if (!(probability > 0 && probability < 1)) {
      throw new IllegalArgumentException("probability was " + probability);
    }
    String p = String.format(Locale.ROOT, "%.4f", probability);
    for (String proto : List.of("udp", "tcp")) {
      ipt(
          "-A",
          chain,
          "-p",
          proto,
          "--dport",
          Integer.toString(port),
          "-m",
          "statistic",
          "--mode",
          "random",
          "--probability",
          p,
          "-j",
          "DROP");
      ipt(
          "-A",
          chain,
          "-p",
          proto,
          "--sport",
          Integer.toString(port),
          "-m",
          "statistic",
          "--mode",
          "random",
          "--probability",
          p,
          "-j",
          "DROP");
    }
  }

  /** Removes every rule; the chain stays for more faults. */
  public void clear() {
    ipt("-F", chain);
  }

  /** The chain's rules as iptables prints them, for diagnostics. */
  public String rules() {
    return ManagedProcess.run(List.of(iptables, "-w", "-S", chain));
  }

  private void removeLeftovers() {
    for (List<String> j : jumps) {
      while (tryIpt("-D", j)) {
        // a crashed run may have left several
      }
    }
    if (tryIpt("-F", List.of(chain))) {
      tryIpt("-X", List.of(chain));
    }
  }

  private boolean tryIpt(String op, List<String> rest) {
    List<String> cmd = new ArrayList<>(List.of(iptables, "-w", op));
    cmd.addAll(rest);
    try {
      ManagedProcess.run(cmd);
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  private void ipt(String... args) {
    List<String> cmd = new ArrayList<>(List.of(iptables, "-w"));
    cmd.addAll(List.of(args));
    ManagedProcess.run(cmd);
  }

  /** Removes the jumps and the chain. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    removeLeftovers();
  }
}
