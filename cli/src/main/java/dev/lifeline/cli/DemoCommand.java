package dev.lifeline.cli;

import dev.lifeline.cli.internal.demo.DemoFailure;
import dev.lifeline.cli.internal.demo.DemoResult;
import dev.lifeline.cli.internal.demo.DemoRun;
import dev.lifeline.cli.internal.demo.DemoSettings;
import dev.lifeline.cli.internal.demo.LibraryLogs;
import dev.lifeline.cli.internal.demo.Summary;
import dev.lifeline.testkit.ApiServerInstance;
import dev.lifeline.testkit.FakeControlPlane;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code lifeline demo}: Lifeline on an embedded three-apiserver control plane.
 *
 * <p>Without {@code --serve}: the same light client with and without Lifeline side by side through
 * a blackhole and a reset, a live timeline, and a summary (see {@link DemoRun}). Exit code 0 when
 * the demo ran, whatever its numbers; 1 when it could not run; 2 for usage errors.
 *
 * <p>With {@code --serve}: the control plane alone, with a kubeconfig, until Ctrl-C.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs the same Kubernetes client twice, with and without Lifeline, against a fake"
          + " control plane of three apiservers on the loopback addresses 127.0.0.2 to 127.0.0.4,"
          + " reached through the kubernetes Service (a kube-proxy stand-in).",
      "Each client sends a GET every 100 ms and watches ConfigMaps that change every 100 ms."
          + " The apiserver the client with Lifeline uses is blackholed, then the one it moved to"
          + " is reset, then both are restored. A live timeline shows what happens; a summary"
          + " compares the longest gaps, failed requests and watch events lost or repeated.",
      "As root, the blackhole drops packets for real with iptables; otherwise it is done in user"
          + " space, and the output says which.",
      "With --serve, starts only the control plane, writes a kubeconfig for it and waits until"
          + " Ctrl-C, so that kubectl or any client can be pointed at it.",
      ""
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the demo ran (whatever its numbers)",
      "1:the demo could not run (addresses or port taken, nothing reachable)",
      "2:usage error"
    })
final class DemoCommand implements Callable<Integer> {
  private static final int SERVE_PORT = 6443;
  private static final List<String> DEMO_ONLY =
      List.of(
          "--warm-up",
          "--blackhole",
          "--reset",
          "--settle",
          "--no-real-drops",
          "--json",
          "--log-file");

  @Spec CommandSpec spec;

  @Option(
      names = "--warm-up",
      paramLabel = "DURATION",
      defaultValue = DemoSettings.DEFAULT_WARM_UP,
      converter = DurationConverter.class,
      description = "Both clients healthy before the first fault (default: ${DEFAULT-VALUE}).")
  Duration warmUp;

  @Option(
      names = "--blackhole",
      paramLabel = "DURATION",
      defaultValue = DemoSettings.DEFAULT_BLACKHOLE,
      converter = DurationConverter.class,
      description =
          "How long the apiserver the client with Lifeline uses stays blackholed before another"
              + " is reset (default: ${DEFAULT-VALUE}).")
  Duration blackhole;

  @Option(
      names = "--reset",
      paramLabel = "DURATION",
      defaultValue = DemoSettings.DEFAULT_RESET,
      converter = DurationConverter.class,
      description =
          "How long the apiserver it moved to refuses connections; the first stays blackholed"
              + " meanwhile (default: ${DEFAULT-VALUE}).")
  Duration reset;

  @Option(
      names = "--settle",
      paramLabel = "DURATION",
      defaultValue = DemoSettings.DEFAULT_SETTLE,
      converter = DurationConverter.class,
      description = "After both are restored, before the summary (default: ${DEFAULT-VALUE}).")
  Duration settle;

  @Option(
      names = "--no-real-drops",
      description = "Blackhole in user space even when root (no iptables rules).")
  boolean noRealDrops;

  @Option(
      names = "--json",
      description =
          "Print the summary as JSON on standard output; the timeline goes to standard" + " error.")
  boolean json;

