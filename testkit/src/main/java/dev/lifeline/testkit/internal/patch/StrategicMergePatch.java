package dev.lifeline.testkit.internal.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strategic merge patch ({@code application/strategic-merge-patch+json}) for the fields Lifeline
 * patches.
 *
 * <p>Maps merge as in a JSON merge patch. Lists merge by key where the real type declares a {@code
 * patchMergeKey} and this class knows it: containers, init and ephemeral containers, volumes, env,
 * volume mounts and image pull secrets by name, container ports by {@code containerPort}, Service
 * ports by {@code port}, conditions by {@code type}, owner references by {@code uid}; {@code
 * metadata.finalizers} merges as a set. Every other list is replaced, as atomic lists are.
 * Directives: {@code $patch: replace|delete} on maps and keyed list items, {@code $retainKeys},
 * {@code $deleteFromPrimitiveList/<field>}; {@code $setElementOrder/<field>} is accepted and
 * ignored (existing items keep their order, new items are appended).
 */
public final class StrategicMergePatch {
  private static final Map<String, String> COMMON_KEYS = Map.of("metadata.ownerReferences", "uid");
  private static final Map<String, Map<String, String>> KEYS_BY_KIND =
      Map.of(
          "Pod",
          Map.ofEntries(
              Map.entry("spec.containers", "name"),
              Map.entry("spec.initContainers", "name"),
              Map.entry("spec.ephemeralContainers", "name"),
              Map.entry("spec.containers[].ports", "containerPort"),
              Map.entry("spec.initContainers[].ports", "containerPort"),
              Map.entry("spec.containers[].env", "name"),
              Map.entry("spec.initContainers[].env", "name"),
              Map.entry("spec.containers[].volumeMounts", "mountPath"),
              Map.entry("spec.initContainers[].volumeMounts", "mountPath"),
              Map.entry("spec.volumes", "name"),
              Map.entry("spec.imagePullSecrets", "name"),
              Map.entry("status.conditions", "type")),
          "Service",
          Map.of("spec.ports", "port"),
          "Node",
          Map.of("status.conditions", "type", "status.addresses", "type"),
          "Namespace",
          Map.of("status.conditions", "type"));
  private static final Set<String> SET_LISTS = Set.of("metadata.finalizers");

  private final Map<String, String> keys;

  private StrategicMergePatch(String kind) {
    this.keys = KEYS_BY_KIND.getOrDefault(kind, Map.of());
  }

  /**
   * Applies a strategic merge patch to a copy of the object.
   *
   * @param kind the object's kind, which decides the merge keys
   * @throws PatchException when the patch is not a JSON object
   */
  public static JsonNode apply(String kind, JsonNode original, JsonNode patch)
      throws PatchException {
    if (!patch.isObject()) {
      throw new PatchException("unable to find api field in struct for the patch", true);
    }
    JsonNode result =
        new StrategicMergePatch(kind)
            .mergeMap((ObjectNode) original.deepCopy(), (ObjectNode) patch, "");
    return result == null ? JsonNodeFactory.instance.objectNode() : result;
  }

  private String mergeKey(String path) {
    String k = keys.get(path);
    return k != null ? k : COMMON_KEYS.get(path);
  }

