package dev.lifeline.client.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A lease ({@code coordination.k8s.io/v1}): the lock of leader election. Every spec field is
 * modelled, so reading, changing and updating a lease loses nothing.
 *
 * @param metadata the metadata
 * @param holderIdentity who holds it
 * @param leaseDurationSeconds how long a holder may go without renewing
 * @param acquireTime when the current holder acquired it
 * @param renewTime when the current holder last renewed it
 * @param leaseTransitions how many times it changed holders
 * @param preferredHolder the holder that should take over (coordinated leader election)
 * @param strategy the leader election strategy (coordinated leader election)
 */
public record Lease(
    ObjectMeta metadata,
    String holderIdentity,
    Integer leaseDurationSeconds,
    Instant acquireTime,
    Instant renewTime,
    Integer leaseTransitions,
    String preferredHolder,
    String strategy)
    implements KubeObject {

  /** Checks. */
  public Lease {
    metadata = Objects.requireNonNullElse(metadata, ObjectMeta.empty());
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this lease's values. */
  public Builder toBuilder() {
    return new Builder()
        .metadata(metadata)
        .holderIdentity(holderIdentity)
        .leaseDurationSeconds(leaseDurationSeconds)
        .acquireTime(acquireTime)
        .renewTime(renewTime)
        .leaseTransitions(leaseTransitions)
        .preferredHolder(preferredHolder)
        .strategy(strategy);
  }

  /** Builds a {@link Lease}. Not thread-safe. */
  public static final class Builder {
    private ObjectMeta metadata = ObjectMeta.empty();
    private String holderIdentity;
    private Integer leaseDurationSeconds;
    private Instant acquireTime;
    private Instant renewTime;
    private Integer leaseTransitions;
    private String preferredHolder;
    private String strategy;

    private Builder() {}

    /** The metadata. */
    public Builder metadata(ObjectMeta metadata) {
      this.metadata = metadata;
      return this;
    }

    /** The holder. */
    public Builder holderIdentity(String holderIdentity) {
      this.holderIdentity = holderIdentity;
      return this;
    }

    /** The duration in seconds. */
    public Builder leaseDurationSeconds(Integer leaseDurationSeconds) {
      this.leaseDurationSeconds = leaseDurationSeconds;
      return this;
    }

    /** The acquire time. */
    public Builder acquireTime(Instant acquireTime) {
      this.acquireTime = acquireTime;
      return this;
    }

    /** The renew time. */
    public Builder renewTime(Instant renewTime) {
      this.renewTime = renewTime;
      return this;
    }

    /** The number of transitions. */
    public Builder leaseTransitions(Integer leaseTransitions) {
      this.leaseTransitions = leaseTransitions;
      return this;
    }

    /** The preferred holder. */
    public Builder preferredHolder(String preferredHolder) {
      this.preferredHolder = preferredHolder;
      return this;
    }

    /** The strategy. */
    public Builder strategy(String strategy) {
      this.strategy = strategy;
      return this;
    }

    /** The lease. */
    public Lease build() {
      return new Lease(
          metadata,
          holderIdentity,
          leaseDurationSeconds,
          acquireTime,
          renewTime,
          leaseTransitions,
          preferredHolder,
          strategy);
    }
  }
}
