package dev.lifeline.testkit.internal.control;

import dev.lifeline.testkit.ClusterIpListener;
import dev.lifeline.testkit.LoadBalancerSpec;
import dev.lifeline.testkit.RootRequirement;
import dev.lifeline.testkit.internal.forward.BalancedBackends;
import dev.lifeline.testkit.internal.forward.EndpointSliceBackends;
import dev.lifeline.testkit.internal.forward.TcpForwarder;
import dev.lifeline.testkit.internal.forward.TcpHealthChecks;
import dev.lifeline.testkit.internal.host.LoopbackAddress;
import dev.lifeline.testkit.internal.store.ObjectStore;
import io.netty.channel.EventLoopGroup;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The listeners in front of the instances: the ClusterIP listener (kube-proxy's stand-in, choosing
 * from the EndpointSlice) and the load balancer (a static list of instances). Started and closed by
 * the control plane, which serializes those calls; the accessors are thread-safe.
 */
final class ServiceListeners implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ServiceListeners.class.getName());
  private static final String LOOPBACK = "127.0.0.1";

  private final ControlPlaneSettings settings;
  private final ObjectStore store;
  private final EventLoopGroup io;
  private volatile TcpForwarder service;
  private volatile TcpForwarder balancer;
  private TcpHealthChecks checks;
  private boolean holdsClusterIp;

  ServiceListeners(ControlPlaneSettings settings, ObjectStore store, EventLoopGroup io) {
    this.settings = settings;
    this.store = store;
    this.io = io;
  }

  /**
   * The addresses the listeners may answer on, which the serving certificate must carry (the
   * ClusterIP is always in it).
   */
  static List<String> certificateAddresses(ControlPlaneSettings settings) {
    List<String> out = new ArrayList<>();
    if (settings.clusterIpListener() != ClusterIpListener.NONE) {
      out.add(LOOPBACK);
    }
    if (settings.loadBalancer() != null) {
      out.add(settings.loadBalancer().address());
    }
    return out;
  }

  /**
   * Binds the load balancer (if any) in front of the instances now bound on {@code port}; part of
   * the instances' bind attempt when it shares their port, so a collision retries the whole set.
   */
  void bindLoadBalancer(List<InetAddress> instanceAddresses, int port) throws BindException {
    LoadBalancerSpec spec = settings.loadBalancer();
    if (spec == null) {
      return;
    }
    List<InetSocketAddress> servers = new ArrayList<>();
    for (InetAddress a : instanceAddresses) {
      servers.add(new InetSocketAddress(a, port));
    }
    TcpHealthChecks healthChecks =
        spec.checkInterval() == null
            ? null
            : new TcpHealthChecks(servers, io, spec.checkInterval(), spec.fall(), spec.rise());
    TcpForwarder lb =
        new TcpForwarder(
            "load balancer",
            io,
            new BalancedBackends(servers, spec.strategy(), healthChecks),
            false);
    lb.bind(new InetSocketAddress(literal(spec.address()), spec.port() == 0 ? port : spec.port()));
    balancer = lb;
    checks = healthChecks;
  }

  /** Undoes {@link #bindLoadBalancer} after a failed bind attempt. */
  void unbindLoadBalancer() {
    TcpForwarder lb = balancer;
    balancer = null;
    checks = null;
    if (lb != null) {
      lb.close();
    }
  }

  /** Starts the health checks and the ClusterIP listener, once every instance serves. */
  void start() {
    if (checks != null) {
      checks.start();
    }
    ClusterIpListener mode = settings.clusterIpListener();
    if (mode == ClusterIpListener.NONE) {
      return;
    }
    TcpForwarder forwarder =
        new TcpForwarder(
            "ClusterIP listener",
            io,
            new EndpointSliceBackends(
                store, EndpointReconciler.NAMESPACE, EndpointReconciler.SERVICE, "https"),
            true);
    if (mode == ClusterIpListener.CLUSTER_IP && bindClusterIp(forwarder)) {
      service = forwarder;
      return;
    }
    try {
      forwarder.bind(new InetSocketAddress(literal(LOOPBACK), 0));
    } catch (BindException e) {
      throw new IllegalStateException("the ClusterIP listener could not listen on 127.0.0.1", e);
    }
    service = forwarder;
  }

  private boolean bindClusterIp(TcpForwarder forwarder) {
    String ip = settings.clusterIp();
    if (!RootRequirement.isRoot() || !RootRequirement.hasCommand("ip")) {
      LOG.log(
          System.Logger.Level.DEBUG,
          () -> "not root (or no ip command): the ClusterIP listener falls back to 127.0.0.1");
      return false;
    }
    try {
      LoopbackAddress.acquire(ip);
      holdsClusterIp = true;
      forwarder.bind(new InetSocketAddress(literal(ip), 443));
      return true;
    } catch (IllegalStateException | BindException e) {
      LOG.log(
          System.Logger.Level.INFO,
          "the ClusterIP listener cannot listen on "
              + ip
              + ":443 ("
              + e.getMessage()
              + "); it listens on 127.0.0.1 instead");
      releaseClusterIp();
      return false;
    }
  }

  private void releaseClusterIp() {
    if (holdsClusterIp) {
      holdsClusterIp = false;
      LoopbackAddress.release(settings.clusterIp());
    }
  }

  Optional<InetSocketAddress> serviceAddress() {
    TcpForwarder f = service;
    return f == null ? Optional.empty() : Optional.ofNullable(f.address());
  }

  Optional<InetSocketAddress> loadBalancerAddress() {
    TcpForwarder f = balancer;
    return f == null ? Optional.empty() : Optional.ofNullable(f.address());
  }

  /** The backend a client connection to either listener was forwarded to. */
  Optional<InetSocketAddress> backendOf(int clientPort) {
    for (TcpForwarder f : new TcpForwarder[] {service, balancer}) {
      if (f != null) {
        Optional<InetSocketAddress> b = f.backendOf(clientPort);
        if (b.isPresent()) {
          return b;
        }
      }
    }
    return Optional.empty();
  }

  /** Closes both listeners and their connections, then gives the ClusterIP back. Idempotent. */
  @Override
  public void close() {
    if (checks != null) {
      checks.close();
    }
    TcpForwarder s = service;
    service = null;
    if (s != null) {
      s.close();
    }
    unbindLoadBalancer();
    releaseClusterIp();
  }

  private static InetAddress literal(String ip) {
    try {
      return InetAddress.getByName(ip);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP literal: " + ip, e);
    }
  }
}
