package dev.lifeline.testkit.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * The upstream a failing fake pod forwards to: a dnsmasq with no data, which REFUSES every query,
 * and an unbound that forwards everything to it and so answers SERVFAIL (as a resolver does when
 * its upstream refuses). An unbound pod forwards to the refuser directly and answers SERVFAIL
 * itself; a dnsmasq pod forwards to the SERVFAIL resolver and passes its answer on. Real servers
 * all the way: no scripted replies.
 */
public final class BrokenUpstream implements AutoCloseable {
  private final FakeDnsServer refuser;
  private final FakeDnsServer servfailResolver;

  private BrokenUpstream(FakeDnsServer refuser, FakeDnsServer servfailResolver) {
    this.refuser = refuser;
    this.servfailResolver = servfailResolver;
  }

  /** Starts both servers on the given addresses and port. */
  public static BrokenUpstream start(
      InetAddress refuserIp, InetAddress resolverIp, int port, Path dir, String clusterDomain) {
    // The refuser serves no zone at all: with no data for the cluster domain it refuses.
    FakeDnsServer refuser =
        FakeDnsServer.startRefusing(new InetSocketAddress(refuserIp, port), dir.resolve("refuser"));
    try {
      FakeDnsServer resolver =
          FakeDnsServer.startForwarding(
              new InetSocketAddress(resolverIp, port),
              dir.resolve("servfail-resolver"),
              clusterDomain,
              refuser.address());
      return new BrokenUpstream(refuser, resolver);
    } catch (RuntimeException e) {
      refuser.close();
      throw e;
    }
  }

  /** The server that refuses every query. */
  public InetSocketAddress refuser() {
    return refuser.address();
  }

  /** The resolver that answers SERVFAIL for the cluster domain. */
  public InetSocketAddress servfailResolver() {
    return servfailResolver.address();
  }

  @Override
  public void close() {
    servfailResolver.close();
    refuser.close();
  }
}
