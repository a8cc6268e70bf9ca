package dev.lifeline.dnscheck.internal.engine;

import dev.lifeline.dnscheck.DeploymentMode;
import dev.lifeline.dnscheck.Transport;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A chosen deployment mode, ready to run: how to probe, what to probe, and what to tell the reader.
 *
 * @param mode the mode
 * @param reason why it was chosen (configured, or what auto-detection found)
 * @param executor sends the probes (directly, or through a port-forward)
 * @param planner the targets for a topology
 * @param transports the transports the mode can use
 * @param remediationAllowed whether failures can be attributed to pods (in-cluster, helper pod)
 * @param notes what else the reader should know about the mode
 */
public record ModeSetup(
    DeploymentMode mode,
    String reason,
    ProbeExecutor executor,
    TargetPlanner planner,
    Set<Transport> transports,
    boolean remediationAllowed,
    List<String> notes) {
  public ModeSetup {
    Objects.requireNonNull(mode);
    Objects.requireNonNull(reason);
    Objects.requireNonNull(executor);
    Objects.requireNonNull(planner);
    transports = Set.copyOf(transports);
    notes = List.copyOf(notes);
  }
}
