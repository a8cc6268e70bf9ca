package dev.lifeline.dnscheck.internal.mode;

import dev.lifeline.client.AccessCheck;
import dev.lifeline.client.DeleteOptions;
import dev.lifeline.client.KubeApiException;
import dev.lifeline.client.KubeClient;
import dev.lifeline.client.LogOptions;
import dev.lifeline.client.ResourceType;
import dev.lifeline.client.model.GenericObject;
import dev.lifeline.client.model.ObjectMeta;
import dev.lifeline.dnscheck.DeploymentMode;
import dev.lifeline.dnscheck.DnsCheckConfig;
import dev.lifeline.dnscheck.Transport;
import dev.lifeline.dnscheck.internal.Target;
import dev.lifeline.dnscheck.internal.agent.AgentReport;
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
import java.util.Objects;
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
  static final String LABEL = "app.kubernetes.io/name";
  static final String LABEL_VALUE = "lifeline-dnscheck-probe";
  private static final Duration POLL = Duration.ofMillis(250);

  private final DnsCheckConfig config;
  private final KubeClient client;
  private final Executor executor;

  public HelperPods(DnsCheckConfig config, KubeClient client, Executor executor) {
    this.config = config;
    this.client = client;
    this.executor = executor;
  }

  /** The access a helper pod needs in its namespace. */
  static List<AccessCheck> needs(String namespace) {
    return List.of(
        AccessCheck.of("create", "pods").inNamespace(namespace),
        AccessCheck.of("get", "pods").inNamespace(namespace),
        AccessCheck.of("delete", "pods").inNamespace(namespace),
        AccessCheck.of("get", "pods").subresource("log").inNamespace(namespace));
  }

  /** The mode, running its batches in helper pods. */
  public ModeSetup setUp(String reason) {
    return new ModeSetup(
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
                + " rounds and reports through its log; verdicts lag by a pod's start-up"));
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
      GenericObject done = awaitEnd(ns, name);
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
            "helper pod "
                + ns
                + "/"
                + name
                + " ended ("
                + state(done)
                + ") without a usable report: "
                + e.getMessage()
                + lastLines(log),
            e);
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

  private GenericObject awaitEnd(String ns, String name) {
    long deadline = System.nanoTime() + config.helperTimeout().toNanos();
    GenericObject pod = null;
    while (System.nanoTime() < deadline) {
      pod = client.get(GENERIC_PODS, ns, name);
      String phase = pod.string("status", "phase");
      if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
        return pod;
      }
      // Polling one pod is cheaper than a watch for a run of a few seconds.
      LockSupport.parkNanos(POLL.toNanos());
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
            + " s ("
            + (pod == null ? "phase unknown" : state(pod))
            + "); check --helper-image, that nodes can pull it and that "
            + ns
            + " may run it (quota, admission)");
  }

  /** The pod's phase and why it waits, as {@code kubectl describe} would point at it. */
  static String state(GenericObject pod) {
    StringBuilder b =
        new StringBuilder("phase ")
            .append(Objects.requireNonNullElse(pod.string("status", "phase"), "unknown"));
    String reason = pod.string("status", "reason");
    if (reason != null) {
      b.append(", ").append(reason);
    }
    if (pod.at("status", "containerStatuses") instanceof List<?> statuses) {
      for (Object o : statuses) {
        if (o instanceof Map<?, ?> status
            && status.get("state") instanceof Map<?, ?> state
            && state.get("waiting") instanceof Map<?, ?> waiting) {
          b.append(", container ")
              .append(status.get("name"))
              .append(" waiting: ")
              .append(waiting.get("reason"));
          if (waiting.get("message") != null) {
            b.append(" (").append(waiting.get("message")).append(')');
          }
        }
      }
    }
    String message = pod.string("status", "message");
    if (message != null) {
      b.append(": ").append(message);
    }
    return b.toString();
  }

  /** The end of a log that is not a report, for the error message (an agent's own error). */
  private static String lastLines(String log) {
    List<String> lines = log.strip().lines().filter(l -> !l.isBlank()).toList();
    if (lines.isEmpty()) {
      return "; its log is empty";
    }
    List<String> tail = lines.subList(Math.max(0, lines.size() - 3), lines.size());
    String text = String.join(" | ", tail);
    return "; its log ends: " + (text.length() > 300 ? text.substring(0, 300) + "…" : text);
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
