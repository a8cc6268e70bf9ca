package dev.lifeline.dnscheck.internal.leader;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Leader election on a Lease with client-go's semantics, so that replicas of the checker never act
 * twice.
 *
 * <p>Every {@code retryPeriod} a replica tries to acquire or renew. A lease held by another is
 * taken only when it has not changed for {@code leaseDuration} as measured by this replica's own
 * monotonic clock from when it last saw it change (never by comparing the holder's timestamps with
 * ours, which would trust clock sync). Writes use the lease's resource version, so of two replicas
 * racing only one wins. A leader that has not renewed for {@code renewDeadline} stops leading at
 * once, even if its renewal thread is stuck: {@link #isLeader()} checks the time itself. Since
 * {@code renewDeadline < leaseDuration}, a deposed leader stops acting before anyone else may
 * start. On {@link #close()} a leader releases the lease (empty holder, one-second duration) so a
 * successor need not wait.
 *
 * <p>Thread-safe. {@link #tick()} is the whole algorithm and may be driven by a test with injected
 * time; {@link #start()} runs it on its own thread.
 */
public final class LeaderElector implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(LeaderElector.class.getName());

  private final LeaseStore store;
  private final String identity;
  private final Duration leaseDuration;
  private final Duration renewDeadline;
  private final Duration retryPeriod;
  private final LongSupplier ticker;
  private final Clock clock;
  private final Consumer<Boolean> onChange;
  private ScheduledExecutorService executor;

  private LeaseRecord observed;
  private long observedAtNanos;
  private volatile boolean leading;
  private volatile long lastRenewNanos;
  private String lastError;

  /**
   * @param store the lease
   * @param identity this replica's identity
   * @param leaseDuration how long a lease holds without renewal (client-go default 15 s)
   * @param renewDeadline how long a leader keeps trying to renew (default 10 s)
   * @param retryPeriod time between tries (default 2 s)
   * @param ticker monotonic nanoseconds
   * @param clock wall time for the lease's timestamps
   * @param onChange called with true when this replica starts leading, false when it stops
   */
  public LeaderElector(
      LeaseStore store,
      String identity,
      Duration leaseDuration,
      Duration renewDeadline,
      Duration retryPeriod,
      LongSupplier ticker,
      Clock clock,
      Consumer<Boolean> onChange) {
    this.store = store;
    this.identity = identity;
    this.leaseDuration = leaseDuration;
    this.renewDeadline = renewDeadline;
    this.retryPeriod = retryPeriod;
    this.ticker = ticker;
    this.clock = clock;
    this.onChange = onChange;
  }

  /** Runs {@link #tick()} every retry period on a thread of its own. */
  public synchronized void start() {
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lifeline-dnscheck-leader-election");
              t.setDaemon(true);
              return t;
            });
    executor.scheduleWithFixedDelay(
        this::tickSafely, 0, retryPeriod.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "leader election failed unexpectedly", e);
    }
  }

  /**
   * Whether this replica leads now: it acquired or renewed the lease less than {@code
   * renewDeadline} ago.
   */
  public boolean isLeader() {
    return leading && ticker.getAsLong() - lastRenewNanos < renewDeadline.toNanos();
  }

  /** One try to acquire or renew; steps down when the renew deadline passed. */
  public synchronized void tick() {
    long now = ticker.getAsLong();
    boolean ok = tryAcquireOrRenew(now);
    if (ok) {
      lastRenewNanos = now;
      if (!leading) {
        leading = true;
        LOG.log(System.Logger.Level.INFO, identity + " now leads (holds the lease)");
        notifyChange(true);
      }
    } else if (leading && now - lastRenewNanos >= renewDeadline.toNanos()) {
      leading = false;
      LOG.log(
          System.Logger.Level.WARNING,
          identity
              + " stopped leading: could not renew the lease for "
              + renewDeadline.toSeconds()
              + " s"
              + (lastError == null ? "" : " (" + lastError + ")"));
      notifyChange(false);
    }
  }

  private boolean tryAcquireOrRenew(long now) {
    Instant wall = clock.instant();
    Optional<LeaseRecord> current;
    try {
      current = store.get();
    } catch (RuntimeException e) {
      noteError("reading the lease failed: " + e.getMessage());
      return false;
    }
    if (current.isEmpty()) {
      LeaseRecord mine = new LeaseRecord(identity, seconds(leaseDuration), wall, wall, 0, null);
      try {
        observe(store.create(mine), now);
        return true;
      } catch (LeaseStore.LeaseConflict e) {
        return false;
      } catch (RuntimeException e) {
        noteError("creating the lease failed: " + e.getMessage());
        return false;
      }
    }
    LeaseRecord lease = current.get();
    if (!lease.sameObservation(observed)) {
      observe(lease, now);
    }
    boolean mine = identity.equals(lease.holderIdentity());
    boolean held = !lease.holderIdentity().isEmpty();
    long durationNanos = Duration.ofSeconds(Math.max(1, lease.leaseDurationSeconds())).toNanos();
    if (held && !mine && now - observedAtNanos < durationNanos) {
      return false; // another replica holds it and renewed within its duration
    }
    LeaseRecord next =
        new LeaseRecord(
            identity,
            seconds(leaseDuration),
            mine ? lease.acquireTime() : wall,
            wall,
            mine ? lease.leaseTransitions() : lease.leaseTransitions() + 1,
            lease.resourceVersion());
    try {
      observe(store.update(next), now);
      lastError = null;
      return true;
    } catch (LeaseStore.LeaseConflict e) {
      return false;
    } catch (RuntimeException e) {
      noteError("updating the lease failed: " + e.getMessage());
      return false;
    }
  }

  private void observe(LeaseRecord lease, long now) {
    observed = lease;
    observedAtNanos = now;
  }

  private void noteError(String error) {
    if (!error.equals(lastError)) {
      LOG.log(System.Logger.Level.WARNING, error);
    }
    lastError = error;
  }

  private void notifyChange(boolean leads) {
    try {
      onChange.accept(leads);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "a leadership listener failed; ignored", e);
    }
  }

  private static int seconds(Duration d) {
    return (int) Math.max(1, d.toSeconds());
  }

  /** The holder last seen, for reports. */
  public synchronized String observedHolder() {
    return observed == null ? "" : observed.holderIdentity();
  }

  /** Stops trying and, if leading, releases the lease. Idempotent. */
  @Override
  public void close() {
    ScheduledExecutorService e;
    synchronized (this) {
      e = executor;
      executor = null;
    }
    if (e != null) {
      e.shutdownNow();
      try {
        e.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (this) {
      if (leading && observed != null && identity.equals(observed.holderIdentity())) {
        Instant wall = clock.instant();
        try {
          store.update(
              new LeaseRecord(
                  "", 1, wall, wall, observed.leaseTransitions(), observed.resourceVersion()));
          LOG.log(System.Logger.Level.INFO, identity + " released the lease");
        } catch (RuntimeException ex) {
          LOG.log(System.Logger.Level.WARNING, "releasing the lease failed: " + ex.getMessage());
        }
      }
      if (leading) {
        leading = false;
        notifyChange(false);
      }
    }
  }
}
