package dev.lifeline.dnscheck.internal.remediation;

import dev.lifeline.dnscheck.internal.PodRef;
import java.util.concurrent.CompletableFuture;

/** Restarts a pod through the API, off the check loop's thread. */
@FunctionalInterface
public interface PodRestarter {
  /**
   * Evicts (or deletes, if so configured) exactly this pod (its UID), if this replica still leads.
   *
   * @return completes with the outcome, never exceptionally
   */
  CompletableFuture<RestartOutcome> restart(PodRef pod);
}
