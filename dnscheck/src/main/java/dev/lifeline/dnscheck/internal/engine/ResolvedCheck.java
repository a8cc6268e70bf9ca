package dev.lifeline.dnscheck.internal.engine;

import dev.lifeline.dnscheck.Check;
import dev.lifeline.dnscheck.DnsCheckConfig;
import dev.lifeline.dnscheck.Transport;
import dev.lifeline.dnscheck.internal.cluster.DnsTopology;
import dev.lifeline.dnscheck.internal.probe.Expectation;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A check made concrete for the current topology: the query name resolved against the cluster
 * domain, the expected answers taken from the API.
 *
 * @param name the check's name
 * @param qname the query name of each probe (fresh for the NXDOMAIN check, so no cache answers)
 * @param qtype the query type
 * @param expectation what the reply must look like
 * @param timeout the per-attempt timeout
 * @param transports the transports it runs over
 * @param description for people: {@code kubernetes.default.svc.cluster.local A = 10.96.0.1}
 */
public record ResolvedCheck(
    String name,
    Supplier<Name> qname,
    int qtype,
    Expectation expectation,
    Duration timeout,
    Set<Transport> transports,
    String description) {

  private static final String NAME_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

  public ResolvedCheck {
    Objects.requireNonNull(name);
    Objects.requireNonNull(qname);
    transports = Set.copyOf(transports);
  }

  /**
   * The checks for a topology: {@code kubernetes} (one per address family of the kubernetes
   * Service), {@code nxdomain}, then the user's checks; over {@code transports} (the configured
   * ones that the deployment mode can carry) or fewer if a user check asks.
   */
  public static List<ResolvedCheck> resolve(
      DnsCheckConfig config,
      DnsTopology topology,
      RandomGenerator random,
      Set<Transport> transports) {
    List<ResolvedCheck> out = new ArrayList<>();
    String domain = topology.clusterDomain();
    Set<Transport> all = transports;
    if (config.kubernetesCheck() && !topology.kubernetesClusterIps().isEmpty()) {
      Name qname = absolute("kubernetes.default.svc." + domain);
      Set<String> v4 = new LinkedHashSet<>();
      Set<String> v6 = new LinkedHashSet<>();
      for (InetAddress a : topology.kubernetesClusterIps()) {
        (a instanceof Inet4Address ? v4 : v6).add(a.getHostAddress());
      }
      if (!v4.isEmpty()) {
        out.add(
            new ResolvedCheck(
                "kubernetes",
                () -> qname,
                Type.A,
                Expectation.answers(v4),
                config.timeout(),
                all,
                qname + " A = " + String.join(", ", v4)));
      }
      if (!v6.isEmpty()) {
        out.add(
            new ResolvedCheck(
                v4.isEmpty() ? "kubernetes" : "kubernetes-ipv6",
                () -> qname,
                Type.AAAA,
                Expectation.answers(v6),
                config.timeout(),
                all,
                qname + " AAAA = " + String.join(", ", v6)));
      }
    }
    if (config.nxdomainCheck()) {
      String zone = "default.svc." + domain;
      out.add(
          new ResolvedCheck(
              "nxdomain",
              () -> absolute("lifeline-nx-" + randomLabel(random) + "." + zone),
              Type.A,
              Expectation.nxdomain(),
              config.timeout(),
              all,
              "<random>." + zone + ". A is NXDOMAIN"));
    }
    for (Check c : config.checks()) {
      Name qname = c.queryName(domain);
      Set<Transport> ts = EnumSet.copyOf(c.transports().orElse(all));
      ts.retainAll(all);
      if (ts.isEmpty()) {
        continue; // the check's transports are all turned off (port-forward: TCP only)
      }
      out.add(
          new ResolvedCheck(
              c.name(),
              () -> qname,
              c.type(),
              new Expectation(
                  c.allowedRcodes(),
                  c.expectedAnswers().orElse(null),
                  c.answerPattern().orElse(null),
                  c.allowTruncation()),
              c.timeout().orElse(config.timeout()),
              ts,
              qname + " " + Type.string(c.type())));
    }
    return out;
  }

  private static Name absolute(String name) {
    try {
      return Name.fromString(name.endsWith(".") ? name : name + ".");
    } catch (TextParseException e) {
      throw new IllegalArgumentException("not a DNS name: " + name, e);
    }
  }

  /** Synchronized because probes of every stream draw names from the one generator. */
  private static String randomLabel(RandomGenerator random) {
    StringBuilder sb = new StringBuilder(12);
    synchronized (random) {
      for (int i = 0; i < 12; i++) {
        sb.append(NAME_ALPHABET.charAt(random.nextInt(NAME_ALPHABET.length())));
      }
    }
    return sb.toString();
  }
}
