package dev.lifeline.bench.dnscheck;

import dev.lifeline.testkit.dns.Executables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts what the harness's random drops really drop: four rules without a target at the head of
 * its chain count every DNS packet (UDP and TCP, to port 53 and from it) before the drop rules see
 * it; the drop rules' own counters say how many were dropped. Reading both from {@code iptables -v
 * -S} gives the injected loss rate per protocol and direction. Root only. The harness's {@code
 * clear()} flushes these rules with its own.
 */
final class IptablesCounters {
  private static final Pattern RULE =
      Pattern.compile("-A (\\S+) (.*?)-c (\\d+) (\\d+)(?: -j (\\S+))?\\s*");

  /** A protocol and direction of DNS packets. */
  enum Flow {
    UDP_QUERIES("udp", "--dport"),
    UDP_REPLIES("udp", "--sport"),
    TCP_TO_SERVER("tcp", "--dport"),
    TCP_FROM_SERVER("tcp", "--sport");

    private final String protocol;
    private final String portOption;

    Flow(String protocol, String portOption) {
      this.protocol = protocol;
      this.portOption = portOption;
    }

    String label() {
      return protocol + (portOption.equals("--dport") ? " to :53" : " from :53");
    }

    static Flow of(String ruleSpec) {
      for (Flow f : values()) {
        if (ruleSpec.contains("-p " + f.protocol + " ") && ruleSpec.contains(f.portOption + " ")) {
          return f;
        }
      }
      return null;
    }
  }

  /** Packets seen and dropped in one flow. */
  record Count(long seen, long dropped) {
    double rate() {
      return seen == 0 ? 0 : (double) dropped / seen;
    }
  }

  private final String iptables;
  private final String chain;

  private IptablesCounters(String iptables, String chain) {
    this.iptables = iptables;
    this.chain = chain;
  }

  /**
   * Inserts the counting rules at the head of {@code chain}, for DNS on {@code port}.
   *
   * @throws IllegalStateException when iptables fails (not root, no such chain)
   */
  static IptablesCounters install(String chain, int port) {
    IptablesCounters c =
        new IptablesCounters(Executables.require("iptables", "iptables").toString(), chain);
    for (Flow f : Flow.values()) {
      c.run("-I", chain, "1", "-p", f.protocol, f.portOption, Integer.toString(port));
    }
    return c;
  }

  /** The counts now, per flow. */
  Map<Flow, Count> read() {
    return parse(run("-v", "-S", chain), chain);
  }

  /** Parses {@code iptables -v -S CHAIN}: counting rules are seen, DROP rules dropped. */
  static Map<Flow, Count> parse(String output, String chain) {
    Map<Flow, long[]> sums = new EnumMap<>(Flow.class);
    for (String line : output.split("\n")) {
      Matcher m = RULE.matcher(line.strip());
      if (!m.matches() || !m.group(1).equals(chain)) {
        continue;
      }
      Flow f = Flow.of(m.group(2));
      if (f == null) {
        continue;
      }
      long[] s = sums.computeIfAbsent(f, k -> new long[2]);
      long packets = Long.parseLong(m.group(3));
      if (m.group(5) == null) {
        s[0] += packets;
      } else if (m.group(5).equals("DROP") && m.group(2).contains("statistic")) {
        s[1] += packets;
      }
    }
    Map<Flow, Count> out = new EnumMap<>(Flow.class);
    sums.forEach((f, s) -> out.put(f, new Count(s[0], s[1])));
    return out;
  }

  private String run(String... args) {
    List<String> cmd = new ArrayList<>(List.of(iptables, "-w"));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int exit = p.waitFor();
      if (exit != 0) {
        throw new IllegalStateException(
            String.join(" ", cmd) + " failed (exit " + exit + "): " + out.strip());
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", cmd), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running iptables", e);
    }
  }

  /** {@code udp to :53 5.01 % of 12,345} for each flow. */
  static String describe(Map<Flow, Count> counts) {
    List<String> parts = new ArrayList<>();
    counts.forEach(
        (f, c) ->
            parts.add(
                String.format(
                    Locale.ROOT, "%s %.2f %% of %,d", f.label(), 100 * c.rate(), c.seen())));
    return String.join(", ", parts);
  }
}
