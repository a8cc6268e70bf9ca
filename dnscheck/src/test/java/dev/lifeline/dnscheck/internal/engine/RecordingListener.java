package dev.lifeline.dnscheck.internal.engine;

import dev.lifeline.dnscheck.DnsCheckListener;
import dev.lifeline.dnscheck.Verdict;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records verdict changes, remediation decisions and alerts, with the time they came. */
final class RecordingListener implements DnsCheckListener {
  record Change(String target, Verdict verdict, long atNanos, List<String> evidence) {}

  final List<Change> changes = new CopyOnWriteArrayList<>();
  final List<RemediationEvent> remediations = new CopyOnWriteArrayList<>();
  final List<AlertEvent> alerts = new CopyOnWriteArrayList<>();
  final List<ProbeEvent> probes = new CopyOnWriteArrayList<>();

  @Override
  public void verdictChanged(VerdictEvent e) {
    changes.add(new Change(e.targetId(), e.current(), System.nanoTime(), e.evidence()));
  }

  @Override
  public void remediation(RemediationEvent e) {
    remediations.add(e);
  }

  @Override
  public void alert(AlertEvent e) {
    alerts.add(e);
  }

  @Override
  public void probeCompleted(ProbeEvent e) {
    probes.add(e);
  }

  /** When {@code target} was first judged {@code verdict} at or after {@code since}, or -1. */
  long firstAfter(String target, Verdict verdict, long since) {
    for (Change c : changes) {
      if (c.target().equals(target) && c.verdict() == verdict && c.atNanos() >= since) {
        return c.atNanos();
      }
    }
    return -1;
  }

  boolean everFailing(String target, long since) {
    return firstAfter(target, Verdict.FAILING, since) >= 0;
  }
}
