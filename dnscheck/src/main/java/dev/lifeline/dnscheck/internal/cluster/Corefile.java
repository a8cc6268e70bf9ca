package dev.lifeline.dnscheck.internal.cluster;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads what the checker needs from a Corefile: the cluster domain (the first zone of the {@code
 * kubernetes} plugin that is not a reverse zone) and the addresses of {@code bind} directives
 * (NodeLocal DNSCache binds 169.254.20.10 and, in iptables mode, the DNS Service IP).
 */
public final class Corefile {
  private Corefile() {}

  /** The cluster domain without a trailing dot, if the Corefile has a kubernetes plugin. */
  public static Optional<String> clusterDomain(String corefile) {
    for (List<String> tokens : lines(corefile)) {
      if (!tokens.isEmpty() && tokens.get(0).equals("kubernetes")) {
        for (String zone : tokens.subList(1, tokens.size())) {
          if (zone.equals("{")) {
            break;
          }
          String z = zone.toLowerCase(Locale.ROOT);
          if (z.endsWith(".")) {
            z = z.substring(0, z.length() - 1);
          }
          if (!z.endsWith(".arpa") && !z.isEmpty()) {
            return Optional.of(z);
          }
        }
      }
    }
    return Optional.empty();
  }

  /** Every address named by a {@code bind} directive, in order of appearance. */
  public static List<String> bindAddresses(String corefile) {
    Set<String> out = new LinkedHashSet<>();
    for (List<String> tokens : lines(corefile)) {
      if (!tokens.isEmpty() && tokens.get(0).equals("bind")) {
        for (String a : tokens.subList(1, tokens.size())) {
          if (a.equals("{")) {
            break;
          }
          out.add(a);
        }
      }
    }
    return List.copyOf(out);
  }

  private static List<List<String>> lines(String corefile) {
    List<List<String>> out = new ArrayList<>();
    for (String line : corefile.split("\\R")) {
      int hash = line.indexOf('#');
      String l = (hash >= 0 ? line.substring(0, hash) : line).strip();
      if (l.isEmpty()) {
        continue;
      }
      out.add(List.of(l.split("\\s+")));
    }
    return out;
  }
}
