package dev.lifeline.testkit.dns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One real DNS server process (dnsmasq or unbound) on one address, serving {@link DnsRecords} the
 * way CoreDNS's kubernetes plugin would: the records, NXDOMAIN for any other name in the cluster
 * domain. It can be made to answer wrongly (serve other records), to fail (SERVFAIL, because its
 * upstream refuses, as CoreDNS's forward plugin fails), to hang (SIGSTOP), to die and to come back.
 *
 * <p>Every change waits until the server answers accordingly, so a test never races the reload. Not
 * thread-safe: driven by one test thread.
 */
public final class FakeDnsServer implements AutoCloseable {
  private static final Duration SETTLE = Duration.ofSeconds(5);

  private final DnsServerKind kind;
  private final InetSocketAddress address;
  private final Path dir;
  private final java.util.function.Supplier<BrokenUpstream> upstream;

  /** For the broken upstream's own servers: refuse everything, or forward to this refuser. */
  private final Role role;

  private final InetSocketAddress forwardTo;
  private DnsRecords records;
  private boolean failing;
  private boolean frozen;
  private ManagedProcess process;

  private enum Role {
    POD,
    REFUSER,
    SERVFAIL_RESOLVER
  }

  private FakeDnsServer(
      DnsServerKind kind,
      InetSocketAddress address,
      Path dir,
      DnsRecords records,
      java.util.function.Supplier<BrokenUpstream> upstream,
      Role role,
      InetSocketAddress forwardTo) {
    this.kind = kind;
    this.address = address;
    this.dir = dir;
    this.records = records;
    this.upstream = upstream;
    this.role = role;
    this.forwardTo = forwardTo;
  }

  /**
   * Starts a server and waits until it answers.
   *
   * @param kind dnsmasq or unbound
   * @param address where it listens (UDP and TCP)
   * @param dir a directory of its own for its files and log
   * @param records what it serves
   * @param upstream where it forwards when told to fail (started when first needed); may be null if
   *     {@link #serveFailure()} is never used
   */
  public static FakeDnsServer start(
      DnsServerKind kind,
      InetSocketAddress address,
      Path dir,
      DnsRecords records,
      java.util.function.Supplier<BrokenUpstream> upstream) {
    return new FakeDnsServer(kind, address, dir, records, upstream, Role.POD, null).launched();
  }

  /** A dnsmasq without any data or upstream: it answers REFUSED to everything. */
  static FakeDnsServer startRefusing(InetSocketAddress address, Path dir) {
    return new FakeDnsServer(
            DnsServerKind.DNSMASQ,
            address,
            dir,
            DnsRecords.forDomain("invalid"),
            null,
            Role.REFUSER,
            null)
        .launched();
  }

  /** An unbound that forwards the cluster domain to a refusing server: it answers SERVFAIL. */
  static FakeDnsServer startForwarding(
      InetSocketAddress address, Path dir, String clusterDomain, InetSocketAddress refuser) {
    return new FakeDnsServer(
            DnsServerKind.UNBOUND,
            address,
            dir,
            DnsRecords.forDomain(clusterDomain),
            null,
            Role.SERVFAIL_RESOLVER,
            refuser)
        .launched();
  }

  private FakeDnsServer launched() {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    launch();
    return this;
  }

  public DnsServerKind kind() {
    return kind;
  }

  public InetSocketAddress address() {
    return address;
  }

  public DnsRecords records() {
    return records;
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** The process's id, while it runs. */
  public long pid() {
    return process.pid();
  }

  /** Serves other records (wrong answers, or the right ones again) and waits until it does. */
  public void serve(DnsRecords newRecords) {
    requirePod();
    this.records = Objects.requireNonNull(newRecords);
    this.failing = false;
    writeConfig();
    reload();
    awaitServing();
  }

  /**
   * Answers SERVFAIL for the cluster domain: the server forwards the domain to an upstream that
   * refuses, as CoreDNS does when its upstream fails. Waits until it does.
   */
  public void serveFailure() {
    requirePod();
    if (upstream == null) {
      throw new IllegalStateException("this server has no broken upstream to forward to");
    }
    this.failing = true;
    writeConfig();
    reload();
    awaitRcode(2);
  }

  private void requirePod() {
    if (role != Role.POD) {
      throw new IllegalStateException("the broken upstream's servers keep their behaviour");
    }
  }

  /** Stops answering anything, UDP and TCP, by stopping the process (SIGSTOP). */
  public void freeze() {
    process.signal("STOP");
    frozen = true;
  }

  /** Whether {@link #freeze()} stopped it. */
  public boolean isFrozen() {
    return frozen;
  }

  /** Resumes a frozen server. */
  public void thaw() {
    process.signal("CONT");
    frozen = false;
  }

  /** Kills the process: the port closes (ICMP port unreachable, connection refused). */
  public void stop() {
    if (process != null) {
      if (frozen) {
        thaw();
      }
      process.close();
    }
  }

  /** Starts the process again after {@link #stop()}, with the current records. */
  public void restart() {
    stop();
    launch();
  }

  private void launch() {
    writeConfig();
    List<String> cmd = command();
    process =
        ManagedProcess.start(kind.binary() + " on " + endpoint(), cmd, dir.resolve("server.log"));
    switch (role) {
      case REFUSER -> awaitRcode(5);
      case SERVFAIL_RESOLVER -> awaitRcode(2);
      case POD -> {
        if (failing) {
          awaitRcode(2);
        } else {
          awaitServing();
        }
      }
    }
  }

  private String endpoint() {
    return address.getAddress().getHostAddress() + ":" + address.getPort();
  }

  private List<String> command() {
    return switch (kind) {
      case DNSMASQ -> {
        List<String> c = new ArrayList<>();
        c.add(Executables.require("dnsmasq", "dnsmasq-base").toString());
        c.addAll(
            List.of(
                "--keep-in-foreground",
                "--conf-file=/dev/null",
                "--no-resolv",
                "--no-hosts",
                "--addn-hosts=" + dir.resolve("hosts"),
                "--servers-file=" + dir.resolve("servers"),
                "--listen-address=" + address.getAddress().getHostAddress(),
                "--bind-interfaces",
                "--port=" + address.getPort(),
                "--pid-file=",
                "--log-facility=-",
                "--cache-size=0"));
        if (Executables.isRoot()) {
          // Stay root so that the files in our private directory stay readable on SIGHUP.
          c.add("--user=root");
        }
        yield c;
      }
      case UNBOUND ->
          List.of(
              Executables.require("unbound", "unbound").toString(),
              "-d",
              "-c",
              dir.resolve("unbound.conf").toString());
    };
  }

  private void writeConfig() {
    try {
      switch (kind) {
        case DNSMASQ -> {
          Files.writeString(
              dir.resolve("hosts"), failing || role != Role.POD ? "" : records.hostsFile());
          String servers =
              role == Role.REFUSER
                  ? ""
                  : failing
                      ? "server=/"
                          + records.clusterDomain()
                          + "/"
                          + upstream.get().servfailResolver().getAddress().getHostAddress()
                          + "#"
                          + upstream.get().servfailResolver().getPort()
                          + "\n"
                      : "server=/" + records.clusterDomain() + "/\n";
          Files.writeString(dir.resolve("servers"), servers);
        }
        case UNBOUND -> Files.writeString(dir.resolve("unbound.conf"), unboundConfig());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the config of " + kind.binary(), e);
    }
  }

  private String unboundConfig() {
    StringBuilder sb = new StringBuilder();
    String ip = address.getAddress().getHostAddress();
    sb.append("server:\n")
        .append("  interface: ")
        .append(ip)
        .append('\n')
        .append("  port: ")
        .append(address.getPort())
        .append('\n')
        .append("  do-daemonize: no\n")
        .append("  username: \"\"\n")
        .append("  chroot: \"\"\n")
        .append("  directory: \"")
        .append(dir)
        .append("\"\n")
        .append("  pidfile: \"\"\n")
        .append("  use-syslog: no\n")
        .append("  logfile: \"\"\n")
        .append("  verbosity: 0\n")
        .append("  do-ip6: no\n")
        .append("  access-control: 127.0.0.0/8 allow\n")
        .append("  module-config: \"iterator\"\n")
        .append("  do-not-query-localhost: no\n")
        .append("  msg-cache-size: 0\n")
        .append("  rrset-cache-size: 0\n")
        .append("  num-threads: 1\n");
    String zone = records.clusterDomain() + ".";
    boolean forwarding = failing || role == Role.SERVFAIL_RESOLVER;
    if (!forwarding) {
      sb.append("  local-zone: \"").append(zone).append("\" static\n");
      for (String line : records.unboundLocalData()) {
        sb.append("  local-data: \"").append(line).append("\"\n");
      }
    }
    sb.append("remote-control:\n")
        .append("  control-enable: yes\n")
        .append("  control-interface: \"")
        .append(dir.resolve("control.sock"))
        .append("\"\n")
        .append("  control-use-cert: no\n");
    if (forwarding) {
      InetSocketAddress refuser =
          role == Role.SERVFAIL_RESOLVER ? forwardTo : upstream.get().refuser();
      sb.append("forward-zone:\n")
          .append("  name: \"")
          .append(zone)
          .append("\"\n")
          .append("  forward-addr: ")
          .append(refuser.getAddress().getHostAddress())
          .append('@')
          .append(refuser.getPort())
          .append('\n');
    }
    return sb.toString();
  }

  private void reload() {
    if (!isRunning()) {
      return; // applied at the next start
    }
    switch (kind) {
      case DNSMASQ -> process.signal("HUP");
      case UNBOUND ->
          ManagedProcess.run(
              List.of(
                  Executables.require("unbound-control", "unbound").toString(),
                  "-c",
                  dir.resolve("unbound.conf").toString(),
                  "reload"));
    }
  }

  private void awaitServing() {
    String name =
        records.addresses().isEmpty()
            ? "lifeline-probe." + records.clusterDomain()
            : records.addresses().keySet().iterator().next();
    List<String> want = records.addressesOf(name);
    await(
        "serve " + name + " = " + want,
        r -> want.isEmpty() ? r.rcode() == 3 : r.rcode() == 0 && r.addresses().equals(want),
        name);
  }

  private void awaitRcode(int rcode) {
    await(
        "answer rcode " + rcode,
        r -> r.rcode() == rcode,
        "lifeline-probe." + records.clusterDomain());
  }

  private void await(
      String what, java.util.function.Predicate<MiniDnsClient.Reply> ok, String name) {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    MiniDnsClient.Reply last = null;
    while (System.nanoTime() < deadline) {
      if (!isRunning()) {
        throw new IllegalStateException(
            process.what() + " exited: " + process.output().replace('\n', ' '));
      }
      try {
        last = MiniDnsClient.queryUdp(address, name, Duration.ofMillis(200));
        if (last != null && ok.test(last)) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet (ICMP port unreachable comes back at once): poll again shortly.
        java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
      }
    }
    throw new IllegalStateException(
        kind.binary()
            + " on "
            + endpoint()
            + " did not "
            + what
            + " within "
            + SETTLE.toSeconds()
            + " s (last reply "
            + last
            + "); its output: "
            + process.output().replace('\n', ' '));
  }

  /** Stops the process; its directory belongs to whoever gave it. */
  @Override
  public void close() {
    stop();
  }

  /** The server's log so far. */
  public String log() {
    try {
      return Files.readString(dir.resolve("server.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
