package dev.lifeline.testkit.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeline.testkit.KubeApiException;
import dev.lifeline.testkit.internal.api.ResourceType;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps {@code status} of PodDisruptionBudgets current, as kube-controller-manager's disruption
 * controller does: whenever pods or budgets of a namespace change, the budgets of that namespace
 * are recomputed asynchronously (coalesced) and their status written through the status
 * subresource.
 */
public final class DisruptionController {
  private static final System.Logger LOG = System.getLogger(DisruptionController.class.getName());

  private final ObjectStore store;
  private final Executor executor;
  private final ResourceType pods;
  private final ResourceType pdbs;
  private final Set<String> dirty = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  /**
   * @param executor runs the recomputations (one at a time is enough; they are coalesced)
   */
  public DisruptionController(ObjectStore store, Executor executor) {
    this.store = store;
    this.executor = executor;
    this.pods = store.registry().byKind("v1", "Pod").orElseThrow();
    this.pdbs = store.registry().byKind("policy/v1", "PodDisruptionBudget").orElseThrow();
  }

  /** Starts following the store. */
  public void start() {
    store.addCommitHook(this::onChange);
  }

  /** Stops following the store. */
  public void stop() {
    store.removeCommitHook(this::onChange);
  }

  private void onChange(ChangeEvent e) {
    ResourceType t = e.object().type();
    if (t != pods && t != pdbs) {
      return;
    }
    if (t == pods
        && e.type() == ChangeEvent.EventType.MODIFIED
        && e.previous().isReady() == e.object().isReady()
        && e.previous().labels().equals(e.object().labels())) {
      return;
    }
    if (t == pdbs
        && e.type() == ChangeEvent.EventType.MODIFIED
        && e.previous().toTree().path("spec").equals(e.object().toTree().path("spec"))) {
      return;
    }
    markDirty(e.object().namespace());
  }

  private void markDirty(String namespace) {
    dirty.add(namespace);
    if (scheduled.compareAndSet(false, true)) {
      try {
        executor.execute(this::run);
      } catch (RuntimeException rejected) {
        scheduled.set(false);
      }
    }
  }

  private void run() {
    scheduled.set(false);
    for (String ns : List.copyOf(dirty)) {
      dirty.remove(ns);
      try {
        sync(ns);
      } catch (RuntimeException ex) {
        LOG.log(System.Logger.Level.DEBUG, "disruption budgets of " + ns + " not synced", ex);
      }
    }
  }

  /** Recomputes every budget of a namespace now. */
  public void sync(String namespace) {
    List<StoredObject> budgets = store.latest(pdbs, namespace, null).objects();
    if (budgets.isEmpty()) {
      return;
    }
    List<StoredObject> podsInNs = store.latest(pods, namespace, null).objects();
    for (StoredObject pdb : budgets) {
      ObjectNode tree = pdb.toTree();
      List<StoredObject> covered = new ArrayList<>();
      for (StoredObject p : podsInNs) {
        if (DisruptionBudget.covers(tree, p)) {
          covered.add(p);
        }
      }
      DisruptionBudget.Status s = DisruptionBudget.compute(tree, covered);
      ObjectNode status = tree.putObject("status");
      long generation = tree.path("metadata").path("generation").asLong(1);
      status.put("observedGeneration", generation);
      JsonNode oldDisrupted = pdb.toTree().path("status").path("disruptedPods");
      if (oldDisrupted.isObject() && !oldDisrupted.isEmpty()) {
        ObjectNode kept = status.putObject("disruptedPods");
        Iterator<Map.Entry<String, JsonNode>> fields = oldDisrupted.properties().iterator();
        while (fields.hasNext()) {
          Map.Entry<String, JsonNode> f = fields.next();
          if (covered.stream().anyMatch(p -> p.name().equals(f.getKey()))) {
            kept.set(f.getKey(), f.getValue());
          }
        }
        if (kept.isEmpty()) {
          status.remove("disruptedPods");
        }
      }
      status.put("disruptionsAllowed", s.disruptionsAllowed());
      status.put("currentHealthy", s.currentHealthy());
      status.put("desiredHealthy", s.desiredHealthy());
      status.put("expectedPods", s.expectedPods());
      ArrayNode conditions = status.putArray("conditions");
      ObjectNode c = conditions.addObject();
      boolean allowed = s.disruptionsAllowed() > 0;
      c.put("type", "DisruptionAllowed");
      c.put("status", allowed ? "True" : "False");
      c.put("observedGeneration", generation);
      c.put(
          "lastTransitionTime",
          DateTimeFormatter.ISO_INSTANT.format(
              store.clock().instant().truncatedTo(ChronoUnit.SECONDS)));
      c.put("reason", allowed ? "SufficientPods" : "InsufficientPods");
      c.put("message", "");
      JsonNode oldConditions = pdb.toTree().path("status").path("conditions");
      if (oldConditions.size() == 1
          && oldConditions.get(0).path("status").asText().equals(c.path("status").asText())) {
        c.set("lastTransitionTime", oldConditions.get(0).get("lastTransitionTime"));
      }
      ((ObjectNode) tree.get("metadata"))
          .put("resourceVersion", Long.toString(pdb.resourceVersion()));
      try {
        store.update(pdbs, namespace, pdb.name(), tree, ObjectStore.Scope.STATUS, false);
      } catch (KubeApiException conflictOrGone) {
        // Another writer got there first; its change brings us back if the budget still needs work.
        markDirty(namespace);
      }
    }
  }
}
