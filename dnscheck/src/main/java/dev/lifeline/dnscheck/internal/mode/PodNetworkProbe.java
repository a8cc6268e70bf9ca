package dev.lifeline.dnscheck.internal.mode;

import dev.lifeline.dnscheck.Check;
import dev.lifeline.dnscheck.DnsCheckConfig;
import dev.lifeline.dnscheck.Transport;
import dev.lifeline.dnscheck.internal.Target;
import dev.lifeline.dnscheck.internal.cluster.DnsTopology;
import dev.lifeline.dnscheck.internal.engine.DirectTargets;
import dev.lifeline.dnscheck.internal.engine.ResolvedCheck;
import dev.lifeline.dnscheck.internal.probe.DnsProber;
import dev.lifeline.dnscheck.internal.probe.Outcome;
import dev.lifeline.dnscheck.internal.probe.ProbeRequest;
import dev.lifeline.dnscheck.internal.probe.ProbeResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;

/**
 * Whether the DNS pods (or the Service IP) answer a query from where the checker runs, rightly or
 * not: any reply shows that this host routes to the pod network (a node, or a host with routes to
 * it), so the in-cluster mode can probe directly.
 */
public final class PodNetworkProbe implements ModeSelector.Reachability {
  private final DnsCheckConfig config;
  private final DnsProber prober;

  public PodNetworkProbe(DnsCheckConfig config, DnsProber prober) {
    this.config = config;
    this.prober = prober;
  }

  @Override
  public boolean answersFromHere(DnsTopology topology) {
    List<Target> targets =
        new DirectTargets(EnumSet.of(Transport.UDP), config.dnsPort()).targets(topology);
    if (targets.isEmpty()) {
      return false;
    }
    ResolvedCheck check =
        ResolvedCheck.of(
            Check.builder("reachability", "kubernetes.default.svc.{domain}").build(),
            topology.clusterDomain(),
            config.timeout(),
            EnumSet.of(Transport.UDP),
            RandomGenerator.of("L64X128MixRandom"));
    Duration timeout = config.timeout().multipliedBy(2);
    List<CompletableFuture<ProbeResult>> probes = new ArrayList<>();
    for (Target t : targets) {
      probes.add(
          prober.probe(
              new ProbeRequest(
                  check.name(),
                  t.address(),
                  Transport.UDP,
                  check.qname().get(),
                  check.qtype(),
                  check.expectation(),
                  timeout,
                  config.retries() + 1)));
    }
    for (CompletableFuture<ProbeResult> f : probes) {
      ProbeResult r = f.join();
      if (r.outcome() != Outcome.TIMEOUT && r.outcome() != Outcome.NETWORK_ERROR) {
        return true;
      }
    }
    return false;
  }
}
