package dev.lifeline.testkit.dns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Fake CoreDNS for tests and benchmarks: one real DNS server (dnsmasq or unbound) per pod, each on
 * its own loopback address, and a user-space kube-proxy on the Service IP that spreads queries over
 * the pods round robin. Faults: per pod (see {@link FakeDnsPod}) and packet drops with iptables
 * ({@link #faults()}, root only).
 *
 * <p>Addresses come from a block {@code 127.N.0.0/16} (N from 53) held for this instance's
 * lifetime, so concurrent JVMs never collide: the Service IP is {@code 127.N.0.10}, pods get {@code
 * 127.N.1.1} onwards and an address is never reused (a recreated pod gets a new IP, as in a
 * cluster). The DNS port is 53 when running as root, else one free port shared by every address.
 *
 * <p>Usable from a {@code main} (the benchmark): nothing here depends on JUnit. Everything started
 * is stopped by {@link #close()}, and by a shutdown hook if a test dies first. Adding, removing and
 * finding pods is thread-safe (a ReplicaSet stand-in may replace pods from another thread); faults
 * on one pod are driven by one thread.
 *
 * <pre>{@code
 * try (FakeCoreDns dns = FakeCoreDns.builder()
 *     .records(DnsRecords.forDomain("cluster.local").withService("default", "kubernetes", "10.96.0.1"))
 *     .build()) {
 *   FakeDnsPod a = dns.addPod("coredns-a");
 *   dns.faults().dropUdp(a.ip(), dns.port());   // a stops answering UDP, still answers TCP
 * }
 * }</pre>
 */
public final class FakeCoreDns implements AutoCloseable {
  private final DnsServerKind kind;
  private final AddressBlock block;
  private final int port;
  private final Path dir;
  private final boolean ownsDir;
  private final Map<String, FakeDnsPod> pods = new LinkedHashMap<>();
  private final DnsRelay service;
  private final List<DnsRelay> relays = new ArrayList<>();
  private DnsRecords records;
  private BrokenUpstream upstream;
  private PacketFaults faults;
  private int serverCount;

  private FakeCoreDns(Builder b, AddressBlock block, int port, Path dir) {
    this.kind = b.kind;
    this.block = block;
    this.port = port;
    this.dir = dir;
    this.ownsDir = b.workDir == null;
    this.records = b.records;
    this.service =
        DnsRelay.start(new InetSocketAddress(block.serviceIp(), port), List.of(), Duration.ZERO);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The DNS port of every address (53 as root). */
  public int port() {
    return port;
  }

  /** The Service IP and port (the kube-proxy stand-in). */
  public InetSocketAddress serviceAddress() {
    return service.address();
  }

  /** The address block, {@code 127.N.0.0/16}. */
  public String cidr() {
    return block.cidr();
  }

  /** The records every pod serves unless told otherwise. */
  public synchronized DnsRecords records() {
    return records;
  }

  /** Serves {@code newRecords} on every pod (and on pods added later). */
  public synchronized void records(DnsRecords newRecords) {
    this.records = Objects.requireNonNull(newRecords);
    for (FakeDnsPod p : pods.values()) {
      p.serve(newRecords);
    }
  }

  /** The one node's IP, where node ports listen: {@code 127.N.253.1}. */
  public InetAddress nodeIp() {
    return block.nodeIp();
  }

  /**
   * Exposes the pods on a node port (kube-proxy's NodePort): a relay on {@link #nodeIp()} and
   * {@code port}, round robin over the pods like the Service IP, UDP and TCP.
   */
  public synchronized InetSocketAddress exposeNodePort(int port) {
    DnsRelay relay =
        DnsRelay.start(new InetSocketAddress(block.nodeIp(), port), List.of(), Duration.ZERO);
    relays.add(relay);
    syncService();
    return relay.address();
  }

  /** The load balancer's IP, where {@link #exposeLoadBalancer()} listens: {@code 127.N.252.1}. */
  public InetAddress loadBalancerIp() {
    return block.loadBalancerIp();
  }

  /**
   * Exposes the pods behind a load balancer, as a cloud provider does for a LoadBalancer Service: a
   * relay on {@link #loadBalancerIp()} and the DNS port, round robin over the pods like the Service
   * IP, UDP and TCP. Give its address to the Service as its ingress ({@code
   * FakeControlPlane.setLoadBalancerIngress}).
   *
   * @throws IllegalStateException when it is exposed already
   */
  public synchronized InetSocketAddress exposeLoadBalancer() {
    for (DnsRelay r : relays) {
      if (r.address().getAddress().equals(block.loadBalancerIp())) {
        throw new IllegalStateException("the load balancer is exposed already at " + r.address());
      }
    }
    DnsRelay relay =
        DnsRelay.start(
            new InetSocketAddress(block.loadBalancerIp(), port), List.of(), Duration.ZERO);
    relays.add(relay);
    syncService();
    return relay.address();
  }

  /** Starts a pod with a new IP and adds it to the Service's backends. */
  public synchronized FakeDnsPod addPod(String name) {
    if (pods.containsKey(name)) {
      throw new IllegalArgumentException("pod " + name + " exists");
    }
    InetSocketAddress address = new InetSocketAddress(block.nextPodIp(), port);
    Path podDir = dir.resolve(name);
    FakeDnsPod pod =
        new FakeDnsPod(
            name, address, this, podDir, startServer(address, podDir.resolve("server"), records));
    pods.put(name, pod);
    syncService();
    return pod;
  }

  /** Stops a pod's server and removes it from the Service's backends. */
  public synchronized void removePod(String name) {
    FakeDnsPod pod = pods.remove(name);
    if (pod == null) {
      throw new IllegalArgumentException("no pod " + name);
    }
    syncService();
    pod.close();
  }

  /** The pod, or an exception naming the pods there are. */
  public synchronized FakeDnsPod pod(String name) {
    FakeDnsPod p = pods.get(name);
    if (p == null) {
      throw new IllegalArgumentException("no pod " + name + "; pods are " + pods.keySet());
    }
    return p;
  }

  public synchronized List<FakeDnsPod> pods() {
    return List.copyOf(pods.values());
  }

  /**
   * The iptables faults of this block, created on first use.
   *
   * @throws IllegalStateException when not root
   */
  public synchronized PacketFaults faults() {
    if (faults == null) {
      faults = PacketFaults.forBlock(block);
    }
    return faults;
  }

  FakeDnsServer startServer(InetSocketAddress address, Path serverDir, DnsRecords data) {
    serverCount++;
    return FakeDnsServer.start(kind, address, serverDir, data, this::upstream);
  }

  InetAddress nextBackingIp() {
    return block.nextBackingIp();
  }

  private BrokenUpstream upstream() {
    if (upstream == null) {
      upstream =
          BrokenUpstream.start(
              block.upstreamIp(1),
              block.upstreamIp(2),
              port,
              dir.resolve("broken-upstream"),
              records.clusterDomain());
    }
    return upstream;
  }

  private void syncService() {
    List<InetSocketAddress> backends = new ArrayList<>();
    for (FakeDnsPod p : pods.values()) {
      backends.add(p.address());
    }
    service.backends(backends);
    for (DnsRelay r : relays) {
      r.backends(backends);
    }
  }

  /** How many server processes were started (restarts and relays included), for tests. */
  int serverCount() {
    return serverCount;
  }

  /** Stops every server and relay, removes the iptables rules and frees the address block. */
  @Override
  public void close() {
    RuntimeException first = null;
    List<AutoCloseable> all = new ArrayList<>(pods.values());
    all.add(service);
    all.addAll(relays);
    if (upstream != null) {
      all.add(upstream);
    }
    if (faults != null) {
      all.add(faults);
    }
    for (AutoCloseable c : all) {
      try {
        c.close();
      } catch (Exception e) {
        if (first == null) {
          first = new IllegalStateException("closing the fake CoreDNS failed", e);
        } else {
          first.addSuppressed(e);
        }
      }
    }
    pods.clear();
    block.close();
    if (ownsDir) {
      deleteTree(dir);
    }
    if (first != null) {
      throw first;
    }
  }

  /** Deletes the temporary directory this instance made (a given work directory is kept). */
  private static void deleteTree(Path root) {
    try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // A leftover temporary directory is harmless.
    }
  }

  /** Builds a {@link FakeCoreDns}. */
  public static final class Builder {
    private DnsServerKind kind = DnsServerKind.DNSMASQ;
    private DnsRecords records = DnsRecords.forDomain("cluster.local");
    private Path workDir;

    private Builder() {}

    /** dnsmasq (default) or unbound. */
    public Builder kind(DnsServerKind kind) {
      this.kind = Objects.requireNonNull(kind);
      return this;
    }

    /** The records every pod serves; default: none in {@code cluster.local}. */
    public Builder records(DnsRecords records) {
      this.records = Objects.requireNonNull(records);
      return this;
    }

    /**
     * Where the servers' files and logs go, kept after {@link FakeCoreDns#close()} for
     * post-mortems; default: a new temporary directory, deleted on close.
     */
    public Builder workDir(Path dir) {
      this.workDir = dir;
      return this;
    }

    public FakeCoreDns build() {
      Executables.require(
          kind.binary(), kind == DnsServerKind.DNSMASQ ? "dnsmasq-base" : "unbound");
      AddressBlock block = AddressBlock.acquire();
      try {
        Path dir =
            workDir != null
                ? Files.createDirectories(workDir)
                : Files.createTempDirectory("lifeline-fake-coredns-");
        int port = Executables.isRoot() ? 53 : freePort(block.serviceIp());
        return new FakeCoreDns(this, block, port, dir);
      } catch (IOException e) {
        block.close();
        throw new UncheckedIOException(e);
      } catch (RuntimeException e) {
        block.close();
        throw e;
      }
    }

    private static int freePort(InetAddress ip) throws IOException {
      for (int i = 0; i < 50; i++) {
        try (DatagramSocket u = new DatagramSocket(new InetSocketAddress(ip, 0))) {
          int p = u.getLocalPort();
          try (ServerSocket t = new ServerSocket(p, 1, ip)) {
            return t.getLocalPort();
          } catch (IOException taken) {
            // try another
          }
        }
      }
      throw new IOException("no port free for both UDP and TCP on " + ip.getHostAddress());
    }
  }
}
