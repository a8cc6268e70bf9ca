package dev.lifeline.dnscheck.internal.cluster;

import dev.lifeline.client.DeleteOptions;
import dev.lifeline.client.KubeApiException;
import dev.lifeline.client.KubeClient;
import dev.lifeline.client.ResourceType;
import dev.lifeline.dnscheck.RestartMethod;
import dev.lifeline.dnscheck.internal.PodRef;
import dev.lifeline.dnscheck.internal.remediation.PodRestarter;
import dev.lifeline.dnscheck.internal.remediation.RestartOutcome;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * Restarts a DNS pod through the Eviction API (or by deleting it, only when configured), with the
 * pod's UID as a precondition so that a successor of the same name is never hit. Runs on the
 * remediation thread and checks leadership right before the call.
 */
public final class ApiPodRestarter implements PodRestarter {
  private final KubeClient client;
  private final RestartMethod method;
  private final Executor executor;
  private final BooleanSupplier leader;

  public ApiPodRestarter(
      KubeClient client, RestartMethod method, Executor executor, BooleanSupplier leader) {
    this.client = client;
    this.method = method;
    this.executor = executor;
    this.leader = leader;
  }

  @Override
  public CompletableFuture<RestartOutcome> restart(PodRef pod) {
    return CompletableFuture.supplyAsync(() -> restartNow(pod), executor);
  }

  private RestartOutcome restartNow(PodRef pod) {
    if (!leader.getAsBoolean()) {
      return new RestartOutcome(RestartOutcome.Kind.NOT_LEADER, "this replica lost the lease");
    }
    DeleteOptions options = DeleteOptions.defaults();
    if (!pod.uid().isEmpty()) {
      options = options.preconditionUid(pod.uid());
    }
    try {
      if (method == RestartMethod.EVICT) {
        client.evict(pod.namespace(), pod.name(), options);
        return new RestartOutcome(
            RestartOutcome.Kind.DONE, "evicted; its controller starts a new pod");
      }
      client.delete(ResourceType.POD, pod.namespace(), pod.name(), options);
      return new RestartOutcome(
          RestartOutcome.Kind.DONE, "deleted; its controller starts a new pod");
    } catch (KubeApiException e) {
      if (e.isTooManyRequests()) {
        return new RestartOutcome(
            RestartOutcome.Kind.REFUSED,
            "the Eviction API refused (429): "
                + (e.statusMessage() == null
                    ? "a PodDisruptionBudget forbids it now"
                    : e.statusMessage()));
      }
      if (e.isNotFound()) {
        return new RestartOutcome(RestartOutcome.Kind.GONE, "the pod is already gone");
      }
      if (e.isConflict()) {
        return new RestartOutcome(
            RestartOutcome.Kind.GONE, "the pod was replaced by another of the same name");
      }
      if (e.isForbidden()) {
        return new RestartOutcome(
            RestartOutcome.Kind.FAILED,
            "forbidden ("
                + e.statusMessage()
                + "); grant create on pods/eviction"
                + (method == RestartMethod.DELETE ? " and delete on pods" : "")
                + " in "
                + pod.namespace());
      }
      return new RestartOutcome(
          RestartOutcome.Kind.FAILED, "the API answered " + e.code() + ": " + e.statusMessage());
    } catch (RuntimeException e) {
      return new RestartOutcome(
          RestartOutcome.Kind.FAILED, "the API call failed: " + e.getMessage());
    }
  }
}
