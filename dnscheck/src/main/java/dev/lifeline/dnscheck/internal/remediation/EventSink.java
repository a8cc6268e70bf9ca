package dev.lifeline.dnscheck.internal.remediation;

import dev.lifeline.dnscheck.internal.PodRef;

/**
 * Records Kubernetes Events about the checker's decisions. Implementations must not block the
 * caller and must not fail it: a lost event is logged.
 */
public interface EventSink {
  /** An Event that never reaches the API (a dry run writes nothing). */
  EventSink NONE =
      new EventSink() {
        @Override
        public void onPod(PodRef pod, boolean warning, String reason, String message) {}

        @Override
        public void onService(boolean warning, String reason, String message) {}
      };

  /** An Event on a DNS pod. */
  void onPod(PodRef pod, boolean warning, String reason, String message);

  /** An Event on the DNS Service (alerts that concern no single pod). */
  void onService(boolean warning, String reason, String message);
}
