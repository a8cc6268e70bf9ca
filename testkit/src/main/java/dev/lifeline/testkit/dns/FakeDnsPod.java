package dev.lifeline.testkit.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A fake CoreDNS pod: a name, an IP of its own, and a real DNS server answering on that IP (UDP and
 * TCP). Faults are real: other data (wrong answers), a refusing upstream (SERVFAIL), SIGSTOP
 * (silence), killing the process (port closed), iptables drops (through {@link FakeCoreDns}), and a
 * relay in front for latency (see {@link DnsRelay} for why latency is not added with netem).
 *
 * <p>Not thread-safe: driven by one test thread.
 */
public final class FakeDnsPod implements AutoCloseable {
  private final String name;
  private final InetSocketAddress address;
  private final FakeCoreDns owner;
  private final Path dir;
  private FakeDnsServer server;
  private DnsRelay relay;

  FakeDnsPod(
      String name, InetSocketAddress address, FakeCoreDns owner, Path dir, FakeDnsServer server) {
    this.name = name;
    this.address = address;
    this.owner = owner;
    this.dir = dir;
    this.server = server;
  }

  public String name() {
    return name;
  }

  /** The pod IP. */
  public InetAddress ip() {
    return address.getAddress();
  }

  /** The pod IP and DNS port. */
  public InetSocketAddress address() {
    return address;
  }

  /** The DNS server answering for the pod (behind the relay while slowed). */
  public FakeDnsServer server() {
    return server;
  }

  /** Serves other records: wrong answers, or the right ones again. */
  public void serve(DnsRecords records) {
    server.serve(records);
  }

  /** Answers SERVFAIL for the cluster domain (its upstream refuses). */
  public void serveFailure() {
    server.serveFailure();
  }

  /** Serves the cluster's current records again, and removes any slowness or freeze. */
  public void heal() {
    if (server.isFrozen()) {
      server.thaw();
    }
    slow(Duration.ZERO);
    server.serve(owner.records());
  }

  /**
   * Adds {@code delay} to every answer (UDP and TCP) by moving the server behind a relay on the pod
   * IP; {@link Duration#ZERO} moves it back.
   */
  public void slow(Duration delay) {
    Objects.requireNonNull(delay);
    if (delay.isZero()) {
      if (relay != null) {
        relay.close();
        relay = null;
        FakeDnsServer behind = server;
        server = owner.startServer(address, dir.resolve("server"), server.records());
        behind.close();
      }
      return;
    }
    if (relay != null) {
      relay.delay(delay);
      return;
    }
    InetSocketAddress backing = new InetSocketAddress(owner.nextBackingIp(), address.getPort());
    DnsRecords records = server.records();
    server.close();
    server = owner.startServer(backing, dir.resolve("server-behind-relay"), records);
    relay = DnsRelay.start(address, List.of(backing), delay);
  }

  /** Stops answering anything (SIGSTOP): UDP and TCP go silent, the port stays open. */
  public void freeze() {
    server.freeze();
  }

  /** Resumes after {@link #freeze()}. */
  public void thaw() {
    server.thaw();
  }

  /** Stops the pod's server and relay. */
  @Override
  public void close() {
    if (relay != null) {
      relay.close();
      relay = null;
    }
    server.close();
  }
}
