package dev.lifeline.dnscheck.internal.cluster;

import dev.lifeline.client.KubeApiException;
import dev.lifeline.client.KubeClient;
import dev.lifeline.client.ResourceType;
import dev.lifeline.client.model.Lease;
import dev.lifeline.client.model.ObjectMeta;
import dev.lifeline.dnscheck.internal.leader.LeaseRecord;
import dev.lifeline.dnscheck.internal.leader.LeaseStore;
import java.util.Optional;

/** A {@code coordination.k8s.io/v1} Lease through the light client. */
public final class ApiLeaseStore implements LeaseStore {
  private final KubeClient client;
  private final String namespace;
  private final String name;

  public ApiLeaseStore(KubeClient client, String namespace, String name) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
  }

  @Override
  public Optional<LeaseRecord> get() {
    return client.find(ResourceType.LEASE, namespace, name).map(ApiLeaseStore::record);
  }

  @Override
  public LeaseRecord create(LeaseRecord record) {
    try {
      return record(client.create(ResourceType.LEASE, lease(record)));
    } catch (KubeApiException e) {
      if (e.isAlreadyExists() || e.isConflict()) {
        throw new LeaseConflict(
            "the lease " + namespace + "/" + name + " was created by another replica");
      }
      throw e;
    }
  }

  @Override
  public LeaseRecord update(LeaseRecord record) {
    try {
      return record(client.update(ResourceType.LEASE, lease(record)));
    } catch (KubeApiException e) {
      if (e.isConflict()) {
        throw new LeaseConflict(
            "the lease " + namespace + "/" + name + " changed since it was read");
      }
      throw e;
    }
  }

  private Lease lease(LeaseRecord r) {
    ObjectMeta.Builder meta = ObjectMeta.builder().namespace(namespace).name(name);
    if (r.resourceVersion() != null) {
      meta.resourceVersion(r.resourceVersion());
    }
    return Lease.builder()
        .metadata(meta.build())
        .holderIdentity(r.holderIdentity())
        .leaseDurationSeconds(r.leaseDurationSeconds())
        .acquireTime(r.acquireTime())
        .renewTime(r.renewTime())
        .leaseTransitions(r.leaseTransitions())
        .build();
  }

  private static LeaseRecord record(Lease l) {
    return new LeaseRecord(
        l.holderIdentity(),
        l.leaseDurationSeconds() == null ? 0 : l.leaseDurationSeconds(),
        l.acquireTime(),
        l.renewTime(),
        l.leaseTransitions() == null ? 0 : l.leaseTransitions(),
        l.metadata().resourceVersion());
  }
}
