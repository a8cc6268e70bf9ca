package dev.lifeline.client;

import dev.lifeline.client.internal.RealResourceType;
import dev.lifeline.client.internal.codec.ConfigMapCodec;
import dev.lifeline.client.internal.codec.EndpointSliceCodec;
import dev.lifeline.client.internal.codec.EndpointsCodec;
import dev.lifeline.client.internal.codec.EventCodec;
import dev.lifeline.client.internal.codec.LeaseCodec;
import dev.lifeline.client.internal.codec.NamespaceCodec;
import dev.lifeline.client.internal.codec.PodCodec;
import dev.lifeline.client.internal.codec.PodDisruptionBudgetCodec;
import dev.lifeline.client.internal.codec.SecretCodec;
import dev.lifeline.client.internal.codec.ServiceCodec;
import dev.lifeline.client.model.ConfigMap;
import dev.lifeline.client.model.EndpointSlice;
import dev.lifeline.client.model.Endpoints;
import dev.lifeline.client.model.Event;
import dev.lifeline.client.model.GenericObject;
import dev.lifeline.client.model.KubeObject;
import dev.lifeline.client.model.Lease;
import dev.lifeline.client.model.Namespace;
import dev.lifeline.client.model.Pod;
import dev.lifeline.client.model.PodDisruptionBudget;
import dev.lifeline.client.model.Secret;
import dev.lifeline.client.model.Service;

/**
 * A resource of the API (group, version, plural name, scope) and how its objects are decoded: the
 * typed kinds below, or {@link #generic} for anything else. Use {@link #withProjection} to keep
 * only some fields.
 *
 * <p>Instances are immutable and thread-safe. Obtain them from the constants and factories here;
 * this interface is not meant to be implemented outside the client.
 *
 * @param <T> the model objects are decoded into
 */
public interface ResourceType<T extends KubeObject> {
  /** {@code v1 pods}. */
  ResourceType<Pod> POD = RealResourceType.typed("", "v1", "pods", true, PodCodec.CODEC);

  /** {@code v1 services}. */
  ResourceType<Service> SERVICE =
      RealResourceType.typed("", "v1", "services", true, ServiceCodec.CODEC);

  /** {@code v1 endpoints}. */
  ResourceType<Endpoints> ENDPOINTS =
      RealResourceType.typed("", "v1", "endpoints", true, EndpointsCodec.CODEC);

  /** {@code discovery.k8s.io/v1 endpointslices}. */
  ResourceType<EndpointSlice> ENDPOINT_SLICE =
      RealResourceType.typed(
          "discovery.k8s.io", "v1", "endpointslices", true, EndpointSliceCodec.CODEC);

  /** {@code v1 events}. */
  ResourceType<Event> EVENT = RealResourceType.typed("", "v1", "events", true, EventCodec.CODEC);

  /** {@code coordination.k8s.io/v1 leases}. */
  ResourceType<Lease> LEASE =
      RealResourceType.typed("coordination.k8s.io", "v1", "leases", true, LeaseCodec.CODEC);

  /** {@code v1 configmaps}. */
  ResourceType<ConfigMap> CONFIG_MAP =
      RealResourceType.typed("", "v1", "configmaps", true, ConfigMapCodec.CODEC);

  /** {@code v1 secrets}. */
  ResourceType<Secret> SECRET =
      RealResourceType.typed("", "v1", "secrets", true, SecretCodec.CODEC);

  /** {@code v1 namespaces} (cluster-scoped). */
  ResourceType<Namespace> NAMESPACE =
      RealResourceType.typed("", "v1", "namespaces", false, NamespaceCodec.CODEC);

  /** {@code policy/v1 poddisruptionbudgets}. */
  ResourceType<PodDisruptionBudget> POD_DISRUPTION_BUDGET =
      RealResourceType.typed(
          "policy", "v1", "poddisruptionbudgets", true, PodDisruptionBudgetCodec.CODEC);

  /**
   * Any resource, decoded as a {@link GenericObject}.
   *
   * @param group the API group ({@code ""} for the core group)
   * @param version the version, e.g. {@code v1}
   * @param plural the resource's plural name, e.g. {@code deployments}
   * @param kind the kind, e.g. {@code Deployment} (written when creating objects without one)
   * @param namespaced whether objects live in namespaces
   */
  static ResourceType<GenericObject> generic(
      String group, String version, String plural, String kind, boolean namespaced) {
    return RealResourceType.generic(group, version, plural, kind, namespaced);
  }

  /** The API group; empty for the core group. */
  String group();

  /** The version, e.g. {@code v1}. */
  String version();

  /** The plural resource name used in paths, e.g. {@code pods}. */
  String plural();

  /** The kind, e.g. {@code Pod}. */
  String kind();

  /** Whether objects live in namespaces. */
  boolean isNamespaced();

  /** {@code group/version}, or just the version for the core group. */
  default String apiVersion() {
    return group().isEmpty() ? version() : group() + "/" + version();
  }

  /** The projection in effect, or null when every declared field is decoded. */
  Projection projection();

  /**
   * The same resource decoding only the projection's fields.
   *
   * @throws IllegalArgumentException when a path is not a declared field of the model; the message
   *     lists the known fields at that level
   */
  ResourceType<T> withProjection(Projection projection);
}
