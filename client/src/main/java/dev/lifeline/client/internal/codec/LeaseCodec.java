package dev.lifeline.client.internal.codec;

import static dev.lifeline.client.internal.json.Leaf.INT;
import static dev.lifeline.client.internal.json.Leaf.POOLED;
import static dev.lifeline.client.internal.json.Leaf.TIME;

import dev.lifeline.client.internal.json.JsonOut;
import dev.lifeline.client.internal.json.ObjectSchema;
import dev.lifeline.client.model.Lease;
import java.io.IOException;

/** {@code coordination.k8s.io/v1 Lease}. */
public final class LeaseCodec {
  private LeaseCodec() {}

  static final ObjectSchema<Lease> SCHEMA =
      ObjectSchema.<Lease>builder(
              "Lease",
              8,
              s ->
                  new Lease(
                      s.get(0),
                      s.str(1),
                      s.integer(2),
                      s.instant(3),
                      s.instant(4),
                      s.integer(5),
                      s.str(6),
                      s.str(7)))
          .object(0, "metadata", MetaCodec.META)
          .value(1, "spec.holderIdentity", POOLED)
          .value(2, "spec.leaseDurationSeconds", INT)
          .value(3, "spec.acquireTime", TIME)
          .value(4, "spec.renewTime", TIME)
          .value(5, "spec.leaseTransitions", INT)
          .value(6, "spec.preferredHolder", POOLED)
          .value(7, "spec.strategy", POOLED)
          .build();

  /** The codec. */
  public static final Codec<Lease> CODEC =
      new Codec<>("coordination.k8s.io/v1", "Lease", SCHEMA, LeaseCodec::write);

  static void write(JsonOut out, Lease lease) throws IOException {
    out.begin("coordination.k8s.io/v1", "Lease");
    MetaCodec.write(out, lease.metadata());
    out.start("spec")
        .string("holderIdentity", lease.holderIdentity())
        .number("leaseDurationSeconds", lease.leaseDurationSeconds())
        .microTime("acquireTime", lease.acquireTime())
        .microTime("renewTime", lease.renewTime())
        .number("leaseTransitions", lease.leaseTransitions())
        .string("preferredHolder", lease.preferredHolder())
        .string("strategy", lease.strategy())
        .end()
        .end();
  }
}
