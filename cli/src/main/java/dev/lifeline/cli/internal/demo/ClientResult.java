package dev.lifeline.cli.internal.demo;

import java.util.List;
import java.util.OptionalLong;

/**
 * One client's numbers at the end of the demo.
 *
 * @param label {@code with Lifeline} or {@code without Lifeline}
 * @param longestGapNanos the longest time without a successful answer (see {@link
 *     RequestStats#longestGapNanos})
 * @param succeeded requests answered successfully
 * @param failed requests that failed after the client's own retries
 * @param unanswered requests still waiting when the demo ended
 * @param slowestNanos the longest a request took
 * @param recoveries per fault, in order: how long after it the first request sent after it was
 *     answered (empty when none was)
 * @param watch the watch compared with the store's history
 * @param watchResumes watches reopened after the first
 * @param relists relists after a 410
 */
public record ClientResult(
    String label,
    long longestGapNanos,
    long succeeded,
    long failed,
    long unanswered,
    long slowestNanos,
    List<OptionalLong> recoveries,
    WatchAudit.Result watch,
    int watchResumes,
    int relists) {

  /** Copies the list. */
  public ClientResult {
    recoveries = List.copyOf(recoveries);
  }
}
