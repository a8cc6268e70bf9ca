package dev.lifeline.testkit;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a fake control plane from the command line until interrupted:
 *
 * <pre>
 * java -cp lifeline-testkit.jar:... dev.lifeline.testkit.FakeControlPlaneMain \
 *     [--instances N] [--port P | --ephemeral-port] [--kubeconfig FILE] [--lease-ttl SECONDS]
 *     [--cluster-ip-listener none|loopback|cluster-ip] [--load-balancer ADDRESS]
 * </pre>
 *
 * <p>Writes a kubeconfig for {@code admin} (instance 0) when asked, prints the instances, and
 * closes cleanly on Ctrl-C. {@code lifeline demo} uses the library API directly.
 */
public final class FakeControlPlaneMain {
  private FakeControlPlaneMain() {}

  /**
   * Entry point.
   *
   * @param args see the class description
   */
  public static void main(String[] args) throws InterruptedException {
    PrintStream out = System.out;
    FakeControlPlane.Builder b = FakeControlPlane.builder();
    Path kubeconfig = null;
    ClusterIpListener serviceListener = ClusterIpListener.NONE;
    boolean loadBalancer = false;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--instances" -> b.instances(Integer.parseInt(value(args, ++i, "--instances")));
          case "--port" -> b.port(Integer.parseInt(value(args, ++i, "--port")));
          case "--ephemeral-port" -> b.ephemeralPort();
          case "--kubeconfig" -> kubeconfig = Path.of(value(args, ++i, "--kubeconfig"));
          case "--lease-ttl" -> {
            long s = Long.parseLong(value(args, ++i, "--lease-ttl"));
            b.endpointLease(Duration.ofSeconds(s), Duration.ofMillis(s * 1000 * 2 / 3));
          }
          case "--cluster-ip-listener" -> {
            serviceListener = listener(args, ++i);
            b.clusterIpListener(serviceListener);
          }
          case "--load-balancer" -> {
            b.loadBalancer(LoadBalancerSpec.on(value(args, ++i, "--load-balancer")));
            loadBalancer = true;
          }
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
    } catch (IllegalArgumentException e) {
      System.err.println("fake control plane: " + e.getMessage());
      System.err.println(
          "usage: FakeControlPlaneMain [--instances N] [--port P | --ephemeral-port]"
              + " [--kubeconfig FILE] [--lease-ttl SECONDS]"
              + " [--cluster-ip-listener none|loopback|cluster-ip] [--load-balancer ADDRESS]");
      System.exit(2);
      return;
    }
    FakeControlPlane cp = b.start();
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  cp.close();
                  done.countDown();
                },
                "lifeline-testkit-main-shutdown"));
    for (ApiServerInstance i : cp.instances()) {
      out.println("apiserver " + i.index() + ": " + i.url());
    }
    out.println("server name: " + cp.serverName() + ", kubernetes ClusterIP: " + cp.clusterIp());
    if (serviceListener != ClusterIpListener.NONE) {
      out.println("kubernetes Service (ClusterIP listener): " + cp.serviceAddress());
    }
    if (loadBalancer) {
      out.println("load balancer: " + cp.loadBalancerAddress());
    }
    if (kubeconfig != null) {
      cp.kubeconfig().writeTo(kubeconfig);
      out.println("kubeconfig: " + kubeconfig.toAbsolutePath());
    }
    out.println("admin token: " + cp.admin().token());
    done.await();
  }

  private static ClusterIpListener listener(String[] args, int i) {
    String v = value(args, i, "--cluster-ip-listener");
    return switch (v) {
      case "none" -> ClusterIpListener.NONE;
      case "loopback" -> ClusterIpListener.LOOPBACK;
      case "cluster-ip" -> ClusterIpListener.CLUSTER_IP;
      default ->
          throw new IllegalArgumentException(
              "--cluster-ip-listener must be none, loopback or cluster-ip, was " + v);
    };
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }
}
