package dev.lifeline.dnscheck;

import java.util.Locale;

/**
 * How the checker reaches the cluster's DNS, in order of preference (seed 004's four ways).
 *
 * <p>{@code auto} picks the first that works: in-cluster when running in a pod or when the pod and
 * Service IPs answer from where the checker runs; else a helper pod if it may create pods and read
 * their logs; else an exposed port if a NodePort or LoadBalancer Service exposes the DNS pods; else
 * port-forward.
 */
public enum DeploymentMode {
  /**
   * Probes go straight to the Service IP and every pod IP, over UDP and TCP: the checker runs in a
   * pod, or on a host that routes to the pod and Service networks (a node).
   */
  IN_CLUSTER(
      "in-cluster",
      "sees the Service IP and every DNS pod over UDP and TCP, as a pod in the cluster does",
      "nothing that a pod would see; from a node, not the pod network's own path"),
  /**
   * From outside: a short-lived pod runs the same probes inside the cluster network and reports
   * through its logs, then is deleted.
   */
  HELPER_POD(
      "helper-pod",
      "sees the Service IP and every DNS pod over UDP and TCP from one pod in the cluster",
      "failures faster than a helper pod's round trip (seconds); a fault of the helper's own node"
          + " looks like a fault of every DNS pod"),
  /** From outside: probes go to a NodePort or LoadBalancer Service that exposes the DNS port. */
  EXPOSED_PORT(
      "exposed-port",
      "sees whether the exposed DNS answers, over UDP and TCP, through the nodes or the load"
          + " balancer",
      "individual pods: a failing pod shows only as a share of failed probes; nothing is"
          + " restarted"),
  /** From outside: probes go through the API server's port-forward to each pod, TCP only. */
  PORT_FORWARD(
      "port-forward",
      "sees every DNS pod over TCP through the API server",
      "UDP (port-forward carries TCP only: a pod that stops answering UDP looks healthy), and the"
          + " Service IP");

  private final String label;
  private final String sees;
  private final String cannotSee;

  DeploymentMode(String label, String sees, String cannotSee) {
    this.label = label;
    this.sees = sees;
    this.cannotSee = cannotSee;
  }

  /** The name used in flags and output: {@code in-cluster}, {@code helper-pod}, ... */
  public String label() {
    return label;
  }

  /** What probes in this mode can see. */
  public String sees() {
    return sees;
  }

  /** What probes in this mode cannot see. */
  public String cannotSee() {
    return cannotSee;
  }

  /**
   * Parses a mode's label (any case).
   *
   * @throws IllegalArgumentException naming the value and the choices
   */
  public static DeploymentMode parse(String value) {
    String v = value.strip().toLowerCase(Locale.ROOT);
    for (DeploymentMode m : values()) {
      if (m.label.equals(v)) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "mode was '" + value + "'; use auto, in-cluster, helper-pod, exposed-port or port-forward");
  }
}
