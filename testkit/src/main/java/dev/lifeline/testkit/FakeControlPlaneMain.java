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
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
    } catch (IllegalArgumentException e) {
      System.err.println("fake control plane: " + e.getMessage());
      System.err.println(
          "usage: FakeControlPlaneMain [--instances N] [--port P | --ephemeral-port]"
              + " [--kubeconfig FILE] [--lease-ttl SECONDS]");
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
    if (kubeconfig != null) {
      cp.kubeconfig().writeTo(kubeconfig);
      out.println("kubeconfig: " + kubeconfig.toAbsolutePath());
    }
    out.println("admin token: " + cp.admin().token());
    done.await();
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }
}
