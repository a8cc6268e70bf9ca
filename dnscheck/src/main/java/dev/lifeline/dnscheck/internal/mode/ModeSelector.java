package dev.lifeline.dnscheck.internal.mode;

import dev.lifeline.client.KubeClient;
import dev.lifeline.dnscheck.Check;
import dev.lifeline.dnscheck.DeploymentMode;
import dev.lifeline.dnscheck.DnsCheckConfig;
import dev.lifeline.dnscheck.DnsCheckException;
import dev.lifeline.dnscheck.Transport;
import dev.lifeline.dnscheck.internal.Target;
import dev.lifeline.dnscheck.internal.cluster.DnsTopology;
import dev.lifeline.dnscheck.internal.engine.DirectTargets;
import dev.lifeline.dnscheck.internal.engine.ModeSetup;
import dev.lifeline.dnscheck.internal.engine.ResolvedCheck;
import dev.lifeline.dnscheck.internal.probe.DnsProber;
import dev.lifeline.dnscheck.internal.probe.Outcome;
import dev.lifeline.dnscheck.internal.probe.ProbeRequest;
import dev.lifeline.dnscheck.internal.probe.ProbeResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;

/**
 * Chooses the deployment mode: the configured one, or the first that works in seed 004's order of
 * preference — in-cluster (running in a pod, or the pod IPs answer from here), a helper pod (the
 * checker may create pods and read their logs), an exposed port (a NodePort or LoadBalancer Service
 * exposes the DNS pods), port-forward (TCP only).
 */
public final class ModeSelector {
  static final Path SERVICE_ACCOUNT_TOKEN =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

  private final DnsCheckConfig config;
  private final KubeClient client;
  private final DnsProber prober;
  private final Map<String, String> environment;
  private final HelperPods helperPods;
  private final PortForwards portForwards;

  public ModeSelector(
      DnsCheckConfig config,
      KubeClient client,
      DnsProber prober,
      Map<String, String> environment,
      HelperPods helperPods,
      PortForwards portForwards) {
    this.config = config;
    this.client = client;
    this.prober = prober;
    this.environment = environment;
    this.helperPods = helperPods;
    this.portForwards = portForwards;
  }

  /**
   * Chooses and prepares a mode.
   *
   * @throws DnsCheckException (NO_MODE) naming what was tried when nothing can reach the DNS
   */
  public ModeSetup select(DnsTopology topology) {
    if (config.mode().isPresent()) {
      return setUp(config.mode().get(), "configured with --mode", topology)
          .orElseThrow(() -> unavailable(config.mode().get(), topology));
    }
    List<String> tried = new ArrayList<>();
    if (runsInPod()) {
      return inCluster("running in a pod of the cluster");
    }
    if (answersFromHere(topology)) {
      return inCluster("the DNS pod IPs answer from this host (it routes to the pod network)");
    }
    tried.add("in-cluster: not in a pod, and no DNS pod IP answers from here");
    for (DeploymentMode m :
        List.of(
            DeploymentMode.HELPER_POD, DeploymentMode.EXPOSED_PORT, DeploymentMode.PORT_FORWARD)) {
      Optional<ModeSetup> s = setUp(m, "chosen automatically", topology);
      if (s.isPresent()) {
        return s.get();
      }
      tried.add(m.label() + ": " + whyNot(m, topology));
    }
    throw new DnsCheckException(
        DnsCheckException.Kind.NO_MODE,
        "no way to reach the cluster's DNS from here ("
            + String.join("; ", tried)
            + "); run the checker in the cluster (deploy/dnscheck) or choose one with --mode",
        null);
  }

  private Optional<ModeSetup> setUp(DeploymentMode m, String reason, DnsTopology topology) {
    return switch (m) {
      case IN_CLUSTER -> Optional.of(inCluster(reason));
      case HELPER_POD -> helperPods.setUp(topology, reason);
      case EXPOSED_PORT -> exposed(topology, reason);
      case PORT_FORWARD -> portForwards.setUp(topology, reason);
    };
  }

  private String whyNot(DeploymentMode m, DnsTopology topology) {
    return switch (m) {
      case IN_CLUSTER -> "not in a pod, and no DNS pod IP answers from here";
      case HELPER_POD -> helperPods.whyNot();
      case EXPOSED_PORT ->
          "no NodePort or LoadBalancer Service exposes the DNS pods in "
              + topology.service().namespace()
              + " (name one with --exposed-service)";
      case PORT_FORWARD -> portForwards.whyNot();
    };
  }

  private DnsCheckException unavailable(DeploymentMode m, DnsTopology topology) {
    return new DnsCheckException(
        DnsCheckException.Kind.NO_MODE,
        "mode " + m.label() + " cannot run: " + whyNot(m, topology),
        null);
  }

  private ModeSetup inCluster(String reason) {
    return new ModeSetup(
        DeploymentMode.IN_CLUSTER,
        reason,
        prober::probe,
        null,
        new DirectTargets(config.transports(), config.dnsPort()),
        EnumSet.allOf(Transport.class),
        true,
        List.of());
  }

  private Optional<ModeSetup> exposed(DnsTopology topology, String reason) {
    Optional<ExposedTargets> targets;
    try {
      targets = ExposedTargets.find(client, topology, config.exposedService(), config.transports());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    return targets.map(
        t ->
            new ModeSetup(
                DeploymentMode.EXPOSED_PORT,
                reason + ": " + t.via(),
                prober::probe,
                null,
                t,
                EnumSet.allOf(Transport.class),
                false,
                List.of(
                    "the exposed port spreads queries over the pods: a failing pod shows as a share"
                        + " of failed probes, and no pod is restarted")));
  }

  /** In a pod: the API is reached by the service host variable and a token is mounted. */
  private boolean runsInPod() {
    return environment.containsKey("KUBERNETES_SERVICE_HOST")
        && Files.isReadable(SERVICE_ACCOUNT_TOKEN);
  }

  /** Whether any DNS pod (or the Service IP) answers a query from here, rightly or not. */
  private boolean answersFromHere(DnsTopology topology) {
    List<Target> targets =
        new DirectTargets(EnumSet.of(Transport.UDP), config.dnsPort()).targets(topology);
    if (targets.isEmpty()) {
      return false;
    }
    // Any reply at all, right or wrong, shows that the pod network is reachable from here.
    ResolvedCheck check =
        ResolvedCheck.of(
            Check.builder("reachability", "kubernetes.default.svc.{domain}").build(),
            topology.clusterDomain(),
            config.timeout(),
            EnumSet.of(Transport.UDP),
            RandomGenerator.of("L64X128MixRandom"));
    Duration timeout = config.timeout().multipliedBy(2);
    List<CompletableFuture<ProbeResult>> probes = new ArrayList<>();
    for (Target t : targets) {
      probes.add(
          prober.probe(
              new ProbeRequest(
                  check.name(),
                  t.address(),
                  Transport.UDP,
                  check.qname().get(),
                  check.qtype(),
                  check.expectation(),
                  timeout,
                  config.retries() + 1)));
    }
    for (CompletableFuture<ProbeResult> f : probes) {
      ProbeResult r = f.join();
      if (r.outcome() != Outcome.TIMEOUT && r.outcome() != Outcome.NETWORK_ERROR) {
        return true;
      }
    }
    return false;
  }
}
