package dev.lifeline.dnscheck.internal.engine;

import dev.lifeline.dnscheck.DnsCheckListener;
import java.util.List;
import java.util.function.Consumer;

/** Calls several listeners; a listener that throws is logged, never fatal. */
public final class SafeListener implements DnsCheckListener {
  private static final System.Logger LOG = System.getLogger(SafeListener.class.getName());

  private final List<DnsCheckListener> listeners;

  public SafeListener(List<DnsCheckListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  private void each(String what, Consumer<DnsCheckListener> call) {
    for (DnsCheckListener l : listeners) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        LOG.log(
            System.Logger.Level.WARNING,
            "listener " + l.getClass().getName() + " failed on " + what + "; ignored",
            e);
      }
    }
  }

  @Override
  public void probeCompleted(ProbeEvent event) {
    each("probeCompleted", l -> l.probeCompleted(event));
  }

  @Override
  public void verdictChanged(VerdictEvent event) {
    each("verdictChanged", l -> l.verdictChanged(event));
  }

  @Override
  public void remediation(RemediationEvent event) {
    each("remediation", l -> l.remediation(event));
  }

  @Override
  public void alert(AlertEvent event) {
    each("alert", l -> l.alert(event));
  }

  @Override
  public void targetsChanged(List<String> targetIds) {
    each("targetsChanged", l -> l.targetsChanged(targetIds));
  }
}
