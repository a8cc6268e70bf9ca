package dev.lifeline.testkit.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeline.testkit.internal.api.ResourceType;
import dev.lifeline.testkit.internal.api.Statuses;
import dev.lifeline.testkit.internal.api.Statuses.Cause;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The pods {@code eviction} subresource: deletes a pod unless that would violate its
 * PodDisruptionBudget, in which case it answers 429 TooManyRequests with a {@code DisruptionBudget}
 * cause, as the real one does.
 *
 * <p>The budget is computed from the pods at the moment of the eviction (as if the disruption
 * controller were never behind); an allowed eviction decrements the budget's status and records the
 * pod in {@code status.disruptedPods} before deleting it.
 */
public final class Eviction {
  private final ObjectStore store;
  private final ResourceType pods;
  private final ResourceType pdbs;

  /** An eviction handler over a store. */
  public Eviction(ObjectStore store) {
    this.store = store;
    this.pods = store.registry().byKind("v1", "Pod").orElseThrow();
    this.pdbs = store.registry().byKind("policy/v1", "PodDisruptionBudget").orElseThrow();
  }

  /**
   * Evicts a pod.
   *
   * @param eviction the Eviction body (its name must match the pod's)
   * @throws dev.lifeline.testkit.KubeApiException 404, 400, 409 (preconditions), 429 or 500 as the
   *     real API
   */
  public void evict(String namespace, String podName, JsonNode eviction) {
    String bodyName = eviction.path("metadata").path("name").asText("");
    if (!bodyName.isEmpty() && !bodyName.equals(podName)) {
      throw Statuses.badRequest("name in URL does not match name in Eviction object");
    }
    JsonNode pre = eviction.path("deleteOptions").path("preconditions");
    ObjectStore.Preconditions preconditions =
        new ObjectStore.Preconditions(
            pre.hasNonNull("uid") ? pre.get("uid").asText() : null,
            pre.hasNonNull("resourceVersion") ? pre.get("resourceVersion").asText() : null);
    store.atomically(
        () -> {
          StoredObject pod =
              store
                  .get(pods, namespace, podName)
                  .orElseThrow(() -> Statuses.notFound("", "pods", podName));
          if (canIgnoreBudget(pod)) {
            store.delete(pods, namespace, podName, preconditions);
            return null;
          }
          List<StoredObject> budgets = new ArrayList<>();
          List<StoredObject> podsInNs = store.latest(pods, namespace, null).objects();
          for (StoredObject pdb : store.latest(pdbs, namespace, null).objects()) {
            if (DisruptionBudget.covers(pdb.toTree(), pod)) {
              budgets.add(pdb);
            }
          }
          if (budgets.size() > 1) {
            throw Statuses.internalError(
                "This pod has more than one PodDisruptionBudget, which the eviction subresource"
                    + " does not support.");
          }
          if (budgets.isEmpty()) {
            store.delete(pods, namespace, podName, preconditions);
            return null;
          }
          StoredObject pdb = budgets.get(0);
          ObjectNode pdbTree = pdb.toTree();
          List<StoredObject> covered = new ArrayList<>();
          for (StoredObject p : podsInNs) {
            if (DisruptionBudget.covers(pdbTree, p)) {
              covered.add(p);
            }
          }
          DisruptionBudget.Status status = DisruptionBudget.compute(pdbTree, covered);
          if (!pod.isReady() && mayEvictUnhealthy(pdbTree, status)) {
            store.delete(pods, namespace, podName, preconditions);
            return null;
          }
          if (status.disruptionsAllowed() == 0) {
            throw refused(pdb.name(), status);
          }
          recordDisruption(pdbTree, status, podName);
          store.update(pdbs, namespace, pdb.name(), pdbTree, ObjectStore.Scope.STATUS, false);
          store.delete(pods, namespace, podName, preconditions);
          return null;
        });
  }

  private static boolean canIgnoreBudget(StoredObject pod) {
    String phase = pod.phase();
    return phase.equals("Succeeded") || phase.equals("Failed") || phase.equals("Pending");
  }

  private static boolean mayEvictUnhealthy(JsonNode pdb, DisruptionBudget.Status status) {
    String policy = pdb.path("spec").path("unhealthyPodEvictionPolicy").asText("IfHealthyBudget");
    if (policy.equals("AlwaysAllow")) {
      return true;
    }
    return status.currentHealthy() >= status.desiredHealthy() && status.desiredHealthy() > 0;
  }

  private static RuntimeException refused(String pdbName, DisruptionBudget.Status status) {
    String message =
        status.currentHealthy() <= status.desiredHealthy()
            ? "The disruption budget "
                + pdbName
                + " needs "
                + status.desiredHealthy()
                + " healthy pods and has "
                + status.currentHealthy()
                + " currently"
            : "The disruption budget " + pdbName + " does not allow evicting pods currently";
    return Statuses.tooManyRequests(
        "Cannot evict pod as it would violate the pod's disruption budget.",
        0,
        List.of(new Cause("DisruptionBudget", message, null)));
  }

  private void recordDisruption(ObjectNode pdb, DisruptionBudget.Status status, String podName) {
    ObjectNode st = pdb.withObjectProperty("status");
    st.put("observedGeneration", pdb.path("metadata").path("generation").asLong(1));
    st.put("disruptionsAllowed", status.disruptionsAllowed() - 1);
    st.put("currentHealthy", status.currentHealthy());
    st.put("desiredHealthy", status.desiredHealthy());
    st.put("expectedPods", status.expectedPods());
    st.withObjectProperty("disruptedPods")
        .put(
            podName,
            DateTimeFormatter.ISO_INSTANT.format(
                store.clock().instant().truncatedTo(ChronoUnit.SECONDS)));
  }
}
