package dev.lifeline.cli;

import dev.lifeline.testkit.ApiServerInstance;
import dev.lifeline.testkit.FakeControlPlane;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lifeline demo}: Lifeline on an embedded three-apiserver control plane. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Starts a fake three-apiserver control plane on loopback addresses (127.0.0.2, .3, .4).",
      "With --serve, prints each instance's address, writes a kubeconfig for it and waits"
          + " until Ctrl-C, so that kubectl or any client can be pointed at it."
    })
final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--serve",
      description = "Start the control plane, write the kubeconfig and wait (Ctrl-C stops it).")
  boolean serve;

  @Option(
      names = "--instances",
      defaultValue = "3",
      description = "Number of apiserver instances (default: ${DEFAULT-VALUE}).")
  int instances;

  @Option(
      names = "--port",
      defaultValue = "6443",
      description =
          "Port every instance listens on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--kubeconfig",
      defaultValue = "lifeline-demo.kubeconfig",
      description = "Where --serve writes the kubeconfig (default: ${DEFAULT-VALUE}).")
  Path kubeconfig;

  @Override
  public Integer call() throws InterruptedException {
    if (instances < 1 || instances > 9) {
      throw UserError.usage("--instances must be between 1 and 9, was " + instances);
    }
    if (port < 0 || port > 65535) {
      throw UserError.usage("--port must be between 0 and 65535, was " + port);
    }
    PrintWriter out = spec.commandLine().getOut();
    try (FakeControlPlane cp = start()) {
      return serve(cp, out);
    }
  }

  private FakeControlPlane start() {
    FakeControlPlane.Builder builder = FakeControlPlane.builder().instances(instances);
    if (port == 0) {
      builder.ephemeralPort();
    } else {
      builder.port(port);
    }
    try {
      return builder.start();
    } catch (RuntimeException e) {
      if (causedByBind(e)) {
        throw UserError.usage(
            "port "
                + port
                + " is already in use on one of the instance addresses; choose another with"
                + " --port, or --port 0 for any free port");
      }
      throw e;
    }
  }

  private static boolean causedByBind(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof BindException) {
        return true;
      }
    }
    return false;
  }

  private int serve(FakeControlPlane cp, PrintWriter out) throws InterruptedException {
    out.println("Fake control plane: " + cp.instances().size() + " apiserver instances");
    for (ApiServerInstance instance : cp.instances()) {
      out.println("  apiserver " + instance.index() + "  " + instance.url());
    }
    out.println(
        "  server name " + cp.serverName() + ", kubernetes Service ClusterIP " + cp.clusterIp());
    Path written;
    try {
      written = cp.kubeconfig().writeTo(kubeconfig);
    } catch (UncheckedIOException e) {
      throw UserError.usage(
          "cannot write the kubeconfig to "
              + kubeconfig.toAbsolutePath()
              + " ("
              + e.getCause().getMessage()
              + "); choose another file with --kubeconfig");
    }
    out.println("Kubeconfig (user admin, apiserver 0): " + written.toAbsolutePath());
    out.println("Try: kubectl --kubeconfig " + written + " get endpointslices -n default");
    out.println("Press Ctrl-C to stop.");
    out.flush();
    // Ctrl-C runs shutdown hooks and then halts the JVM, so the hook itself closes the control
    // plane (releasing ports and any iptables rules) before letting this thread return.
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  cp.close();
                  stopped.countDown();
                },
                "lifeline-demo-stop"));
    stopped.await();
    return 0;
  }
}
