package dev.lifeline.client.model;

/**
 * A reference to another object (an Event's {@code involvedObject}, an endpoint's {@code
 * targetRef}).
 *
 * @param kind the object's kind
 * @param namespace its namespace, or null for cluster-scoped objects
 * @param name its name
 * @param uid its uid, or null
 * @param apiVersion its API version, or null
 * @param resourceVersion the version referred to, or null
 * @param fieldPath a part of the object (e.g. {@code spec.containers{dns}}), or null
 */
public record ObjectReference(
    String kind,
    String namespace,
    String name,
    String uid,
    String apiVersion,
    String resourceVersion,
    String fieldPath) {

  /** A reference to an object by kind, namespace and name. */
  public static ObjectReference of(String kind, String namespace, String name) {
    return new ObjectReference(kind, namespace, name, null, null, null, null);
  }

  /** A reference to the given object. */
  public static ObjectReference to(String apiVersion, String kind, KubeObject object) {
    ObjectMeta m = object.metadata();
    return new ObjectReference(
        kind, m.namespace(), m.name(), m.uid(), apiVersion, m.resourceVersion(), null);
  }
}
