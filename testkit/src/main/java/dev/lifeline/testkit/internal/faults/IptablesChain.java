package dev.lifeline.testkit.internal.faults;

import dev.lifeline.testkit.internal.host.HostCommand;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real packet drops: one iptables chain per control plane, named {@code LLTK-<pid>-<n>}, jumped to
 * from the top of INPUT. Each dropped instance gets two rules, for both directions on loopback:
 * packets to its address and port, and packets from them. The chain is removed on {@link #close()}
 * and by a shutdown hook; chains left by a process that no longer exists are removed by {@link
 * #removeStaleChains()}.
 *
 * <p>Thread-safe.
 */
public final class IptablesChain implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(IptablesChain.class.getName());
  private static final String PREFIX = "LLTK-";
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final String chain;
  private final Set<String> dropped = new LinkedHashSet<>();
  private boolean created;
  private Thread shutdownHook;

  /** A chain for this process; nothing is installed until the first drop. */
  public IptablesChain() {
    this.chain = PREFIX + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
  }

  /** The chain's name. */
  public String name() {
    return chain;
  }

  /** Starts dropping packets to and from {@code ip:port}. */
  public synchronized void drop(String ip, int port) {
    if (!created) {
      run("-N", chain);
      run("-I", "INPUT", "1", "-j", chain);
      created = true;
      shutdownHook = new Thread(this::removeQuietly, "lifeline-testkit-iptables-cleanup");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
    String key = ip + ":" + port;
    if (dropped.add(key)) {
      run("-A", chain, "-p", "tcp", "-d", ip, "--dport", Integer.toString(port), "-j", "DROP");
      run("-A", chain, "-p", "tcp", "-s", ip, "--sport", Integer.toString(port), "-j", "DROP");
    }
  }

  /** Stops dropping packets to and from {@code ip:port}. */
  public synchronized void undrop(String ip, int port) {
    if (dropped.remove(ip + ":" + port)) {
      run("-D", chain, "-p", "tcp", "-d", ip, "--dport", Integer.toString(port), "-j", "DROP");
      run("-D", chain, "-p", "tcp", "-s", ip, "--sport", Integer.toString(port), "-j", "DROP");
    }
  }

  /** Whether packets to and from {@code ip:port} are being dropped. */
  public synchronized boolean isDropping(String ip, int port) {
    return dropped.contains(ip + ":" + port);
  }

  @Override
  public synchronized void close() {
    if (!created) {
      return;
    }
    removeQuietly();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or will run; removal is idempotent.
    }
    created = false;
  }

  private synchronized void removeQuietly() {
    dropped.clear();
    remove(chain);
  }

  private static void remove(String chain) {
    for (int i = 0; i < 16; i++) {
      if (!tryRun("-D", "INPUT", "-j", chain)) {
        break;
      }
    }
    tryRun("-F", chain);
    tryRun("-X", chain);
  }

  /**
   * Removes chains of this naming scheme whose process is gone (a JVM killed before its hook ran).
   *
   * @return the chains removed
   */
  public static List<String> removeStaleChains() {
    List<String> removed = new ArrayList<>();
    String listing;
    try {
      listing = run("-S");
    } catch (IllegalStateException e) {
      return removed;
    }
    for (String line : listing.split("\n")) {
      if (!line.startsWith("-N " + PREFIX)) {
        continue;
      }
      String name = line.substring(3).trim();
      String[] parts = name.substring(PREFIX.length()).split("-");
      long pid;
      try {
        pid = Long.parseLong(parts[0]);
      } catch (NumberFormatException e) {
        continue;
      }
      if (ProcessHandle.of(pid).isEmpty()) {
        remove(name);
        removed.add(name);
      }
    }
    if (!removed.isEmpty()) {
      LOG.log(System.Logger.Level.INFO, "removed stale iptables chains " + removed);
    }
    return removed;
  }

  private static boolean tryRun(String... args) {
    try {
      run(args);
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  private static String run(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("iptables");
    cmd.add("-w");
    cmd.add("10");
    cmd.addAll(List.of(args));
    return HostCommand.run("iptables", cmd);
  }
}
