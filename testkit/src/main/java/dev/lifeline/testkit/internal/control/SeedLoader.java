package dev.lifeline.testkit.internal.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeline.testkit.internal.api.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads objects from YAML or JSON: single documents, multi-document YAML and {@code List} kinds.
 */
final class SeedLoader {
  private SeedLoader() {}

  /**
   * The objects of a text, in order.
   *
   * @param source names the text in error messages (a file name, or "seed text")
   * @throws IllegalArgumentException naming the source and document when something is not an object
   */
  static List<ObjectNode> objects(String text, String source) {
    List<JsonNode> docs = new ArrayList<>();
    String trimmed = text.stripLeading();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
      try {
        docs.add(Json.MAPPER.readTree(text));
      } catch (IOException e) {
        throw new IllegalArgumentException(source + " is not valid JSON: " + e.getMessage(), e);
      }
    } else {
      try {
        for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(text)) {
          if (doc != null) {
            docs.add(Json.MAPPER.valueToTree(doc));
          }
        }
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(source + " is not valid YAML: " + e.getMessage(), e);
      }
    }
    List<ObjectNode> out = new ArrayList<>();
    for (int i = 0; i < docs.size(); i++) {
      flatten(docs.get(i), source + " document " + (i + 1), out);
    }
    return out;
  }

  private static void flatten(JsonNode doc, String where, List<ObjectNode> out) {
    if (doc.isArray()) {
      for (int i = 0; i < doc.size(); i++) {
        flatten(doc.get(i), where + " item " + (i + 1), out);
      }
      return;
    }
    if (!doc.isObject()) {
      throw new IllegalArgumentException(where + " is not an object");
    }
    String kind = doc.path("kind").asText("");
    if (kind.endsWith("List") && doc.path("items").isArray()) {
      JsonNode items = doc.path("items");
      String itemKind = kind.equals("List") ? null : kind.substring(0, kind.length() - 4);
      for (int i = 0; i < items.size(); i++) {
        JsonNode item = items.get(i);
        if (item instanceof ObjectNode o && itemKind != null && !o.has("kind")) {
          o.put("kind", itemKind);
          o.set("apiVersion", doc.get("apiVersion"));
        }
        flatten(item, where + " item " + (i + 1), out);
      }
      return;
    }
    if (kind.isEmpty() || doc.path("apiVersion").asText("").isEmpty()) {
      throw new IllegalArgumentException(where + " has no kind or apiVersion");
    }
    out.add((ObjectNode) doc);
  }
}
