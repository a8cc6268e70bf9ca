package dev.lifeline.cli.internal.demo;

import java.nio.file.Path;
import java.util.List;

/**
 * What the demo measured.
 *
 * @param faults the faults, in order
 * @param withLifeline the client wired to the failover engine
 * @param withoutLifeline the same client without it
 * @param durationNanos the demo's wall time up to the summary
 * @param logFile where library logs went
 */
public record DemoResult(
    List<FaultRecord> faults,
    ClientResult withLifeline,
    ClientResult withoutLifeline,
    long durationNanos,
    Path logFile) {

  /** Copies the list. */
  public DemoResult {
    faults = List.copyOf(faults);
  }
}
