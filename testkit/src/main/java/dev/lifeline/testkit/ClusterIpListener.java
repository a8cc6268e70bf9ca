package dev.lifeline.testkit;

/**
 * Whether the fake control plane runs a stand-in for kube-proxy in front of the {@code kubernetes}
 * Service: a TCP listener that forwards each new connection to a random endpoint of the {@code
 * default/kubernetes} EndpointSlice at that moment, as kube-proxy's iptables DNAT does (no health
 * checks; an endpoint leaves the rotation only when it leaves the EndpointSlice; an established
 * connection keeps its backend). Clients find it with {@link FakeControlPlane#serviceAddress()} or
 * {@link KubeconfigWriter#serverByService()}.
 */
public enum ClusterIpListener {
  /** No listener (the default: it costs nothing when unused and changes nothing on the host). */
  NONE,
  /** On 127.0.0.1 and an ephemeral port. Needs no root and changes nothing on the host. */
  LOOPBACK,
  /**
   * On the ClusterIP and port 443, as in-cluster clients reach the apiserver ({@code
   * https://10.96.0.1:443}). Needs root and the {@code ip} command: the ClusterIP is added to
   * {@code lo} (labelled {@code lo:lltk}; an address already there is used as it is) for as long as
   * a control plane of this JVM uses it, and removed on close and on JVM exit unless another
   * process still listens on it. Without root, or when another process already listens on
   * ClusterIP:443, the listener falls back to {@link #LOOPBACK}; read the address from {@link
   * FakeControlPlane#serviceAddress()}.
   */
  CLUSTER_IP
}
