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
import org.xbill.DNS.Type;

/**
 * A check made concrete for the current topology: the query name resolved against the cluster
 * domain, the expected answers taken from the API.
 *
 * @param check the check (built-in or the user's), for passing it on to a helper pod
 * @param clusterDomain the domain its name was resolved against
 * @param qname the query name of each probe (fresh when the name has {@code {random}})
 * @param expectation what the reply must look like
 * @param timeout the per-attempt timeout
 * @param transports the transports it runs over
 * @param description for people: {@code kubernetes.default.svc.cluster.local A = 10.96.0.1}
 */
public record ResolvedCheck(
    Check check,
    String clusterDomain,
    Supplier<Name> qname,
    Expectation expectation,
    Duration timeout,
    Set<Transport> transports,
    String description) {

  private static final String NAME_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

  public ResolvedCheck {
    Objects.requireNonNull(check);
    Objects.requireNonNull(qname);
    transports = Set.copyOf(transports);
  }

  public String name() {
    return check.name();
  }

  public int qtype() {
    return check.type();
  }

  /**
   * The checks for a topology: {@code kubernetes} (one per address family of the kubernetes
   * Service), {@code nxdomain}, then the user's checks; over {@code transports} (the configured
   * ones that the deployment mode can carry) or fewer if a user check asks; {@code nxdomain} over
   * UDP alone when UDP is among them.
   */
  public static List<ResolvedCheck> resolve(
      DnsCheckConfig config,
      DnsTopology topology,
      RandomGenerator random,
      Set<Transport> transports) {
    List<Check> checks = new ArrayList<>();
    if (config.kubernetesCheck() && !topology.kubernetesClusterIps().isEmpty()) {
      Set<String> v4 = new LinkedHashSet<>();
      Set<String> v6 = new LinkedHashSet<>();
      for (InetAddress a : topology.kubernetesClusterIps()) {
        (a instanceof Inet4Address ? v4 : v6).add(a.getHostAddress());
      }
      if (!v4.isEmpty()) {
        checks.add(
            Check.builder("kubernetes", "kubernetes.default.svc.{domain}")
                .type("A")
                .expectAnswers(v4)
                .build());
      }
      if (!v6.isEmpty()) {
        checks.add(
            Check.builder(
                    v4.isEmpty() ? "kubernetes" : "kubernetes-ipv6",
                    "kubernetes.default.svc.{domain}")
                .type("AAAA")
                .expectAnswers(v6)
                .build());
      }
    }
    if (config.nxdomainCheck()) {
      // Over UDP when UDP is probed: the TCP path is checked by the kubernetes check, and a second
      // TCP connection per target and interval would double the checker's largest cost for an
      // answer that the server computes the same way over either transport.
      checks.add(
          Check.builder("nxdomain", "lifeline-nx-{random}.default.svc.{domain}")
              .type("A")
              .allowRcodes(List.of("NXDOMAIN"))
              .expectAnswers(List.of())
              .transports(
                  transports.contains(Transport.UDP) ? EnumSet.of(Transport.UDP) : transports)
              .build());
    }
    checks.addAll(config.checks());
    List<ResolvedCheck> out = new ArrayList<>();
    for (Check c : checks) {
      Set<Transport> ts = EnumSet.copyOf(c.transports().orElse(transports));
      ts.retainAll(transports);
      if (!ts.isEmpty()) {
        out.add(of(c, topology.clusterDomain(), c.timeout().orElse(config.timeout()), ts, random));
      }
    }
    return out;
  }

  /** One check resolved against a domain. */
  public static ResolvedCheck of(
      Check c, String domain, Duration timeout, Set<Transport> transports, RandomGenerator random) {
    Supplier<Name> qname;
    if (c.hasRandomLabel()) {
      qname = () -> c.queryName(domain, randomLabel(random));
    } else {
      Name fixed = c.queryName(domain, "");
      qname = () -> fixed;
    }
    String shown = c.queryName(domain, "{random}".replace("{", "<").replace("}", ">")).toString();
    return new ResolvedCheck(
        c,
        domain,
        qname,
        new Expectation(
            c.allowedRcodes(),
            c.expectedAnswers().orElse(null),
            c.answerPattern().orElse(null),
            c.allowTruncation()),
        timeout,
        transports,
        shown + " " + Type.string(c.type()) + expectationText(c));
  }

  private static String expectationText(Check c) {
    StringBuilder sb = new StringBuilder();
    if (!c.allowedRcodes().equals(Set.of(org.xbill.DNS.Rcode.NOERROR))) {
      List<String> names = new ArrayList<>();
      for (int code : new java.util.TreeSet<>(c.allowedRcodes())) {
        names.add(org.xbill.DNS.Rcode.string(code));
      }
      sb.append(" is ").append(String.join(" or ", names));
    }
    c.expectedAnswers()
        .filter(a -> !a.isEmpty())
        .ifPresent(a -> sb.append(" = ").append(String.join(", ", new java.util.TreeSet<>(a))));
    c.answerPattern().ifPresent(p -> sb.append(" ~ /").append(p.pattern()).append('/'));
    return sb.toString();
  }

  /** Synchronized because probes of every stream draw names from the one generator. */
  static String randomLabel(RandomGenerator random) {
    StringBuilder sb = new StringBuilder(12);
    synchronized (random) {
      for (int i = 0; i < 12; i++) {
        sb.append(NAME_ALPHABET.charAt(random.nextInt(NAME_ALPHABET.length())));
      }
    }
    return sb.toString();
  }
}
