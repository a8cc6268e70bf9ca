package dev.lifeline.dnscheck.internal.mode;

import dev.lifeline.client.AccessCheck;
import dev.lifeline.client.KubeClient;
import dev.lifeline.dnscheck.DeploymentMode;
import dev.lifeline.dnscheck.DnsCheckConfig;
import dev.lifeline.dnscheck.DnsCheckException;
import dev.lifeline.dnscheck.RestartMethod;
import dev.lifeline.dnscheck.Transport;
import dev.lifeline.dnscheck.internal.cluster.DnsTopology;
import dev.lifeline.dnscheck.internal.engine.DirectTargets;
import dev.lifeline.dnscheck.internal.engine.ModeSetup;
import dev.lifeline.dnscheck.internal.probe.DnsProber;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Chooses the deployment mode: the configured one, or the first that works in seed 004's order of
 * preference — in-cluster (running in a pod, or the pod IPs answer from here), a helper pod, an
 * exposed port (a NodePort or LoadBalancer Service exposes the DNS pods), port-forward (TCP only) —
 * from what the checker can see and what this user is allowed to do, asked with
 * SelfSubjectAccessReviews: create, get and delete pods and get their logs in the helper namespace;
 * list the DNS namespace's Services (and the nodes, for a NodePort); get and create {@code
 * pods/portforward} in the DNS namespace.
 *
 * <p>Every mode considered leaves one line saying why it was chosen or skipped; the lines go into
 * the mode's {@link ModeSetup#selection()}, the report and the log. A configured mode that this
 * user is denied fails at once, naming what is missing; one the API cannot judge is tried.
 */
public final class ModeSelector {
  static final Path SERVICE_ACCOUNT_TOKEN =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

  /** Whether the DNS pods answer a query from where the checker runs. */
  @FunctionalInterface
  public interface Reachability {
    boolean answersFromHere(DnsTopology topology);
  }

  private final DnsCheckConfig config;
  private final KubeClient client;
  private final DnsProber prober;
  private final boolean runsInPod;
  private final Reachability reachability;
  private final HelperPods helperPods;
  private final PortForwards portForwards;

  /**
   * @param runsInPod whether the checker runs in a pod of the cluster ({@link #runsInPod(Map)})
   * @param reachability asked only when choosing automatically and not in a pod
   */
  public ModeSelector(
      DnsCheckConfig config,
      KubeClient client,
      DnsProber prober,
      boolean runsInPod,
      Reachability reachability,
      HelperPods helperPods,
      PortForwards portForwards) {
    this.config = config;
    this.client = client;
    this.prober = prober;
    this.runsInPod = runsInPod;
    this.reachability = reachability;
    this.helperPods = helperPods;
    this.portForwards = portForwards;
  }

  /** In a pod: the API is reached by the service host variable and a token is mounted. */
  public static boolean runsInPod(Map<String, String> environment) {
    return environment.containsKey("KUBERNETES_SERVICE_HOST")
        && Files.isReadable(SERVICE_ACCOUNT_TOKEN);
  }

  /** One mode considered: usable or not, and why. */
  private record Attempt(DeploymentMode mode, ModeSetup setup, String why, List<String> notes) {
    boolean usable() {
      return setup != null;
    }

    String line() {
      return mode.label() + ": " + (usable() ? "chosen: " : "skipped: ") + why;
    }
  }

  /**
   * Chooses and prepares a mode.
   *
   * @throws DnsCheckException (NO_MODE) naming what each mode lacked when nothing can reach the DNS
   */
  public ModeSetup select(DnsTopology topology) {
    Permissions permissions = new Permissions(client);
    if (config.mode().isPresent()) {
      DeploymentMode m = config.mode().get();
      Attempt a = attempt(m, topology, permissions, true);
      if (!a.usable()) {
        throw new DnsCheckException(
            DnsCheckException.Kind.NO_MODE,
            "mode " + m.label() + " (--mode) cannot run: " + a.why(),
            null);
      }
      return a.setup().chosen(List.of(a.line()), a.notes());
    }
    List<String> trail = new ArrayList<>();
    for (DeploymentMode m : DeploymentMode.values()) {
      Attempt a = attempt(m, topology, permissions, false);
      trail.add(a.line());
      if (a.usable()) {
        return a.setup().chosen(trail, a.notes());
      }
    }
    throw new DnsCheckException(
        DnsCheckException.Kind.NO_MODE,
        "no way to reach the cluster's DNS from here ("
            + String.join("; ", trail)
            + "); run the checker in the cluster (deploy/dnscheck), grant one mode's permissions"
            + " (deploy/dnscheck/rbac-outside.yaml), or choose one with --mode",
        null);
  }

  private Attempt attempt(
      DeploymentMode m, DnsTopology topology, Permissions permissions, boolean configured) {
    return switch (m) {
      case IN_CLUSTER -> inCluster(topology, permissions, configured);
      case HELPER_POD -> helperPod(permissions, configured);
      case EXPOSED_PORT -> exposed(topology, permissions, configured);
      case PORT_FORWARD -> portForward(topology, permissions, configured);
    };
  }

