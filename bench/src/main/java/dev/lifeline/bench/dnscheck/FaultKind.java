package dev.lifeline.bench.dnscheck;

import dev.lifeline.testkit.dns.FakeDnsPod;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The faults the benchmark injects, each made real by the harness: iptables drops, SIGSTOP, other
 * data, a refusing upstream, a latency relay. {@link #inject} returns once the fault is in force;
 * {@link #heal} undoes it.
 */
enum FaultKind {
  /** iptables drops the pod's UDP; TCP still answers. */
  UDP_SILENT("pod silent over UDP (iptables drops UDP, TCP answers)", true, true, true),
  /** SIGSTOP: the process answers nothing, UDP or TCP; the port stays open. */
  POD_FROZEN("whole pod silent (SIGSTOP)", true, false, true),
  /** The pod answers {@code kubernetes.default} with another address. */
  WRONG_ANSWER(
      "wrong answer (kubernetes.default = " + BenchCluster.WRONG_ADDRESS + ")", true, false, false),
  /** The pod answers SERVFAIL for the cluster domain (its upstream refuses). */
  SERVFAIL("SERVFAIL (the pod's upstream refuses)", true, false, false),
  /** Every answer of the pod comes {@link #SLOW_DELAY} late, above the probe timeout. */
  SLOW("slow pod (+400 ms per answer)", true, false, true),
  /** iptables drops UDP and TCP to the Service IP; every pod still answers. */
  SERVICE_SILENT("Service IP silent (iptables drops UDP and TCP to it)", false, true, true);

  /** The latency of a slow pod: above the default 250 ms probe timeout. */
  static final Duration SLOW_DELAY = Duration.ofMillis(400);

  /**
   * The latency a pod that will be slowed carries beforehand: it already sits behind the relay, so
   * that slowing it is one assignment (moving a server behind the relay restarts it, which would be
   * a fault of its own).
   */
  static final Duration RELAY_BASELINE = Duration.ofMillis(1);

  private final String description;
  private final boolean podFault;
  private final boolean needsRoot;
  private final boolean silence;

  FaultKind(String description, boolean podFault, boolean needsRoot, boolean silence) {
    this.description = description;
    this.podFault = podFault;
    this.needsRoot = needsRoot;
    this.silence = silence;
  }

  String description() {
    return description;
  }

  /** Whether it is a fault of one pod (the Service fault is not, and no restart can fix it). */
  boolean isPodFault() {
    return podFault;
  }

  /** Whether it needs iptables (root). */
  boolean needsRoot() {
    return needsRoot;
  }

  /**
   * Whether probes meet silence (timeouts) rather than an answer: the worst case is then {@code
   * worstCaseSilentDetection}, else {@code worstCaseWrongAnswerDetection}.
   */
  boolean isSilence() {
    return silence;
  }

  /** The kinds this process can inject: all as root, otherwise those without iptables. */
  static List<FaultKind> available(boolean root) {
    return Arrays.stream(values()).filter(k -> root || !k.needsRoot).toList();
  }

  /** The pod kinds this process can inject. */
  static List<FaultKind> availablePodFaults(boolean root) {
    return available(root).stream().filter(FaultKind::isPodFault).toList();
  }

  /**
   * Puts the fault in force on {@code pod} (ignored for {@link #SERVICE_SILENT}); returns when the
   * harness has applied it.
   */
  void inject(BenchCluster c, FakeDnsPod pod) {
    switch (this) {
      case UDP_SILENT -> c.dns.faults().dropUdp(pod.ip(), c.port());
      case POD_FROZEN -> pod.freeze();
      case WRONG_ANSWER -> pod.serve(c.wrongRecords());
      case SERVFAIL -> pod.serveFailure();
      case SLOW -> pod.slow(SLOW_DELAY);
      case SERVICE_SILENT -> {
        c.dns.faults().dropUdp(c.serviceIp(), c.port());
        c.dns.faults().dropTcp(c.serviceIp(), c.port());
      }
    }
  }

  /** Undoes {@link #inject}; a slow pod keeps the relay, at {@link #RELAY_BASELINE}. */
  void heal(BenchCluster c, FakeDnsPod pod) {
    switch (this) {
      case UDP_SILENT, SERVICE_SILENT -> c.dns.faults().clear();
      case POD_FROZEN -> pod.thaw();
      case WRONG_ANSWER, SERVFAIL -> pod.serve(c.dns.records());
      case SLOW -> pod.slow(RELAY_BASELINE);
    }
  }

  /** Readies {@code pod} before the checker or the trial starts (a relay for {@link #SLOW}). */
  void prepare(FakeDnsPod pod) {
    if (this == SLOW) {
      pod.slow(RELAY_BASELINE);
    }
  }
}
