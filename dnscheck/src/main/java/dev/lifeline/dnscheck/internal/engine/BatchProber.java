package dev.lifeline.dnscheck.internal.engine;

import dev.lifeline.dnscheck.internal.Target;
import dev.lifeline.dnscheck.internal.probe.ProbeResult;
import dev.lifeline.dnscheck.internal.verdict.StreamKey;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Runs rounds of probes somewhere else and returns all results at once: the helper-pod mode, where
 * a short-lived pod probes from inside the cluster network and reports through its logs.
 */
public interface BatchProber {
  /**
   * Probes every target with every check, {@code rounds} times.
   *
   * @return the results, or an exception saying why the batch failed (it runs off the caller's
   *     thread)
   */
  CompletableFuture<List<Result>> run(List<Target> targets, List<ResolvedCheck> checks, int rounds);

  /**
   * One result of a batch.
   *
   * @param targetId the target's id
   * @param stream the check and transport
   * @param result the probe's result
   */
  record Result(String targetId, StreamKey stream, ProbeResult result) {}
}
