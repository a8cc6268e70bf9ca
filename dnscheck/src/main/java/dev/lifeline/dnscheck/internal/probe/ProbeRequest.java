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
 */
public record ProbeRequest(
    String check,
    InetSocketAddress server,
    Transport transport,
    Name qname,
    int qtype,
    Expectation expectation,
    Duration timeout,
    int attempts) {

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
