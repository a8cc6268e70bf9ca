package dev.lifeline.dnscheck;

import dev.lifeline.client.KubeClient;
import dev.lifeline.dnscheck.internal.RealDnsCheck;
import java.util.OptionalInt;

/**
 * The cluster DNS health checker.
 *
 * <p>{@link #start} runs the daemon: it finds the DNS Service and its pods through the API and
 * follows them, probes the Service IP and every pod over UDP and TCP every interval, judges each
 * from a sliding window, restarts a failing pod through the Eviction API under the guards of the
 * configuration (only while holding the lease, if leader election is on), records Kubernetes
 * Events, and serves Prometheus metrics. {@link #once} probes a few rounds, restarts nothing and
 * returns the report.
 *
 * <p>Threads: one probe thread for every socket, one check loop, one remediation thread, one
 * leader-election thread, the client's informers and the metrics server (see {@code
 * CONCURRENCY.md}). Thread-safe.
 */
public interface DnsCheck extends AutoCloseable {
  /**
   * Starts the daemon.
   *
   * @param config the settings
   * @param client the API client; the checker does not close it
   * @param listener hears probes, verdicts, decisions and alerts ({@link DnsCheckListener#NONE})
   * @throws DnsCheckException when the DNS Service cannot be found or read, or no mode can reach
   *     the cluster's DNS
   */
  static DnsCheck start(DnsCheckConfig config, KubeClient client, DnsCheckListener listener) {
    return RealDnsCheck.start(config, client, listener);
  }

  /**
   * Probes {@code once-rounds} rounds and reports; restarts nothing and writes nothing to the API.
   *
   * @throws DnsCheckException as {@link #start}
   */
  static DnsCheckReport once(DnsCheckConfig config, KubeClient client, DnsCheckListener listener) {
    return RealDnsCheck.once(config, client, listener);
  }

  /** The state of every target now. */
  DnsCheckReport report();

  /** The deployment mode in use. */
  DeploymentMode mode();

  /** Whether this replica may act (holds the lease, or leader election is off). */
  boolean isLeader();

  /** The port metrics are served on, if they are. */
  OptionalInt metricsPort();

  /** Stops probing, releases the lease, stops the metrics server. Idempotent. */
  @Override
  void close();
}
