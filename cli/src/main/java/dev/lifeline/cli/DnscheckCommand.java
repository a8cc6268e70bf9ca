package dev.lifeline.cli;

import dev.lifeline.client.KubeClient;
import dev.lifeline.client.KubeConfig;
import dev.lifeline.client.KubeConfigException;
import dev.lifeline.dnscheck.DnsCheck;
import dev.lifeline.dnscheck.DnsCheckConfig;
import dev.lifeline.dnscheck.DnsCheckException;
import dev.lifeline.dnscheck.DnsCheckListener;
import dev.lifeline.dnscheck.DnsCheckReport;
import dev.lifeline.dnscheck.DnsCheckSetting;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code lifeline dnscheck}: the cluster DNS health checker, as a daemon or once.
 *
 * <p>Every setting of {@link DnsCheckSetting} is a flag of the same name; flags override
 * environment variables ({@code LIFELINE_DNSCHECK_*}), which override the config file ({@code
 * --config}); all three feed the same {@link DnsCheckConfig.Builder}.
 */
@Command(
    name = "dnscheck",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    abbreviateSynopsis = true,
    modelTransformer = DnscheckCommand.SettingOptions.class,
    subcommands = {DnscheckProbeCommand.class},
    description = {
      "Checks the cluster's DNS: queries the DNS Service IP and every CoreDNS pod over UDP and TCP,"
          + " validates the answers against the API, judges each from a sliding window and"
          + " restarts a failing pod through the Eviction API, one at a time, never when most pods"
          + " fail at once.",
      "",
      "Without --once it runs until stopped, serving Prometheus metrics. With --once it probes a"
          + " few rounds, prints a table or JSON and exits: 0 healthy, 1 unhealthy (or a failure),"
          + " 2 usage error. --once never restarts anything.",
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:healthy (--once), or stopped cleanly",
      "1:unhealthy (--once), or a failure: the API is unreachable, access is forbidden, the DNS"
          + " Service is missing, no mode reaches the DNS",
      "2:usage error: a bad flag, value, environment variable, config file or kubeconfig"
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  lifeline dnscheck --once                       # table; exit 0 healthy, 1 unhealthy",
      "  lifeline dnscheck --once --output json | jq .status",
      "  lifeline dnscheck --dry-run --metrics-address 0.0.0.0:9753",
      "  lifeline dnscheck --check 'name=ext;query=example.com;type=A;rcodes=NOERROR'",
      "",
      "See also: lifeline-dnscheck-modes(7) for the four ways to reach the cluster's DNS,"
          + " lifeline-dnscheck-results(7) for reading the table, the JSON, the metrics and the"
          + " events; docs/dnscheck.md."
    })
final class DnscheckCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--once",
      description = "Probe once-rounds rounds, print the result and exit (0 healthy, 1 unhealthy).")
  boolean once;

  @Option(
      names = "--output",
      paramLabel = "FORMAT",
      description = "With --once: table (default) or json.")
  String output = "table";

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "A YAML file of settings (the flags' names as keys).")
  Path configFile;

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description = "The kubeconfig to use; default: KUBECONFIG, ~/.kube/config, then in-cluster.")
  Path kubeconfig;

  @Option(
      names = "--context",
      paramLabel = "NAME",
      description = "The kubeconfig context to use instead of the current one.")
  String context;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (!output.equals("table") && !output.equals("json")) {
      throw UserError.usage("--output was '" + output + "'; use table or json");
    }
    DnsCheckConfig config = config(System.getenv());
    KubeConfig kube = kubeConfig();
    if (once) {
      // Everything a one-shot run has to say is in its report.
      Logger.getLogger("dev.lifeline").setLevel(ErrorReporter.debug() ? Level.ALL : Level.OFF);
      DnsCheckReport report;
      try (KubeClient client = client(kube)) {
        report = DnsCheck.once(config, client, DnsCheckListener.NONE);
      } catch (DnsCheckException e) {
        throw UserError.failure(e.getMessage(), e);
      }
      out.print(output.equals("json") ? report.toJson() : report.toTable());
      out.flush();
      return report.healthy() ? 0 : Lifeline.FAILURE;
    }
    // One line per log record, with the time, for a daemon's log collector (unless set already).
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty(
          "java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s: %5$s%6$s%n");
    }
    KubeClient client = client(kube);
    DnsCheck check;
    try {
      check = DnsCheck.start(config, client, DnsCheckListener.NONE);
    } catch (DnsCheckException e) {
      client.close();
      throw UserError.failure(e.getMessage(), e);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  check.close();
                  client.close();
                  stopped.countDown();
                },
                "lifeline-dnscheck-shutdown"));
    out.println(
        "lifeline dnscheck: running in mode "
            + check.mode().label()
            + (check.metricsPort().isPresent()
                ? ", metrics on port " + check.metricsPort().getAsInt()
                : "")
            + "; stop with Ctrl-C or SIGTERM");
    out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /** The settings from the file, then the environment, then the flags, in that order. */
  DnsCheckConfig config(Map<String, String> environment) {
    DnsCheckConfig.Builder b = DnsCheckConfig.builder(environment);
    try {
      if (configFile != null) {
        b.applyFile(configFile);
      }
      b.applyEnvironment(environment);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw UserError.usage(e.getMessage());
    }
    ParseResult parsed = spec.commandLine().getParseResult();
    for (DnsCheckSetting s : DnsCheckSetting.values()) {
      OptionSpec o = spec.findOption(s.flag());
      if (o == null || !parsed.hasMatchedOption(o)) {
        continue;
      }
      List<String> values = new ArrayList<>();
      if (s.isRepeatable()) {
        List<String> v = o.getValue();
        values.addAll(v);
      } else {
        values.add(o.getValue());
      }
      for (String v : values) {
        try {
          b.set(s, v);
        } catch (IllegalArgumentException | IllegalStateException e) {
          throw UserError.usage(s.flag() + ": " + e.getMessage());
        }
      }
    }
    try {
      return b.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw UserError.usage(e.getMessage());
    }
  }

  /** A client that gives up on an unreachable API server within seconds, not half a minute. */
  private static KubeClient client(KubeConfig kube) {
    return KubeClient.builder(kube)
        .connectTimeout(java.time.Duration.ofSeconds(5))
        .retryBudget(java.time.Duration.ofSeconds(10))
        .build();
  }

  private KubeConfig kubeConfig() {
    KubeConfig.Loader loader = KubeConfig.loader();
    if (kubeconfig != null) {
      loader.kubeconfig(kubeconfig);
    }
    if (context != null) {
      loader.context(context);
    }
    try {
      return loader.load();
    } catch (KubeConfigException e) {
      throw UserError.usage("kubeconfig: " + e.getMessage());
    }
  }

  /** Adds one option per {@link DnsCheckSetting}, so help, man pages and parsing share them. */
  static final class SettingOptions implements CommandLine.IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec command) {
      for (DnsCheckSetting s : DnsCheckSetting.values()) {
        String description =
            s.description()
                + s.defaultValue().map(d -> " Default: " + d + ".").orElse("")
                + " Env: "
                + s.environmentVariable()
                + ".";
        OptionSpec.Builder o =
            OptionSpec.builder(s.flag()).paramLabel(s.valueLabel()).description(description);
        if (s.isRepeatable()) {
          o.type(List.class).auxiliaryTypes(String.class).arity("1");
        } else if (s.isSwitch()) {
          o.type(String.class).arity("0..1").fallbackValue("true");
        } else {
          o.type(String.class).arity("1");
        }
        command.addOption(o.build());
      }
      return command;
    }
  }
}
