package dev.lifeline.testkit.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeline.testkit.internal.api.Json;
import dev.lifeline.testkit.internal.api.ResourceType;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One version of one object, serialized once.
 *
 * <p>The body holds the object's JSON without {@code kind} and {@code apiVersion}; every LIST, GET
 * and watch event on every instance writes these same bytes behind the kind's type prefix, so a
 * version is encoded once however many clients read it. The fields selectors need are extracted at
 * store time. Immutable.
 */
public final class StoredObject {
  private final ResourceType type;
  private final String namespace;
  private final String name;
  private final String uid;
  private final long resourceVersion;
  private final Map<String, String> labels;
  private final Map<String, String> fields;
  private final boolean ready;
  private final byte[] body;

  private StoredObject(ResourceType type, ObjectNode tree, long resourceVersion, byte[] body) {
    this.type = type;
    JsonNode meta = tree.path("metadata");
    this.namespace = type.namespaced() ? meta.path("namespace").asText("") : "";
    this.name = meta.path("name").asText("");
    this.uid = meta.path("uid").asText("");
    this.resourceVersion = resourceVersion;
    this.labels = stringMap(meta.path("labels"));
    this.fields = selectableFields(type, tree, namespace, name);
    this.ready = isReady(tree);
    this.body = body;
  }

  /**
   * Captures a tree as a stored version. The tree must already carry its final metadata; {@code
   * kind} and {@code apiVersion} are dropped from the body.
   */
  public static StoredObject of(ResourceType type, ObjectNode tree, long resourceVersion) {
    ObjectNode bodyTree = tree.deepCopy();
    bodyTree.remove("kind");
    bodyTree.remove("apiVersion");
    return new StoredObject(type, bodyTree, resourceVersion, Json.bytes(bodyTree));
  }

  private static Map<String, String> stringMap(JsonNode node) {
    if (!node.isObject() || node.isEmpty()) {
      return Map.of();
    }
    Map<String, String> m = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      m.put(e.getKey(), e.getValue().asText());
    }
    return Collections.unmodifiableMap(m);
  }

  private static Map<String, String> selectableFields(
      ResourceType type, ObjectNode tree, String namespace, String name) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("metadata.name", name);
    m.put("metadata.namespace", namespace);
    for (String f : type.fieldLabels()) {
      JsonNode n = tree;
      for (String part : f.split("\\.")) {
        n = n.path(part);
      }
      String v;
      if (n.isMissingNode() || n.isNull()) {
        v = f.equals("spec.hostNetwork") || f.equals("spec.unschedulable") ? "false" : "";
      } else if (n.isValueNode()) {
        v = n.asText();
      } else {
        v = Json.string(n);
      }
      if (f.equals("source") && n.isObject()) {
        v = n.path("component").asText("");
      }
      m.put(f, v);
    }
    return Collections.unmodifiableMap(m);
  }

  private static boolean isReady(ObjectNode tree) {
    for (JsonNode c : tree.path("status").path("conditions")) {
      if ("Ready".equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
        return true;
      }
    }
    return false;
  }

  /** The kind. */
  public ResourceType type() {
    return type;
  }

  /** The namespace, empty for cluster-scoped kinds. */
  public String namespace() {
    return namespace;
  }

  /** The name. */
  public String name() {
    return name;
  }

  /** The store key: {@code namespace/name}, or {@code name} for cluster-scoped kinds. */
  public String key() {
    return keyOf(type, namespace, name);
  }

  /** The store key of a name in a namespace. */
  public static String keyOf(ResourceType type, String namespace, String name) {
    return type.namespaced() ? namespace + "/" + name : name;
  }

  /** {@code metadata.uid}. */
  public String uid() {
    return uid;
  }

  /** {@code metadata.resourceVersion} as a number. */
  public long resourceVersion() {
    return resourceVersion;
  }

  /** {@code metadata.labels}, unmodifiable. */
  public Map<String, String> labels() {
    return labels;
  }

  /** Values of the kind's selectable fields, unmodifiable. */
  public Map<String, String> fields() {
    return fields;
  }

  /** Whether the object has the condition {@code Ready=True} (pods). */
  public boolean isReady() {
    return ready;
  }

  /** {@code status.phase}, empty when unset. */
  public String phase() {
    return fields.getOrDefault("status.phase", "");
  }

  /** The serialized body without type meta; callers must not modify the array. */
  public byte[] body() {
    return body;
  }

  /** A fresh, mutable tree of this version with {@code kind} and {@code apiVersion} first. */
  public ObjectNode toTree() {
    ObjectNode parsed = Json.parseTrusted(body);
    ObjectNode out = Json.object();
    out.put("kind", type.kind());
    out.put("apiVersion", type.apiVersion());
    out.setAll(parsed);
    return out;
  }

  /** This version with another resourceVersion, as a DELETED event carries it. */
  public StoredObject withResourceVersion(long rv) {
    ObjectNode tree = toTree();
    ((ObjectNode) tree.get("metadata")).put("resourceVersion", Long.toString(rv));
    return of(type, tree, rv);
  }

  @Override
  public String toString() {
    return type + " " + key() + "@" + resourceVersion;
  }
}
