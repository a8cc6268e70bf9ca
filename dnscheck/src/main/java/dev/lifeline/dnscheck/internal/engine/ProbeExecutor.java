package dev.lifeline.dnscheck.internal.engine;

import dev.lifeline.dnscheck.internal.probe.ProbeRequest;
import dev.lifeline.dnscheck.internal.probe.ProbeResult;
import java.util.concurrent.CompletableFuture;

/**
 * Runs probes: the {@link dev.lifeline.dnscheck.internal.probe.DnsProber} from where the checker
 * runs, or a port-forward in front of it.
 */
@FunctionalInterface
public interface ProbeExecutor {
  /** Sends a probe; the future completes with its result (exceptionally only on shutdown). */
  CompletableFuture<ProbeResult> probe(ProbeRequest request);
}