  private static String child(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private ObjectNode mergeMap(ObjectNode original, ObjectNode patch, String path) {
    String directive = patch.path("$patch").asText("");
    if (directive.equals("replace")) {
      ObjectNode replaced = patch.deepCopy();
      replaced.remove("$patch");
      return stripDirectives(replaced);
    }
    if (directive.equals("delete")) {
      return null;
    }
    Iterator<Map.Entry<String, JsonNode>> it = patch.properties().iterator();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      JsonNode value = e.getValue();
      if (key.equals("$patch")
          || key.equals("$retainKeys")
          || key.startsWith("$setElementOrder/")) {
        continue;
      }
      if (key.startsWith("$deleteFromPrimitiveList/")) {
        String field = key.substring("$deleteFromPrimitiveList/".length());
        deleteFromPrimitiveList(original, field, value);
        continue;
      }
      String childPath = child(path, key);
      JsonNode existing = original.get(key);
      if (value.isNull()) {
        original.remove(key);
      } else if (value.isObject() && existing != null && existing.isObject()) {
        ObjectNode merged = mergeMap((ObjectNode) existing, (ObjectNode) value, childPath);
        if (merged == null) {
          original.remove(key);
        } else {
          original.set(key, merged);
        }
      } else if (value.isObject()) {
        if (!"delete".equals(value.path("$patch").asText(""))) {
          original.set(key, stripDirectives(value.deepCopy()));
        }
      } else if (value.isArray()) {
        String mk = mergeKey(childPath);
        if (mk != null && existing != null && existing.isArray()) {
          original.set(
              key, mergeList((ArrayNode) existing, (ArrayNode) value, mk, childPath + "[]"));
        } else if (SET_LISTS.contains(childPath) && existing != null && existing.isArray()) {
          ArrayNode merged = ((ArrayNode) existing).deepCopy();
          Set<JsonNode> present = new HashSet<>();
          merged.forEach(present::add);
          for (JsonNode v : value) {
            if (present.add(v)) {
              merged.add(v.deepCopy());
            }
          }
          original.set(key, merged);
        } else {
          original.set(key, stripDirectives(value.deepCopy()));
        }
      } else {
        original.set(key, value.deepCopy());
      }
    }
    JsonNode retain = patch.get("$retainKeys");
    if (retain != null && retain.isArray()) {
      Set<String> keep = new HashSet<>();
      retain.forEach(k -> keep.add(k.asText()));
      original.retain(keep);
    }
    return original;
  }

  private static void deleteFromPrimitiveList(ObjectNode original, String field, JsonNode values) {
    JsonNode list = original.get(field);
    if (list == null || !list.isArray()) {
      return;
    }
    Set<JsonNode> gone = new HashSet<>();
    values.forEach(gone::add);
    ArrayNode kept = JsonNodeFactory.instance.arrayNode();
    list.forEach(
        v -> {
          if (!gone.contains(v)) {
            kept.add(v);
          }
        });
    original.set(field, kept);
  }

  private ArrayNode mergeList(ArrayNode original, ArrayNode patch, String key, String itemPath) {
    for (JsonNode item : patch) {
      if (item.isObject() && "replace".equals(item.path("$patch").asText("")) && item.size() == 1) {
        ArrayNode replaced = JsonNodeFactory.instance.arrayNode();
        for (JsonNode other : patch) {
          if (other != item) {
            replaced.add(stripDirectives(other.deepCopy()));
          }
        }
        return replaced;
      }
    }
    ArrayNode result = original.deepCopy();
    for (JsonNode item : patch) {
      if (!item.isObject() || !item.has(key)) {
        result.add(stripDirectives(item.deepCopy()));
        continue;
      }
      JsonNode id = item.get(key);
      int at = indexOf(result, key, id);
      boolean delete = "delete".equals(item.path("$patch").asText(""));
      if (delete) {
        if (at >= 0) {
          result.remove(at);
        }
      } else if (at >= 0) {
        ObjectNode merged = mergeMap((ObjectNode) result.get(at), (ObjectNode) item, itemPath);
        if (merged == null) {
          result.remove(at);
        } else {
          result.set(at, merged);
        }
      } else {
        result.add(stripDirectives(item.deepCopy()));
      }
    }
    return result;
  }

  private static int indexOf(ArrayNode list, String key, JsonNode id) {
    for (int i = 0; i < list.size(); i++) {
      JsonNode candidate = list.get(i).get(key);
      if (candidate != null && sameKey(candidate, id)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean sameKey(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.asLong() == b.asLong();
    }
    return a.asText().equals(b.asText());
  }

  private static <T extends JsonNode> T stripDirectives(T node) {
    if (node instanceof ObjectNode o) {
      List<String> directives =
          o.properties().stream().map(Map.Entry::getKey).filter(k -> k.startsWith("$")).toList();
      directives.forEach(o::remove);
      o.forEach(StrategicMergePatch::stripDirectives);
    } else if (node instanceof ArrayNode a) {
      a.forEach(StrategicMergePatch::stripDirectives);
    }
    return node;
  }
}
