package dev.lifeline.dnscheck;

import dev.lifeline.dnscheck.internal.agent.ProbeAgent;
import dev.lifeline.dnscheck.internal.config.CheckSpec;
import dev.lifeline.dnscheck.internal.config.SettingValues;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a helper pod runs ({@code lifeline dnscheck probe}): the checker's probes from inside the
 * cluster network, reported as one JSON line per probe on standard output and a final {@code
 * {"done":true,...}} line, which the checker reads from the pod's log.
 */
public final class DnsProbeAgent {
  private DnsProbeAgent() {}

  /**
   * Parses a duration as the checker's flags take it ({@code 500ms}, {@code 2s}, {@code 1m30s}).
   *
   * @throws IllegalArgumentException naming {@code flag} and the value
   */
  public static Duration duration(String flag, String value) {
    return SettingValues.duration(flag, value);
  }

  /**
   * Runs the probes.
   *
   * @param targets {@code ID=IP:PORT} each ({@code [IPv6]:PORT} for IPv6); addresses only, never
   *     names
   * @param checks one-line check specs, the domain filled in
   * @param rounds how many rounds
   * @param interval time between rounds
   * @param timeout per-attempt timeout
   * @param retries attempts after a lost one
   * @param transports the transports to probe over
   * @param out where the report goes
   * @return the number of probes
   * @throws IllegalArgumentException naming the target or check that is malformed
   */
  public static int run(
      List<String> targets,
      List<String> checks,
      int rounds,
      Duration interval,
      Duration timeout,
      int retries,
      Set<Transport> transports,
      PrintWriter out) {
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("no --target given; give ID=IP:PORT at least once");
    }
    if (checks.isEmpty()) {
      throw new IllegalArgumentException("no --check given; give at least one check spec");
    }
    if (rounds < 1) {
      throw new IllegalArgumentException("rounds was " + rounds + "; use 1 or more");
    }
    List<ProbeAgent.AgentTarget> ts = new ArrayList<>();
    for (String t : targets) {
      int eq = t.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("target was '" + t + "'; use ID=IP:PORT");
      }
      InetSocketAddress a;
      try {
        a = SettingValues.listenAddress("target", t.substring(eq + 1));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "target was '" + t + "'; use ID=IP:PORT with an IP address ([IPv6]:PORT for IPv6)", e);
      }
      ts.add(new ProbeAgent.AgentTarget(t.substring(0, eq), a, transports));
    }
    List<Check> cs = new ArrayList<>();
    for (String c : checks) {
      cs.add(CheckSpec.parse(c));
    }
    return ProbeAgent.run(ts, cs, rounds, interval, timeout, retries, out);
  }
}
