package dev.lifeline.dnscheck;

import java.util.Locale;
import java.util.Optional;

/**
 * Every setting of the checker, one vocabulary for flags ({@code --interval}), environment
 * variables ({@code LIFELINE_DNSCHECK_INTERVAL}) and the config file ({@code interval:}). Values
 * are parsed and validated by {@link DnsCheckConfig.Builder#set(DnsCheckSetting, String)}.
 */
public enum DnsCheckSetting {
  // Discovery
  DNS_NAMESPACE(
      "dns-namespace",
      "NAMESPACE",
      "kube-system",
      "Namespace of the cluster DNS Service and its pods."),
  DNS_SERVICE("dns-service", "NAME", "kube-dns", "Name of the cluster DNS Service."),
  DNS_SERVICE_SELECTOR(
      "dns-service-selector",
      "SELECTOR",
      null,
      "Find the DNS Service by this label selector (e.g. k8s-app=kube-dns) instead of by name."),
  DNS_POD_SELECTOR(
      "dns-pod-selector",
      "SELECTOR",
      null,
      "Label selector of the DNS pods; default: the Service's own selector. Every matching pod is"
          + " probed, ready or not."),
  COREFILE_CONFIGMAP(
      "corefile-configmap",
      "NAME",
      "coredns",
      "ConfigMap (in the DNS namespace) whose Corefile names the cluster domain."),
  CLUSTER_DOMAIN(
      "cluster-domain",
      "DOMAIN",
      null,
      "The cluster domain; default: read from the Corefile's kubernetes plugin, else cluster.local."),
  DNS_PORT(
      "dns-port",
      "PORT",
      null,
      "Port the DNS pods listen on; default: the Service's DNS target port (53)."),
  // Probes
  TRANSPORTS("transports", "LIST", "udp,tcp", "Transports to probe over: udp, tcp or both."),
  INTERVAL(
      "interval",
      "DURATION",
      "500ms",
      "Time between two probes of the same check, target and transport."),
  TIMEOUT("timeout", "DURATION", "250ms", "How long one attempt waits for its reply."),
  RETRIES(
      "retries",
      "N",
      "1",
      "Attempts after a lost one (a timeout), to tell loss from failure; a definite answer is never"
          + " retried."),
  KUBERNETES_CHECK(
      "kubernetes-check",
      "BOOL",
      "true",
      "Check that kubernetes.default.svc.<domain> resolves to the kubernetes Service's ClusterIP."),
  NXDOMAIN_CHECK(
      "nxdomain-check",
      "BOOL",
      "true",
      "Check that a random name in the cluster zone is NXDOMAIN."),
  CHECK(
      "check",
      "SPEC",
      null,
      "A user check, repeatable: name=N;query=Q[;type=T][;transports=udp,tcp][;expect=A,B]"
          + "[;pattern=REGEX][;rcodes=NOERROR,...][;allow-truncation=true][;timeout=D]."
          + " {domain} in the query is the cluster domain."),
  // Verdicts
  WINDOW("window", "N", "20", "Probe results kept per stream (check, transport, target)."),
  MIN_SAMPLES(
      "min-samples",
      "N",
      "10",
      "Results needed before the failure ratio applies or a stream is judged healthy."),
  FAILURE_RATIO(
      "failure-ratio",
      "SHARE",
      "0.5",
      "Share of failed results in the window that makes a stream failing."),
  CONSECUTIVE_FAILURES(
      "consecutive-failures", "N", "4", "Failures in a row that make a stream failing at once."),
  // Remediation
  DRY_RUN(
      "dry-run",
      "BOOL",
      "false",
      "Decide and report, restart nothing and write nothing to the API."),
  RESTART_METHOD(
      "restart-method",
      "METHOD",
      "evict",
      "evict (the Eviction API, honouring PodDisruptionBudgets) or delete (ignores them)."),
  POD_COOLDOWN(
      "pod-cooldown", "DURATION", "5m", "Least time between two restarts of the same pod."),
  EVICTION_RETRY(
      "eviction-retry",
      "DURATION",
      "30s",
      "Wait after a refused eviction before trying the pod again."),
  MAX_RESTARTS(
      "max-restarts", "N", "3", "Restarts allowed per restart-period (global rate limit)."),
  RESTART_PERIOD("restart-period", "DURATION", "10m", "The period of the global rate limit."),
  BACKOFF_INITIAL(
      "backoff-initial",
      "DURATION",
      "30s",
      "Least time between two restarts; doubles while restarts keep being needed."),
  BACKOFF_MAX(
      "backoff-max",
      "DURATION",
      "30m",
      "Longest time between two restarts; the backoff resets after twice this without a restart."),
  MAX_FAILING_SHARE(
      "max-failing-share",
      "SHARE",
      "0.5",
      "Above this share of failing DNS pods nothing is restarted and an alert is raised instead."),
  RESTART_DELAY(
      "restart-delay",
      "DURATION",
      "5s",
      "How long a pod must be failing before it is restarted, so that a failure of every pod shows"
          + " first."),
  // Leader election
  LEADER_ELECT(
      "leader-elect",
      "BOOL",
      "true",
      "Hold a Lease before acting, so that replicas never act twice."),
  LEASE_NAMESPACE(
      "lease-namespace",
      "NAMESPACE",
      null,
      "Namespace of the Lease; default: POD_NAMESPACE, else the DNS namespace."),
  LEASE_NAME("lease-name", "NAME", "lifeline-dnscheck", "Name of the Lease."),
  LEASE_DURATION("lease-duration", "DURATION", "15s", "How long a Lease holds without renewal."),
  RENEW_DEADLINE(
      "renew-deadline",
      "DURATION",
      "10s",
      "How long the leader tries to renew before it stops acting."),
  RETRY_PERIOD(
      "retry-period", "DURATION", "2s", "Time between two tries to acquire or renew the Lease."),
  IDENTITY(
      "identity",
      "NAME",
      null,
      "This replica's identity in the Lease; default: POD_NAME or the host name, plus a random suffix."),
  // Output
  METRICS_ADDRESS(
      "metrics-address",
      "HOST:PORT",
      "127.0.0.1:9753",
      "Where Prometheus metrics are served (loopback unless told otherwise), or 'off'."),
  ONCE_ROUNDS(
      "once-rounds",
      "N",
      null,
      "With --once: rounds of probes before the verdict; default: min-samples."),
  // Deployment modes
  MODE(
      "mode",
      "MODE",
      "auto",
      "auto, in-cluster, helper-pod, exposed-port or port-forward (see lifeline-dnscheck-modes(7))."),
  HELPER_IMAGE(
      "helper-image",
      "IMAGE",
      "ghcr.io/lifeline-dev/lifeline:latest",
      "Image of the helper pod (it runs 'lifeline dnscheck probe')."),
  HELPER_NAMESPACE("helper-namespace", "NAMESPACE", "default", "Namespace the helper pod runs in."),
  HELPER_TIMEOUT(
      "helper-timeout", "DURATION", "120s", "How long to wait for a helper pod to run and report."),
  EXPOSED_SERVICE(
      "exposed-service",
      "NAMESPACE/NAME",
      null,
      "The NodePort or LoadBalancer Service exposing DNS; default: one that selects the DNS pods.");

