package dev.lifeline.dnscheck.internal.probe;

import dev.lifeline.dnscheck.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * One probe: a query sent to one server over one transport, judged by an expectation.
 *
 * @param check the name of the check it belongs to
 * @param server the server's address and port
 * @param transport UDP or TCP
 * @param qname the absolute query name
 * @param qtype the query type (dnsjava {@link Type} code)
 * @param expectation what the reply must look like
 * @param timeout how long one attempt waits for its reply
 * @param attempts how many attempts at most (1 + retries); only possible losses are retried
 * @param sourcePortPerAttempt over UDP, a socket of its own for each attempt, so a fresh source
 *     port: for a Service IP, whose load balancing (kube-proxy's conntrack) would otherwise pin
 *     every probe to the backend the first one reached, where clients' random source ports reach
 *     them all; otherwise the probes to one server share one socket
 */
public record ProbeRequest(
    String check,
    InetSocketAddress server,
    Transport transport,
    Name qname,
    int qtype,
    Expectation expectation,
    Duration timeout,
    int attempts,
    boolean sourcePortPerAttempt) {

  /** A request whose UDP attempts share the prober's socket to the server. */
  public ProbeRequest(
      String check,
      InetSocketAddress server,
      Transport transport,
      Name qname,
      int qtype,
      Expectation expectation,
      Duration timeout,
      int attempts) {
    this(check, server, transport, qname, qtype, expectation, timeout, attempts, false);
  }

  public ProbeRequest {
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(qname, "qname");
    Objects.requireNonNull(expectation, "expectation");
    Objects.requireNonNull(timeout, "timeout");
    if (!qname.isAbsolute()) {
      throw new IllegalArgumentException("query name must be absolute: " + qname);
    }
    if (server.isUnresolved()) {
      // Never resolve here: the checker must not depend on the DNS it checks.
      throw new IllegalArgumentException("server must be an address, was " + server);
    }
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts was " + attempts + "; use 1 or more");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout was " + timeout + "; use more than 0");
    }
  }

  /** {@code kubernetes.default.svc.cluster.local. A over udp to 10.96.0.10:53}. */
  public String describe() {
    return qname
        + " "
        + Type.string(qtype)
        + " over "
        + transport.label()
        + " to "
        + server.getAddress().getHostAddress()
        + ":"
        + server.getPort();
  }
}
