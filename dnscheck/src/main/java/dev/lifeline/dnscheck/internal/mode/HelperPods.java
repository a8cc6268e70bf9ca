package dev.lifeline.dnscheck.internal.mode;

import dev.lifeline.client.DeleteOptions;
import dev.lifeline.client.KubeApiException;
import dev.lifeline.client.KubeClient;
import dev.lifeline.client.LogOptions;
import dev.lifeline.client.ResourceType;
import dev.lifeline.client.model.GenericObject;
import dev.lifeline.client.model.ObjectMeta;
import dev.lifeline.client.model.Pod;
import dev.lifeline.dnscheck.DeploymentMode;
import dev.lifeline.dnscheck.DnsCheckConfig;
import dev.lifeline.dnscheck.Transport;
import dev.lifeline.dnscheck.internal.Target;
import dev.lifeline.dnscheck.internal.agent.AgentReport;
import dev.lifeline.dnscheck.internal.cluster.DnsTopology;
import dev.lifeline.dnscheck.internal.config.CheckSpec;
import dev.lifeline.dnscheck.internal.engine.BatchProber;
import dev.lifeline.dnscheck.internal.engine.DirectTargets;
import dev.lifeline.dnscheck.internal.engine.ModeSetup;
import dev.lifeline.dnscheck.internal.engine.ResolvedCheck;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;

/**
 * The helper-pod mode: a short-lived pod runs the checker's probes ({@code lifeline dnscheck
 * probe}) from inside the cluster network, reports through its log, and is deleted. Each batch is
 * one pod: it runs {@code once-rounds} rounds, so a verdict takes the pod's start-up time plus the
 * rounds (seconds, not the in-cluster mode's 3 s).
 */
public final class HelperPods implements BatchProber {
  private static final System.Logger LOG = System.getLogger(HelperPods.class.getName());
  static final ResourceType<GenericObject> GENERIC_PODS =
      ResourceType.generic("", "v1", "pods", "Pod", true);
  private static final ResourceType<GenericObject> ACCESS_REVIEWS =
      ResourceType.generic(
          "authorization.k8s.io",
          "v1",
          "selfsubjectaccessreviews",
          "SelfSubjectAccessReview",
          false);
  static final String LABEL = "app.kubernetes.io/name";
  static final String LABEL_VALUE = "lifeline-dnscheck-probe";

  private final DnsCheckConfig config;
  private final KubeClient client;
  private final Executor executor;
  private String whyNot = "not tried";

  public HelperPods(DnsCheckConfig config, KubeClient client, Executor executor) {
    this.config = config;
    this.client = client;
    this.executor = executor;
  }

  /** The mode, if the checker may run helper pods (always when configured explicitly). */
  public Optional<ModeSetup> setUp(DnsTopology topology, String reason) {
    boolean configured = config.mode().orElse(null) == DeploymentMode.HELPER_POD;
    if (!configured) {
      String ns = config.helperNamespace();
      Optional<Boolean> create = allowed("create", "pods", "", ns);
      Optional<Boolean> logs = allowed("get", "pods", "log", ns);
      Optional<Boolean> delete = allowed("delete", "pods", "", ns);
      if (create.isEmpty() || logs.isEmpty() || delete.isEmpty()) {
        whyNot = "cannot ask the API what this user may do (SelfSubjectAccessReview unavailable)";
        return Optional.empty();
      }
      if (!create.get() || !logs.get() || !delete.get()) {
        whyNot =
            "this user may not create pods, read their logs and delete them in "
                + ns
                + " (--helper-namespace)";
        return Optional.empty();
      }
    }
    return Optional.of(
        new ModeSetup(
            DeploymentMode.HELPER_POD,
            reason + ": pods run " + config.helperImage() + " in " + config.helperNamespace(),
            null,
            this,
            new DirectTargets(config.transports(), config.dnsPort()),
            EnumSet.allOf(Transport.class),
            true,
            List.of(
                "each batch is a pod that probes for "
                    + config.onceRounds()
                    + " rounds and reports through its log; verdicts lag by a pod's start-up")));
  }

  /** Why the mode is not available, after {@link #setUp} refused. */
  public String whyNot() {
    return whyNot;
  }