  private final String key;
  private final String valueLabel;
  private final String defaultValue;
  private final String description;

  DnsCheckSetting(String key, String valueLabel, String defaultValue, String description) {
    this.key = key;
    this.valueLabel = valueLabel;
    this.defaultValue = defaultValue;
    this.description = description;
  }

  /** The key in the config file and the flag without dashes: {@code interval}. */
  public String key() {
    return key;
  }

  /** The flag: {@code --interval}. */
  public String flag() {
    return "--" + key;
  }

  /** The environment variable: {@code LIFELINE_DNSCHECK_INTERVAL}. */
  public String environmentVariable() {
    return "LIFELINE_DNSCHECK_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  /** The placeholder for the value in help: {@code DURATION}. */
  public String valueLabel() {
    return valueLabel;
  }

  /** The default as text, or empty when it is derived (from the cluster, or another setting). */
  public Optional<String> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  /** One sentence for help and man pages. */
  public String description() {
    return description;
  }

  /** Whether the setting may be given several times (each adds a value). */
  public boolean isRepeatable() {
    return this == CHECK;
  }

  /** Whether the setting is a true/false switch (a bare flag means true). */
  public boolean isSwitch() {
    return "BOOL".equals(valueLabel);
  }

  /**
   * Finds a setting by key.
   *
   * @throws IllegalArgumentException naming the key
   */
  public static DnsCheckSetting byKey(String key) {
    for (DnsCheckSetting s : values()) {
      if (s.key.equals(key)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown setting '" + key + "'");
  }
}
