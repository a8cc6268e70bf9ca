package dev.lifeline.dnscheck.internal.agent;

import dev.lifeline.dnscheck.Check;
import dev.lifeline.dnscheck.Transport;
import dev.lifeline.dnscheck.internal.engine.ResolvedCheck;
import dev.lifeline.dnscheck.internal.probe.DnsProber;
import dev.lifeline.dnscheck.internal.probe.ProbeRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.random.RandomGenerator;

/**
 * What runs inside a helper pod: the same probes as the checker, from inside the cluster network,
 * reported as {@link AgentReport} lines on standard output.
 */
public final class ProbeAgent {
  /**
   * A target given to the agent.
   *
   * @param id the checker's id for it
   * @param address where to probe
   * @param transports what to probe over
   */
  public record AgentTarget(String id, InetSocketAddress address, Set<Transport> transports) {}

  private ProbeAgent() {}

  /**
   * Probes every target with every check, {@code rounds} times one {@code interval} apart, and
   * writes one line per probe and a final line.
   *
   * @return the number of probes
   */
  public static int run(
      List<AgentTarget> targets,
      List<Check> checks,
      int rounds,
      Duration interval,
      Duration timeout,
      int retries,
      PrintWriter out) {
    RandomGenerator random = RandomGenerator.of("L64X128MixRandom");
    List<ResolvedCheck> resolved = new ArrayList<>();
    for (Check c : checks) {
      // Names arrive with the domain already filled in.
      resolved.add(
          ResolvedCheck.of(
              c,
              "",
              c.timeout().orElse(timeout),
              c.transports().orElse(EnumSet.allOf(Transport.class)),
              random));
    }
    List<CompletableFuture<Void>> all = new ArrayList<>();
    int[] count = {0};
    try (DnsProber prober = DnsProber.start()) {
      long start = System.nanoTime();
      for (int round = 0; round < rounds; round++) {
        // Rounds keep their cadence from the start, not from the previous round's end.
        long due = start + interval.toNanos() * round;
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
          LockSupport.parkNanos(wait);
        }
        for (AgentTarget t : targets) {
          for (ResolvedCheck c : resolved) {
            for (Transport tr : c.transports()) {
              if (!t.transports().contains(tr)) {
                continue;
              }
              ProbeRequest req =
                  new ProbeRequest(
                      c.name(),
                      t.address(),
                      tr,
                      c.qname().get(),
                      c.qtype(),
                      c.expectation(),
                      c.timeout(),
                      retries + 1);
              all.add(
                  prober
                      .probe(req)
                      .thenAccept(
                          r -> {
                            synchronized (out) {
                              out.println(AgentReport.line(t.id(), r));
                              count[0]++;
                            }
                          }));
            }
          }
        }
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the prober: " + e.getMessage(), e);
    }
    synchronized (out) {
      out.println(AgentReport.doneLine(rounds, count[0]));
      out.flush();
    }
    return count[0];
  }
}
