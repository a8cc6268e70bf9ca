package dev.lifeline.dnscheck.internal.leader;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LeaderElectorTest {
  private static final Duration LEASE = Duration.ofSeconds(15);
  private static final Duration RENEW = Duration.ofSeconds(10);
  private static final Duration RETRY = Duration.ofSeconds(2);

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final MemoryLeaseStore store = new MemoryLeaseStore();
  private final List<String> changes = new ArrayList<>();

  @Test
  void theFirstReplicaCreatesTheLeaseAndLeads() {
    LeaderElector a = elector("a", store);

    a.tick();

    assertThat(a.isLeader()).isTrue();
    assertThat(store.lease.holderIdentity()).isEqualTo("a");
    assertThat(store.lease.leaseDurationSeconds()).isEqualTo(15);
    assertThat(store.lease.leaseTransitions()).isZero();
    assertThat(changes).containsExactly("a:true");
  }

  @Test
  void aSecondReplicaWaitsWhileTheLeaderRenews() {
    LeaderElector a = elector("a", store);
    LeaderElector b = elector("b", store);
    a.tick();

    for (int i = 0; i < 30; i++) {
      advance(RETRY);
      a.tick();
      b.tick();
      assertThat(a.isLeader()).isTrue();
      assertThat(b.isLeader()).isFalse();
    }
  }

  @Test
  void aSecondReplicaTakesOverOnlyAfterTheLeaseWentUnrenewedForItsDurationByItsOwnClock() {
    LeaderElector a = elector("a", store);
    LeaderElector b = elector("b", store);
    a.tick();
    b.tick(); // b sees a's lease now

    // a stops renewing (its process hangs). b must wait 15 s from when it last saw a change.
    advance(Duration.ofSeconds(14));
    b.tick();
    assertThat(b.isLeader()).isFalse();

    advance(Duration.ofSeconds(1));
    b.tick();
    assertThat(b.isLeader()).isTrue();
    assertThat(store.lease.holderIdentity()).isEqualTo("b");
    assertThat(store.lease.leaseTransitions()).isEqualTo(1);
  }

  @Test
  void aLeaderThatCannotRenewStopsActingAfterTheRenewDeadlineBeforeAnyoneElseMayStart() {
    LeaderElector a = elector("a", store);
    a.tick();
    store.failing = true;

    advance(Duration.ofSeconds(9));
    a.tick();
    assertThat(a.isLeader()).isTrue();

    // Without a tick at all (a stuck thread), the deadline still holds.
    advance(Duration.ofSeconds(1));
    assertThat(a.isLeader()).isFalse();

    a.tick();
    assertThat(changes).containsExactly("a:true", "a:false");
  }

  @Test
  void ofTwoReplicasRacingForAnExpiredLeaseOnlyOneWins() {
    LeaderElector a = elector("a", store);
    LeaderElector b = elector("b", store);
    StaleOnce cView = new StaleOnce(store);
    LeaderElector c = elector("c", cView);
    a.tick();
    b.tick();
    c.tick();
    advance(Duration.ofSeconds(16));

    // b and c both read a's expired lease; b writes first, so c's write is stale.
    cView.stale = store.lease;
    b.tick();
    c.tick();

    assertThat(b.isLeader()).isTrue();
    assertThat(c.isLeader()).isFalse();
    assertThat(store.lease.holderIdentity()).isEqualTo("b");
  }

  @Test
  void closingReleasesTheLeaseSoASuccessorNeedNotWait() {
    LeaderElector a = elector("a", store);
    LeaderElector b = elector("b", store);
    a.tick();
    b.tick();

    a.close();
    advance(RETRY);
    b.tick();

    assertThat(b.isLeader()).isTrue();
    assertThat(changes).containsExactly("a:true", "a:false", "b:true");
  }

  private LeaderElector elector(String id, LeaseStore s) {
    return new LeaderElector(
        s,
        id,
        LEASE,
        RENEW,
        RETRY,
        nanos::get,
        Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC),
        leads -> changes.add(id + ":" + leads));
  }

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  /** Answers one read with an old version of the lease, as a replica that read before a write. */
  static final class StaleOnce implements LeaseStore {
    private final LeaseStore delegate;
    LeaseRecord stale;

    StaleOnce(LeaseStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public Optional<LeaseRecord> get() {
      if (stale != null) {
        LeaseRecord s = stale;
        stale = null;
        return Optional.of(s);
      }
      return delegate.get();
    }

    @Override
    public LeaseRecord create(LeaseRecord record) {
      return delegate.create(record);
    }

    @Override
    public LeaseRecord update(LeaseRecord record) {
      return delegate.update(record);
    }
  }

  /** One lease in memory, with resource versions; can fail or lose races on demand. */
  static final class MemoryLeaseStore implements LeaseStore {
    LeaseRecord lease;
    long version;
    boolean failing;

    @Override
    public synchronized Optional<LeaseRecord> get() {
      check();
      return Optional.ofNullable(lease);
    }

    @Override
    public synchronized LeaseRecord create(LeaseRecord record) {
      check();
      if (lease != null) {
        throw new LeaseConflict("exists");
      }
      lease = withVersion(record);
      return lease;
    }

    @Override
    public synchronized LeaseRecord update(LeaseRecord record) {
      check();
      if (lease == null || !lease.resourceVersion().equals(record.resourceVersion())) {
        throw new LeaseConflict("stale");
      }
      lease = withVersion(record);
      return lease;
    }

    private LeaseRecord withVersion(LeaseRecord r) {
      version++;
      return new LeaseRecord(
          r.holderIdentity(),
          r.leaseDurationSeconds(),
          r.acquireTime(),
          r.renewTime(),
          r.leaseTransitions(),
          Long.toString(version));
    }

    private void check() {
      if (failing) {
        throw new IllegalStateException("the API server is unreachable");
      }
    }
  }
}