  @Option(
      names = "--log-file",
      paramLabel = "FILE",
      description =
          "Where library logs go instead of the terminal (default: a new lifeline-demo-*.log in"
              + " the temporary folder).")
  Path logFile;

  @Option(
      names = "--serve",
      description =
          "Start only the control plane, write the kubeconfig and wait (Ctrl-C stops it).")
  boolean serve;

  @Option(
      names = "--instances",
      paramLabel = "N",
      defaultValue = "3",
      description = "Number of apiserver instances (default: ${DEFAULT-VALUE}).")
  int instances;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description =
          "Port every instance listens on; 0 picks a free one (default: 6443 with --serve,"
              + " a free one otherwise).")
  Integer port;

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      defaultValue = "lifeline-demo.kubeconfig",
      description = "Where --serve writes the kubeconfig (default: ${DEFAULT-VALUE}).")
  Path kubeconfig;

  @Override
  public Integer call() throws InterruptedException {
    ParseResult parsed = spec.commandLine().getParseResult();
    if (serve) {
      for (String flag : DEMO_ONLY) {
        if (parsed.hasMatchedOption(flag)) {
          throw UserError.usage(flag + " applies to the demo, not to --serve");
        }
      }
      return serve(spec.commandLine().getOut());
    }
    if (parsed.hasMatchedOption("--kubeconfig")) {
      throw UserError.usage("--kubeconfig applies to --serve only");
    }
    return demo();
  }

  private int demo() throws InterruptedException {
    DemoSettings settings;
    try {
      settings =
          new DemoSettings(
              instances,
              port == null ? 0 : port,
              warmUp,
              blackhole,
              reset,
              settle,
              !noRealDrops,
              logFile != null ? logFile : newLogFile());
    } catch (IllegalArgumentException e) {
      throw UserError.usage(e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter timeline = json ? spec.commandLine().getErr() : out;
    DemoResult result;
    LibraryLogs logs;
    try {
      logs = LibraryLogs.toFile(settings.logFile(), ErrorReporter.debug());
    } catch (DemoFailure e) {
      throw UserError.usage(e.getMessage());
    }
    try {
      result = DemoRun.run(settings, timeline);
    } catch (DemoFailure e) {
      throw UserError.failure(e.getMessage(), e);
    } finally {
      logs.close();
    }
    if (json) {
      Summary.printJson(result, out);
    } else {
      Summary.printTable(result, out);
    }
    return 0;
  }

  /**
   * A new file in the temporary folder, readable by this user only: a fixed name there could be a
   * link planted by another user, or a file another user owns.
   */
  private static Path newLogFile() {
    try {
      return Files.createTempFile("lifeline-demo-", ".log");
    } catch (IOException e) {
      throw UserError.failure(
          "cannot create the library log in the temporary folder "
              + System.getProperty("java.io.tmpdir")
              + " ("
              + e.getMessage()
              + "); choose a file with --log-file",
          e);
    }
  }

  private int serve(PrintWriter out) throws InterruptedException {
    if (instances < 1 || instances > 9) {
      throw UserError.usage("--instances must be between 1 and 9, was " + instances);
    }
    int servePort = port == null ? SERVE_PORT : port;
    if (servePort < 0 || servePort > 65535) {
      throw UserError.usage("--port must be between 0 and 65535, was " + servePort);
    }
    try (FakeControlPlane cp = start(servePort)) {
      return serve(cp, out);
    }
  }

  private FakeControlPlane start(int servePort) {
    FakeControlPlane.Builder builder = FakeControlPlane.builder().instances(instances);
    if (servePort == 0) {
      builder.ephemeralPort();
    } else {
      builder.port(servePort);
    }
    try {
      return builder.start();
    } catch (RuntimeException e) {
      if (causedByBind(e)) {
        throw UserError.failure(
            "port "
                + servePort
                + " is already in use on one of the instance addresses; choose another with"
                + " --port, or --port 0 for any free port",
            e);
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
