package dev.lifeline.dnscheck.internal.leader;

import java.time.Instant;

/**
 * The fields of a {@code coordination.k8s.io/v1} Lease that leader election uses.
 *
 * @param holderIdentity the holder, or empty when released
 * @param leaseDurationSeconds how long the holder may go without renewing
 * @param acquireTime when the holder took it
 * @param renewTime when the holder last renewed
 * @param leaseTransitions how many times the holder changed
 * @param resourceVersion the object's version (optimistic concurrency), or null for a new one
 */
public record LeaseRecord(
    String holderIdentity,
    int leaseDurationSeconds,
    Instant acquireTime,
    Instant renewTime,
    int leaseTransitions,
    String resourceVersion) {

  public LeaseRecord {
    holderIdentity = holderIdentity == null ? "" : holderIdentity;
  }

  /**
   * Whether nobody wrote the lease since {@code o} was read: same resource version (every write
   * changes it, even one within the same microsecond of renew time), same holder and renew time.
   */
  boolean sameObservation(LeaseRecord o) {
    return o != null
        && java.util.Objects.equals(resourceVersion, o.resourceVersion)
        && holderIdentity.equals(o.holderIdentity)
        && java.util.Objects.equals(renewTime, o.renewTime);
  }
}
