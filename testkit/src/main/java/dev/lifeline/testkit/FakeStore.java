package dev.lifeline.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Direct access to the store every instance of a fake control plane serves from, without HTTP.
 * Objects are identified by {@code apiVersion} and {@code kind} (for example {@code "v1", "Pod"} or
 * {@code "discovery.k8s.io/v1", "EndpointSlice"}).
 *
 * <p>Writes follow the apiserver's registry rules (generated names, uid, resourceVersion,
 * creationTimestamp, generation, ClusterIP allocation, optimistic concurrency) and reach watchers
 * exactly as writes through the API do. Unlike the HTTP API, {@link #create} keeps a status the
 * caller supplies, so a test can create a Ready pod in one step. Failures are {@link
 * KubeApiException}s with the codes and reasons the API would answer.
 *
 * <p>Thread-safe.
 */
public interface FakeStore {
  /** The current global resourceVersion. */
  long resourceVersion();

  /**
   * Creates an object; its {@code apiVersion}, {@code kind} and {@code metadata.namespace} say
   * where.
   */
  ObjectNode create(JsonNode object);

  /** Creates an object given as JSON or YAML text. */
  ObjectNode create(String jsonOrYaml);

  /**
   * Replaces an object (status included). With {@code metadata.resourceVersion} set the update is
   * optimistic and fails with 409 Conflict when stale; without it, unconditional.
   */
  ObjectNode update(JsonNode object);

  /** The current version of an object. */
  Optional<ObjectNode> get(String apiVersion, String kind, String namespace, String name);

  /**
   * The objects of a kind, sorted by namespace and name.
   *
   * @param namespace a namespace, or null for all
   */
  List<ObjectNode> list(String apiVersion, String kind, String namespace);

  /**
   * Deletes an object.
   *
   * @return whether it existed
   */
  boolean delete(String apiVersion, String kind, String namespace, String name);

  /**
   * Creates every object of a YAML or JSON file: single documents, multi-document YAML, and {@code
   * List} kinds. Namespaces named by objects must exist or come earlier in the file.
   *
   * @return the created objects
   * @throws IllegalArgumentException naming the file and document when a document is not a known
   *     kind
   */
  List<ObjectNode> seed(Path file);

  /** Creates every object of YAML or JSON text (see {@link #seed(Path)}). */
  List<ObjectNode> seed(String jsonOrYaml);

  /**
   * Compacts the history of every kind up to the current version, as an etcd compaction would:
   * watches from older versions get a 410 Expired ERROR event, LISTs with older exact versions or
   * continue tokens get 410.
   *
   * @return the version compacted to
   */
  long compact();

  /** The changes of a kind still held in its history (the watch cache window), oldest first. */
  List<StoreEvent> history(String apiVersion, String kind);

  /** Adds a listener of every change. */
  void addListener(StoreListener listener);

  /** Removes a listener. */
  void removeListener(StoreListener listener);
}