  private Attempt inCluster(DnsTopology topology, Permissions permissions, boolean configured) {
    String why;
    if (configured) {
      why = "configured with --mode";
    } else if (runsInPod) {
      why = "running in a pod of the cluster";
    } else if (reachability.answersFromHere(topology)) {
      why = "a DNS pod answered a query from this host (it routes to the pod network)";
    } else {
      return skipped(
          DeploymentMode.IN_CLUSTER,
          "not running in a pod, and no DNS pod IP answered a query from here");
    }
    ModeSetup setup =
        new ModeSetup(
            DeploymentMode.IN_CLUSTER,
            why,
            prober::probe,
            null,
            new DirectTargets(config.transports(), config.dnsPort()),
            EnumSet.allOf(Transport.class),
            true,
            List.of());
    return new Attempt(DeploymentMode.IN_CLUSTER, setup, why, restartNotes(topology, permissions));
  }

  /** A note when restarts will be refused (no restart is attempted with --dry-run). */
  private List<String> restartNotes(DnsTopology topology, Permissions permissions) {
    if (config.dryRun()) {
      return List.of();
    }
    String ns = topology.service().namespace();
    AccessCheck restart =
        config.restartMethod() == RestartMethod.DELETE
            ? AccessCheck.of("delete", "pods").inNamespace(ns)
            : AccessCheck.of("create", "pods").subresource("eviction").inNamespace(ns);
    Permissions.Answer may = permissions.ask(List.of(restart));
    if (!may.isDenied()) {
      return List.of();
    }
    return List.of(
        "this user may not "
            + may.deniedText()
            + ": failing pods are reported, their restarts will be refused (see"
            + " deploy/dnscheck/rbac.yaml)");
  }

  private Attempt helperPod(Permissions permissions, boolean configured) {
    String ns = config.helperNamespace();
    Permissions.Answer may = permissions.ask(HelperPods.needs(ns));
    return byPermission(
        DeploymentMode.HELPER_POD,
        may,
        configured,
        "this user may run pods and read their logs",
        ns,
        " (--helper-namespace " + ns + ")",
        helperPods::setUp);
  }

  /**
   * The attempt of a mode that needs the permissions {@code may} answers for in {@code namespace}:
   * skipped when denied, or when the API cannot judge and the mode was not chosen with {@code
   * --mode}; else set up with the reason.
   */
  private Attempt byPermission(
      DeploymentMode mode,
      Permissions.Answer may,
      boolean configured,
      String allowed,
      String namespace,
      String deniedContext,
      Function<String, ModeSetup> setUp) {
    if (may.isDenied()) {
      return skipped(mode, "this user may not " + may.deniedText() + deniedContext);
    }
    String why;
    if (may.allowed()) {
      why = (configured ? "configured with --mode" : allowed) + " in " + namespace;
    } else if (configured) {
      why = "configured with --mode; " + may.unknown() + ", so it is tried";
    } else {
      return skipped(
          mode, may.unknown() + "; choose it with --mode " + mode.label() + " to try anyway");
    }
    return new Attempt(mode, setUp.apply(why), why, List.of());
  }

  private Attempt exposed(DnsTopology topology, Permissions permissions, boolean configured) {
    ExposedTargets.Search found =
        ExposedTargets.find(
            client, topology, config.exposedService(), config.transports(), permissions);
    if (found.targets().isEmpty()) {
      return skipped(DeploymentMode.EXPOSED_PORT, found.why());
    }
    ExposedTargets t = found.targets().get();
    String why = (configured ? "configured with --mode" : "the DNS is exposed") + ": " + t.via();
    ModeSetup setup =
        new ModeSetup(
            DeploymentMode.EXPOSED_PORT,
            why,
            prober::probe,
            null,
            t,
            EnumSet.allOf(Transport.class),
            false,
            List.of(
                "the exposed port spreads queries over the pods: a failing pod shows as a share"
                    + " of failed probes, and no pod is restarted"));
    return new Attempt(DeploymentMode.EXPOSED_PORT, setup, why, List.of());
  }

  private Attempt portForward(DnsTopology topology, Permissions permissions, boolean configured) {
    String ns = topology.service().namespace();
    // The WebSocket upgrade is authorized as get; newer API servers also check create.
    Permissions.Answer may =
        permissions.ask(
            List.of(
                AccessCheck.of("get", "pods").subresource("portforward").inNamespace(ns),
                AccessCheck.of("create", "pods").subresource("portforward").inNamespace(ns)));
    return byPermission(
        DeploymentMode.PORT_FORWARD,
        may,
        configured,
        "this user may port-forward to pods",
        ns,
        "",
        portForwards::setUp);
  }

  private static Attempt skipped(DeploymentMode m, String why) {
    return new Attempt(m, null, why, List.of());
  }
}
