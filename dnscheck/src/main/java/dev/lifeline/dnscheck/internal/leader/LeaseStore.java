package dev.lifeline.dnscheck.internal.leader;

import java.util.Optional;

/** Reads and writes one Lease. Implementations throw {@link LeaseConflict} on a stale write. */
public interface LeaseStore {
  /** The lease, or empty when it does not exist. */
  Optional<LeaseRecord> get();

  /**
   * Creates the lease.
   *
   * @throws LeaseConflict when another replica created it first
   */
  LeaseRecord create(LeaseRecord record);

  /**
   * Replaces the lease if its resource version is still {@code record.resourceVersion()}.
   *
   * @throws LeaseConflict when it changed since
   */
  LeaseRecord update(LeaseRecord record);

  /** Another replica wrote first. */
  final class LeaseConflict extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LeaseConflict(String message) {
      super(message);
    }
  }
}