  private Optional<Boolean> allowed(String verb, String resource, String subresource, String ns) {
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put("namespace", ns);
    attrs.put("verb", verb);
    attrs.put("resource", resource);
    if (!subresource.isEmpty()) {
      attrs.put("subresource", subresource);
    }
    try {
      GenericObject review =
          client.create(
              ACCESS_REVIEWS,
              new GenericObject(
                  "authorization.k8s.io/v1",
                  "SelfSubjectAccessReview",
                  ObjectMeta.empty(),
                  Map.of("spec", Map.of("resourceAttributes", attrs))));
      return Optional.of(Boolean.TRUE.equals(review.at("status", "allowed")));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  @Override
  public CompletableFuture<List<Result>> run(
      List<Target> targets, List<ResolvedCheck> checks, int rounds) {
    return CompletableFuture.supplyAsync(() -> runPod(targets, checks, rounds), executor);
  }

  private List<Result> runPod(List<Target> targets, List<ResolvedCheck> checks, int rounds) {
    String ns = config.helperNamespace();
    byte[] suffix = new byte[4];
    new SecureRandom().nextBytes(suffix);
    String name = "lifeline-dnscheck-probe-" + HexFormat.of().formatHex(suffix);
    Map<String, Target> byId = new LinkedHashMap<>();
    for (Target t : targets) {
      byId.put(t.id(), t);
    }
    Map<String, ResolvedCheck> byName = new LinkedHashMap<>();
    for (ResolvedCheck c : checks) {
      byName.put(c.name(), c);
    }
    client.create(GENERIC_PODS, pod(ns, name, targets, checks, rounds));
    try {
      Pod done = awaitEnd(ns, name);
      String log;
      try {
        log = client.logs(ns, name, LogOptions.defaults().container("probe"));
      } catch (RuntimeException e) {
        throw new IllegalStateException(
            "cannot read the log of helper pod "
                + ns
                + "/"
                + name
                + " ("
                + e.getMessage()
                + "); the checker needs get on pods/log in "
                + ns,
            e);
      }
      try {
        return AgentReport.parse(log, byId, byName);
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(
            "helper pod " + ns + "/" + name + " ended " + done.phase() + ": " + e.getMessage(), e);
      }
    } finally {
      try {
        client.delete(
            ResourceType.POD, ns, name, DeleteOptions.defaults().gracePeriod(Duration.ZERO));
      } catch (KubeApiException e) {
        if (!e.isNotFound()) {
          LOG.log(
              System.Logger.Level.WARNING,
              "could not delete helper pod " + ns + "/" + name + ": " + e.getMessage());
        }
      } catch (RuntimeException e) {
        LOG.log(
            System.Logger.Level.WARNING,
            "could not delete helper pod " + ns + "/" + name + ": " + e.getMessage());
      }
    }
  }

  private Pod awaitEnd(String ns, String name) {
    long deadline = System.nanoTime() + config.helperTimeout().toNanos();
    Pod pod = null;
    while (System.nanoTime() < deadline) {
      pod = client.get(ResourceType.POD, ns, name);
      if ("Succeeded".equals(pod.phase()) || "Failed".equals(pod.phase())) {
        return pod;
      }
      // Polling one pod is cheaper than a watch for a run of a few seconds.
      LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
      if (Thread.currentThread().isInterrupted()) {
        throw new IllegalStateException(
            "interrupted while waiting for helper pod " + ns + "/" + name);
      }
    }
    throw new IllegalStateException(
        "helper pod "
            + ns
            + "/"
            + name
            + " did not finish within "
            + config.helperTimeout().toSeconds()
            + " s (phase "
            + (pod == null ? "unknown" : pod.phase())
            + (pod != null && pod.reason() != null ? ", " + pod.reason() : "")
            + (pod != null && pod.message() != null ? ": " + pod.message() : "")
            + "); check --helper-image and that the namespace may run it");
  }

  GenericObject pod(
      String ns, String name, List<Target> targets, List<ResolvedCheck> checks, int rounds) {
    List<String> args = new ArrayList<>(List.of("dnscheck", "probe"));
    args.addAll(List.of("--rounds", Integer.toString(rounds)));
    args.addAll(List.of("--interval", config.interval().toMillis() + "ms"));
    args.addAll(List.of("--timeout", config.timeout().toMillis() + "ms"));
    args.addAll(List.of("--retries", Integer.toString(config.retries())));
    List<String> ts = new ArrayList<>();
    for (Transport t : config.transports()) {
      ts.add(t.label());
    }
    args.addAll(List.of("--transports", String.join(",", ts)));
    for (Target t : targets) {
      args.addAll(List.of("--target", t.id() + "=" + t.endpoint()));
    }
    for (ResolvedCheck c : checks) {
      args.addAll(List.of("--check", CheckSpec.format(c.check(), c.clusterDomain())));
    }
    Map<String, Object> container = new LinkedHashMap<>();
    container.put("name", "probe");
    container.put("image", config.helperImage());
    container.put("args", args);
    container.put(
        "resources",
        Map.of(
            "requests", Map.of("cpu", "50m", "memory", "64Mi"),
            "limits", Map.of("memory", "256Mi")));
    container.put(
        "securityContext",
        Map.of(
            "runAsNonRoot", true,
            "allowPrivilegeEscalation", false,
            "readOnlyRootFilesystem", true,
            "capabilities", Map.of("drop", List.of("ALL"))));
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("restartPolicy", "Never");
    spec.put("automountServiceAccountToken", false);
    spec.put("enableServiceLinks", false);
    spec.put("terminationGracePeriodSeconds", 0);
    spec.put("activeDeadlineSeconds", config.helperTimeout().toSeconds());
    spec.put("containers", List.of(container));
    return new GenericObject(
        "v1",
        "Pod",
        ObjectMeta.builder()
            .namespace(ns)
            .name(name)
            .labels(Map.of(LABEL, LABEL_VALUE, "app.kubernetes.io/managed-by", "lifeline-dnscheck"))
            .build(),
        Map.of("spec", spec));
  }
}
