package dev.lifeline.testkit.internal.store;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** PodDisruptionBudget: the status starts empty and is filled by the disruption controller. */
final class PdbStrategy implements KindStrategy {
  @Override
  public void prepareForCreate(ObjectNode pdb, boolean fromApi) {
    if (fromApi || !pdb.has("status")) {
      ObjectNode status = pdb.putObject("status");
      status.put("disruptionsAllowed", 0);
      status.put("currentHealthy", 0);
      status.put("desiredHealthy", 0);
      status.put("expectedPods", 0);
    }
  }
}
