package dev.lifeline.dnscheck.internal.engine;

import dev.lifeline.dnscheck.internal.Target;
import dev.lifeline.dnscheck.internal.cluster.DnsTopology;
import java.util.List;

/** Turns the topology into the targets a deployment mode can probe. */
@FunctionalInterface
public interface TargetPlanner {
  /** The targets for this topology, in report order (the Service first, then the pods). */
  List<Target> targets(DnsTopology topology);
}
