package dev.lifeline.cli;

import dev.lifeline.dnscheck.DnsProbeAgent;
import dev.lifeline.dnscheck.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lifeline dnscheck probe}: what a helper pod runs. Probes the given targets from where it
 * runs and writes one JSON line per probe; the checker outside reads them from the pod's log.
 */
@Command(
    name = "probe",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "Probes the given DNS servers with the given checks and writes one JSON line per probe and a"
          + " final {\"done\":true} line. The helper-pod mode runs this inside the cluster; it is"
          + " not meant to be run by hand, but can be."
    })
final class DnscheckProbeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--target",
      paramLabel = "ID=IP:PORT",
      required = true,
      description = "A server to probe (repeatable).")
  List<String> targets = new ArrayList<>();

  @Option(
      names = "--check",
      paramLabel = "SPEC",
      required = true,
      description = "A check, as dnscheck's --check (repeatable).")
  List<String> checks = new ArrayList<>();

  @Option(names = "--rounds", paramLabel = "N", description = "Rounds of probes. Default: 10.")
  int rounds = 10;

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      description = "Time between rounds. Default: 500ms.")
  String interval = "500ms";

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      description = "Per-attempt timeout. Default: 250ms.")
  String timeout = "250ms";

  @Option(
      names = "--retries",
      paramLabel = "N",
      description = "Attempts after a lost one. Default: 1.")
  int retries = 1;

  @Option(
      names = "--transports",
      paramLabel = "LIST",
      description = "udp, tcp or both. Default: udp,tcp.")
  String transports = "udp,tcp";

  @Override
  public Integer call() {
    try {
      Set<Transport> ts = EnumSet.noneOf(Transport.class);
      for (String t : transports.split(",")) {
        ts.add(Transport.parse(t));
      }
      DnsProbeAgent.run(
          targets,
          checks,
          rounds,
          duration("--interval", interval),
          duration("--timeout", timeout),
          retries,
          ts,
          spec.commandLine().getOut());
      return 0;
    } catch (IllegalArgumentException e) {
      throw UserError.usage(e.getMessage());
    }
  }

  private static Duration duration(String flag, String value) {
    return DnsProbeAgent.duration(flag, value);
  }
}
