package dev.lifeline.client;

import java.time.Duration;

/**
 * How to delete (or evict): preconditions, propagation policy, grace period. Immutable: each method
 * returns a new instance after checking its argument.
 */
public final class DeleteOptions {
  private static final DeleteOptions DEFAULTS = new DeleteOptions(null, null, null, null, false);

  /** What happens to the objects this one owns. */
  public enum Propagation {
    /** Delete dependents in the background after the owner. */
    BACKGROUND("Background"),
    /** Delete dependents first, then the owner. */
    FOREGROUND("Foreground"),
    /** Leave dependents without an owner. */
    ORPHAN("Orphan");

    private final String value;

    Propagation(String value) {
      this.value = value;
    }

    /** The API value. */
    public String value() {
      return value;
    }
  }

  private final Propagation propagation;
  private final Long gracePeriodSeconds;
  private final String preconditionUid;
  private final String preconditionResourceVersion;
  private final boolean dryRun;

  private DeleteOptions(
      Propagation propagation,
      Long gracePeriodSeconds,
      String preconditionUid,
      String preconditionResourceVersion,
      boolean dryRun) {
    this.propagation = propagation;
    this.gracePeriodSeconds = gracePeriodSeconds;
    this.preconditionUid = preconditionUid;
    this.preconditionResourceVersion = preconditionResourceVersion;
    this.dryRun = dryRun;
  }

  /** The server's defaults. */
  public static DeleteOptions defaults() {
    return DEFAULTS;
  }

  /** The propagation policy. */
  public DeleteOptions propagation(Propagation propagation) {
    return new DeleteOptions(
        propagation, gracePeriodSeconds, preconditionUid, preconditionResourceVersion, dryRun);
  }

  /** The grace period (0 deletes at once). */
  public DeleteOptions gracePeriod(Duration gracePeriod) {
    if (gracePeriod != null && gracePeriod.isNegative()) {
      throw new IllegalArgumentException("gracePeriod: must not be negative, got " + gracePeriod);
    }
    return new DeleteOptions(
        propagation,
        gracePeriod == null ? null : gracePeriod.toSeconds(),
        preconditionUid,
        preconditionResourceVersion,
        dryRun);
  }

  /** Delete only if the object still has this uid (not a re-created namesake). */
  public DeleteOptions preconditionUid(String uid) {
    return new DeleteOptions(
        propagation, gracePeriodSeconds, uid, preconditionResourceVersion, dryRun);
  }

  /** Delete only if the object is still at this resource version. */
  public DeleteOptions preconditionResourceVersion(String resourceVersion) {
    return new DeleteOptions(
        propagation, gracePeriodSeconds, preconditionUid, resourceVersion, dryRun);
  }

  /** Validate on the server without deleting. */
  public DeleteOptions dryRun(boolean dryRun) {
    return new DeleteOptions(
        propagation, gracePeriodSeconds, preconditionUid, preconditionResourceVersion, dryRun);
  }

  /** The propagation policy, or null for the server's default. */
  public Propagation propagation() {
    return propagation;
  }

  /** The grace period in seconds, or null for the object's default. */
  public Long gracePeriodSeconds() {
    return gracePeriodSeconds;
  }

  /** The uid precondition, or null. */
  public String preconditionUid() {
    return preconditionUid;
  }

  /** The resource version precondition, or null. */
  public String preconditionResourceVersion() {
    return preconditionResourceVersion;
  }

  /** Whether this is a dry run. */
  public boolean isDryRun() {
    return dryRun;
  }

  /** Whether nothing is set (no body needs to be sent). */
  public boolean isDefault() {
    return propagation == null
        && gracePeriodSeconds == null
        && preconditionUid == null
        && preconditionResourceVersion == null
        && !dryRun;
  }

  @Override
  public String toString() {
    return "DeleteOptions{propagation="
        + propagation
        + ", gracePeriodSeconds="
        + gracePeriodSeconds
        + ", uid="
        + preconditionUid
        + ", resourceVersion="
        + preconditionResourceVersion
        + ", dryRun="
        + dryRun
        + "}";
  }
}
