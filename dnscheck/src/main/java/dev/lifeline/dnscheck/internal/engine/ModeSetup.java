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
 * @param executor sends the probes (directly, or through a port-forward); null in batch mode
 * @param batch runs whole batches elsewhere (a helper pod) instead, or null
 * @param planner the targets for a topology
 * @param transports the transports the mode can use
 * @param remediationAllowed whether failures can be attributed to pods (in-cluster, helper pod)
 * @param notes what else the reader should know about the mode
 * @param selection how the mode was chosen: one line per mode considered, {@code helper-pod:
 *     skipped: this user may not create pods in default}
 */
public record ModeSetup(
    DeploymentMode mode,
    String reason,
    ProbeExecutor executor,
    BatchProber batch,
    TargetPlanner planner,
    Set<Transport> transports,
    boolean remediationAllowed,
    List<String> notes,
    List<String> selection) {
  public ModeSetup {
    Objects.requireNonNull(mode);
    Objects.requireNonNull(reason);
    if ((executor == null) == (batch == null)) {
      throw new IllegalArgumentException("a mode probes either one by one or in batches");
    }
    Objects.requireNonNull(planner);
    transports = Set.copyOf(transports);
    notes = List.copyOf(notes);
    selection = List.copyOf(selection);
  }

  /** A mode without a selection trail yet. */
  public ModeSetup(
      DeploymentMode mode,
      String reason,
      ProbeExecutor executor,
      BatchProber batch,
      TargetPlanner planner,
      Set<Transport> transports,
      boolean remediationAllowed,
      List<String> notes) {
    this(mode, reason, executor, batch, planner, transports, remediationAllowed, notes, List.of());
  }

  /** The same with the trail of the selection that chose it, and notes added. */
  public ModeSetup chosen(List<String> trail, List<String> moreNotes) {
    List<String> all = new java.util.ArrayList<>(notes);
    all.addAll(moreNotes);
    return new ModeSetup(
        mode, reason, executor, batch, planner, transports, remediationAllowed, all, trail);
  }

  /** Whether probes run in batches elsewhere (a helper pod). */
  public boolean isBatch() {
    return batch != null;
  }
}
