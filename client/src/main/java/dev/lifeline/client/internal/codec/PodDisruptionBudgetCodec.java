package dev.lifeline.client.internal.codec;

import static dev.lifeline.client.internal.json.Leaf.INT;
import static dev.lifeline.client.internal.json.Leaf.INT_OR_STRING;
import static dev.lifeline.client.internal.json.Leaf.LONG;
import static dev.lifeline.client.internal.json.Leaf.POOLED;

import dev.lifeline.client.internal.json.JsonOut;
import dev.lifeline.client.internal.json.ObjectSchema;
import dev.lifeline.client.model.PodDisruptionBudget;
import java.io.IOException;

/** {@code policy/v1 PodDisruptionBudget}. */
public final class PodDisruptionBudgetCodec {
  private PodDisruptionBudgetCodec() {}

  static final ObjectSchema<PodDisruptionBudget> SCHEMA =
      ObjectSchema.<PodDisruptionBudget>builder(
              "PodDisruptionBudget",
              11,
              s ->
                  new PodDisruptionBudget(
                      s.get(0),
                      s.get(1),
                      s.get(2),
                      s.get(3),
                      s.str(4),
                      s.intOr(5, 0),
                      s.intOr(6, 0),
                      s.intOr(7, 0),
                      s.intOr(8, 0),
                      s.longOr(9, 0),
                      s.list(10)))
          .object(0, "metadata", MetaCodec.META)
          .value(1, "spec.minAvailable", INT_OR_STRING)
          .value(2, "spec.maxUnavailable", INT_OR_STRING)
          .object(3, "spec.selector", MetaCodec.SELECTOR)
          .value(4, "spec.unhealthyPodEvictionPolicy", POOLED)
          .value(5, "status.currentHealthy", INT)
          .value(6, "status.desiredHealthy", INT)
          .value(7, "status.disruptionsAllowed", INT)
          .value(8, "status.expectedPods", INT)
          .value(9, "status.observedGeneration", LONG)
          .list(10, "status.conditions", MetaCodec.CONDITION)
          .build();

  /** The codec. */
  public static final Codec<PodDisruptionBudget> CODEC =
      new Codec<>("policy/v1", "PodDisruptionBudget", SCHEMA, PodDisruptionBudgetCodec::write);

  static void write(JsonOut out, PodDisruptionBudget pdb) throws IOException {
    out.begin("policy/v1", "PodDisruptionBudget");
    MetaCodec.write(out, pdb.metadata());
    out.start("spec")
        .intOrString("minAvailable", pdb.minAvailable())
        .intOrString("maxUnavailable", pdb.maxUnavailable());
    MetaCodec.writeSelector(out, "selector", pdb.selector());
    out.string("unhealthyPodEvictionPolicy", pdb.unhealthyPodEvictionPolicy()).end();
    out.start("status")
        .number("currentHealthy", pdb.currentHealthy())
        .number("desiredHealthy", pdb.desiredHealthy())
        .number("disruptionsAllowed", pdb.disruptionsAllowed())
        .number("expectedPods", pdb.expectedPods())
        .number("observedGeneration", pdb.observedGeneration());
    MetaCodec.writeConditions(out, pdb.conditions());
    out.end().end();
  }
}
