package dev.lifeline.testkit.internal.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON patch, RFC 6902 ({@code application/json-patch+json}): add, remove, replace, move, copy,
 * test.
 */
public final class JsonPatch {
  private JsonPatch() {}

  /**
   * Applies a patch document to a copy of the target.
   *
   * @throws PatchException malformed (not an array of operations) or not applicable
   */
  public static JsonNode apply(JsonNode target, JsonNode patch) throws PatchException {
    if (!patch.isArray()) {
      throw new PatchException(
          "json: cannot unmarshal " + kindOf(patch) + " into Go value of type jsonpatch.Patch",
          true);
    }
    JsonNode doc = target.deepCopy();
    for (JsonNode op : patch) {
      if (!op.isObject()) {
        throw new PatchException(
            "json: cannot unmarshal " + kindOf(op) + " into Go value of type jsonpatch.Operation",
            true);
      }
      String name = op.path("op").asText("");
      String path = text(op, "path");
      switch (name) {
        case "add" -> doc = add(doc, path, value(op));
        case "remove" -> doc = remove(doc, path);
        case "replace" -> {
          get(doc, path, "replace");
          doc = remove(doc, path);
          doc = add(doc, path, value(op));
        }
        case "move" -> {
          String from = text(op, "from");
          JsonNode v = get(doc, from, "move");
          doc = remove(doc, from);
          doc = add(doc, path, v);
        }
        case "copy" -> doc = add(doc, path, get(doc, text(op, "from"), "copy").deepCopy());
        case "test" -> {
          JsonNode have = get(doc, path, "test");
          if (!have.equals(value(op))) {
            throw new PatchException("testing value " + path + " failed: test failed", false);
          }
        }
        default -> throw new PatchException("Unexpected kind: " + name, false);
      }
    }
    return doc;
  }

  private static String kindOf(JsonNode n) {
    return n.isObject() ? "object" : n.isTextual() ? "string" : n.isNumber() ? "number" : "value";
  }

  private static String text(JsonNode op, String field) throws PatchException {
    JsonNode n = op.get(field);
    if (n == null || !n.isTextual()) {
      throw new PatchException("operation missing " + field + " field: " + op, false);
    }
    return n.asText();
  }

  private static JsonNode value(JsonNode op) throws PatchException {
    if (!op.has("value")) {
      throw new PatchException("missing value for operation " + op, false);
    }
    return op.get("value").deepCopy();
  }

  static List<String> tokens(String pointer) throws PatchException {
    List<String> out = new ArrayList<>();
    if (pointer.isEmpty()) {
      return out;
    }
    if (!pointer.startsWith("/")) {
      throw new PatchException("JSON pointer must start with /: " + pointer, false);
    }
    for (String raw : pointer.substring(1).split("/", -1)) {
      out.add(raw.replace("~1", "/").replace("~0", "~"));
    }
    return out;
  }

  private static JsonNode get(JsonNode doc, String path, String op) throws PatchException {
    JsonNode cur = doc;
    for (String t : tokens(path)) {
      if (cur.isObject()) {
        cur = cur.get(t);
      } else if (cur.isArray()) {
        int i = index(t, cur.size() - 1, path);
        cur = cur.get(i);
      } else {
        cur = null;
      }
      if (cur == null) {
        throw new PatchException(
            op + " operation does not apply: doc is missing path: " + path, false);
      }
    }
    return cur;
  }

  private static int index(String t, int max, String path) throws PatchException {
    try {
      int i = Integer.parseInt(t);
      if (i < 0 || i > max) {
        throw new PatchException("Unable to access invalid index: " + i, false);
      }
      return i;
    } catch (NumberFormatException e) {
      throw new PatchException("invalid array index in path: " + path, false);
    }
  }

  private static JsonNode add(JsonNode doc, String path, JsonNode value) throws PatchException {
    List<String> toks = tokens(path);
    if (toks.isEmpty()) {
      return value;
    }
    JsonNode parent = parent(doc, toks, path, "add");
    String last = toks.get(toks.size() - 1);
    if (parent instanceof ObjectNode o) {
      o.set(last, value);
    } else if (parent instanceof ArrayNode a) {
      if (last.equals("-")) {
        a.add(value);
      } else {
        a.insert(index(last, a.size(), path), value);
      }
    } else {
      throw new PatchException("add operation does not apply: doc is missing path: " + path, false);
    }
    return doc;
  }

  private static JsonNode remove(JsonNode doc, String path) throws PatchException {
    List<String> toks = tokens(path);
    if (toks.isEmpty()) {
      throw new PatchException("remove operation does not apply: cannot remove the root", false);
    }
    JsonNode parent = parent(doc, toks, path, "remove");
    String last = toks.get(toks.size() - 1);
    if (parent instanceof ObjectNode o && o.has(last)) {
      o.remove(last);
    } else if (parent instanceof ArrayNode a) {
      a.remove(index(last, a.size() - 1, path));
    } else {
      throw new PatchException(
          "remove operation does not apply: doc is missing key: " + path, false);
    }
    return doc;
  }

  private static JsonNode parent(JsonNode doc, List<String> toks, String path, String op)
      throws PatchException {
    JsonNode cur = doc;
    for (int i = 0; i < toks.size() - 1; i++) {
      String t = toks.get(i);
      JsonNode next =
          cur.isObject()
              ? cur.get(t)
              : cur.isArray() ? cur.get(index(t, cur.size() - 1, path)) : null;
      if (next == null) {
        throw new PatchException(
            op + " operation does not apply: doc is missing path: " + path, false);
      }
      cur = next;
    }
    return cur;
  }
}
