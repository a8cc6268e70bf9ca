package dev.lifeline.dnscheck.internal.probe;

import java.util.List;
import java.util.Objects;
import org.xbill.DNS.Rcode;

/**
 * How one probe ended.
 *
 * @param request the probe
 * @param outcome OK or the failure
 * @param detail for people: what was wrong (null when OK); names every attempt's failure
 * @param attempts how many attempts were sent
 * @param latencyNanos the round trip of the attempt that got the judged reply, or -1 if none
 * @param rcode the judged reply's response code, or -1 if none
 * @param answers the judged reply's answer data of the queried type
 * @param startedNanos when the first attempt was sent (the prober's ticker)
 * @param finishedNanos when the probe ended (the prober's ticker)
 */
public record ProbeResult(
    ProbeRequest request,
    Outcome outcome,
    String detail,
    int attempts,
    long latencyNanos,
    int rcode,
    List<String> answers,
    long startedNanos,
    long finishedNanos) {

  public ProbeResult {
    Objects.requireNonNull(request);
    Objects.requireNonNull(outcome);
    answers = List.copyOf(answers);
  }

  public boolean isSuccess() {
    return outcome.isSuccess();
  }

  /** Whether a first attempt was lost and a retry succeeded. */
  public boolean recoveredByRetry() {
    return outcome.isSuccess() && attempts > 1;
  }

  /** One line of evidence: {@code <query>: <outcome> (<detail>) after N attempts}. */
  public String evidence() {
    StringBuilder sb = new StringBuilder(request.describe()).append(": ").append(outcome.label());
    if (rcode >= 0 && outcome.isSuccess()) {
      sb.append(' ').append(Rcode.string(rcode));
    }
    if (detail != null) {
      sb.append(" (").append(detail).append(')');
    }
    if (attempts > 1) {
      sb.append(", ").append(attempts).append(" attempts");
    }
    return sb.toString();
  }
}
