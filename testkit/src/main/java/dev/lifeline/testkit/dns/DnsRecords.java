package dev.lifeline.testkit.dns;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The data a fake CoreDNS pod serves: the cluster domain and address records, as CoreDNS's {@code
 * kubernetes} plugin would derive them from Services ({@code <service>.<namespace>.svc.<domain>}).
 * Every other name in the cluster domain is NXDOMAIN; names outside it are refused. Immutable.
 */
public final class DnsRecords {
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  private final String clusterDomain;
  private final Map<String, List<String>> addresses;

  private DnsRecords(String clusterDomain, Map<String, List<String>> addresses) {
    this.clusterDomain = clusterDomain;
    this.addresses = addresses;
  }

  /** No records yet in {@code clusterDomain} (for example {@code cluster.local}). */
  public static DnsRecords forDomain(String clusterDomain) {
    String d = clusterDomain.toLowerCase(Locale.ROOT);
    if (d.endsWith(".")) {
      d = d.substring(0, d.length() - 1);
    }
    for (String label : d.split("\\.")) {
      if (!LABEL.matcher(label).matches()) {
        throw new IllegalArgumentException("cluster domain was '" + clusterDomain + "'");
      }
    }
    return new DnsRecords(d, Map.of());
  }

  /** Adds (or replaces) the addresses of a Service: {@code name.namespace.svc.<domain>}. */
  public DnsRecords withService(String namespace, String name, String... ips) {
    return withName(name + "." + namespace + ".svc." + clusterDomain, ips);
  }

  /** Adds (or replaces) the addresses of a name, which must be in the cluster domain. */
  public DnsRecords withName(String fqdn, String... ips) {
    String n = fqdn.toLowerCase(Locale.ROOT);
    if (n.endsWith(".")) {
      n = n.substring(0, n.length() - 1);
    }
    if (!n.endsWith("." + clusterDomain)) {
      throw new IllegalArgumentException(fqdn + " is not in the cluster domain " + clusterDomain);
    }
    for (String ip : ips) {
      if (!ip.matches("[0-9.]+|[0-9a-fA-F:]+")) {
        throw new IllegalArgumentException("not an IP address: " + ip);
      }
    }
    Map<String, List<String>> copy = new LinkedHashMap<>(addresses);
    copy.put(n, List.of(ips));
    return new DnsRecords(clusterDomain, Map.copyOf(copy));
  }

  public String clusterDomain() {
    return clusterDomain;
  }

  /** Fully qualified names (without the trailing dot) and their addresses. */
  public Map<String, List<String>> addresses() {
    return addresses;
  }

  /** The addresses of a name, or an empty list. */
  public List<String> addressesOf(String fqdn) {
    String n = fqdn.toLowerCase(Locale.ROOT);
    return addresses.getOrDefault(n.endsWith(".") ? n.substring(0, n.length() - 1) : n, List.of());
  }

  /** The records as an {@code /etc/hosts} file (what dnsmasq reads). */
  String hostsFile() {
    StringBuilder sb = new StringBuilder();
    addresses.forEach(
        (name, ips) -> {
          for (String ip : ips) {
            sb.append(ip).append(' ').append(name).append('\n');
          }
        });
    return sb.toString();
  }

  /** The records as unbound {@code local-data} lines. */
  List<String> unboundLocalData() {
    List<String> out = new ArrayList<>();
    addresses.forEach(
        (name, ips) -> {
          for (String ip : ips) {
            out.add(name + ". 5 IN " + (ip.contains(":") ? "AAAA " : "A ") + ip);
          }
        });
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DnsRecords r
        && r.clusterDomain.equals(clusterDomain)
        && r.addresses.equals(addresses);
  }

  @Override
  public int hashCode() {
    return Objects.hash(clusterDomain, addresses);
  }

  @Override
  public String toString() {
    return "DnsRecords" + addresses;
  }
}
