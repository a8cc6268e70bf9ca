package dev.lifeline.client.internal.json;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fields a projection keeps, as a tree of JSON field names: a node either keeps its whole
 * subtree ({@link #ALL}) or only the children it names. Lists are transparent: a path through a
 * list of objects applies to every element.
 */
public final class PathTree {
  /** Keep everything below. */
  public static final PathTree ALL = new PathTree(null);

  private final Map<String, PathTree> children;

  private PathTree(Map<String, PathTree> children) {
    this.children = children;
  }

  /**
   * The tree of the given dotted paths; a path that is a prefix of another keeps the longer one's
   * whole parent.
   */
  public static PathTree of(Collection<String> dottedPaths) {
    Map<String, Object> root = new LinkedHashMap<>();
    for (String path : dottedPaths) {
      add(root, path.split("\\.", -1), 0);
    }
    return build(root);
  }

  @SuppressWarnings("unchecked")
  private static void add(Map<String, Object> node, String[] parts, int index) {
    String key = parts[index];
    if (index == parts.length - 1) {
      node.put(key, ALL);
      return;
    }
    Object child = node.get(key);
    if (child == ALL) {
      return;
    }
    Map<String, Object> map;
    if (child == null) {
      map = new LinkedHashMap<>();
      node.put(key, map);
    } else {
      map = (Map<String, Object>) child;
    }
    add(map, parts, index + 1);
  }

  @SuppressWarnings("unchecked")
  private static PathTree build(Map<String, Object> node) {
    Map<String, PathTree> children = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : node.entrySet()) {
      Object v = e.getValue();
      children.put(e.getKey(), v == ALL ? ALL : build((Map<String, Object>) v));
    }
    return new PathTree(Collections.unmodifiableMap(children));
  }

  /** Whether the whole subtree is kept. */
  public boolean isAll() {
    return children == null;
  }

  /** The named children (empty for {@link #ALL}, which keeps every child). */
  public Map<String, PathTree> children() {
    return children == null ? Map.of() : children;
  }

  /** The subtree for a child field, or null when that field is not kept. */
  public PathTree child(String name) {
    return children == null ? ALL : children.get(name);
  }

  @Override
  public String toString() {
    return children == null ? "*" : children.toString();
  }
}
