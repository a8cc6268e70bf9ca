package dev.lifeline.client.internal.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The declared fields of one JSON object type and how to build the immutable model from them.
 *
 * <p>Reading streams over the object once: a declared field is read into its slot, anything else is
 * skipped with {@code skipChildren()} without being materialised. Nested JSON objects whose fields
 * belong to the same model ({@code spec}, {@code status}) are declared with dotted paths and need
 * no object of their own.
 *
 * <p>{@link #project(PathTree)} returns a schema that declares only the requested fields, so a
 * projection costs nothing per object: unwanted fields are simply unknown to the pruned schema.
 * Instances are immutable and thread-safe.
 */
public final class ObjectSchema<T> implements ModelReader<T> {
  private final String typeName;
  private final Group root;
  private final int slotCount;
  private final Function<Slots, T> factory;

  private ObjectSchema(String typeName, Group root, int slotCount, Function<Slots, T> factory) {
    this.typeName = typeName;
    this.root = root;
    this.slotCount = slotCount;
    this.factory = factory;
  }

  /** Starts declaring a type whose model has {@code slotCount} values, built by {@code factory}. */
  public static <T> Builder<T> builder(String typeName, int slotCount, Function<Slots, T> factory) {
    return new Builder<>(typeName, slotCount, factory);
  }

  /** The type's name, for messages. */
  public String typeName() {
    return typeName;
  }

  /**
   * Reads the object at the parser's current token ({@code START_OBJECT}; {@code null} reads as
   * null) and leaves the parser on its {@code END_OBJECT}.
   */
  @Override
  public T read(JsonParser p) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    Object[] values = new Object[slotCount];
    root.read(p, values);
    return factory.apply(new Slots(values));
  }

  /**
   * A schema that keeps only the fields in {@code tree}.
   *
   * @throws IllegalArgumentException naming the path and the known fields when the tree names a
   *     field this type does not declare, or goes below a field that has no declared parts
   */
  @Override
  public ObjectSchema<T> project(PathTree tree) {
    if (tree.isAll()) {
      return this;
    }
    return new ObjectSchema<>(typeName, root.prune(tree, typeName, ""), slotCount, factory);
  }

  /** The dotted paths this schema declares, for documentation and messages. */
  public List<String> paths() {
    List<String> out = new ArrayList<>();
    root.collect("", out);
    return out;
  }

  /** One declared JSON field. */
  private abstract static class Field {
    abstract void read(JsonParser p, Object[] values) throws IOException;

    abstract Field prune(PathTree tree, String typeName, String path);

    abstract void collect(String path, List<String> out);
  }

  /** A JSON object whose fields are read into the enclosing model's slots. */
  private static final class Group extends Field {
    private final String where;
    private final Map<String, Field> fields;

    Group(String where, Map<String, Field> fields) {
      this.where = where;
      this.fields = fields;
    }

    @Override
    void read(JsonParser p, Object[] values) throws IOException {
      if (p.currentToken() == JsonToken.VALUE_NULL) {
        return;
      }
      Leaf.expect(p, JsonToken.START_OBJECT, where, "an object");
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        Field field = fields.get(p.currentName());
        p.nextToken();
        if (field == null) {
          p.skipChildren();
        } else {
          field.read(p, values);
        }
      }
    }

    @Override
    Group prune(PathTree tree, String typeName, String path) {
      if (tree.isAll()) {
        return this;
      }
      Map<String, Field> kept = new LinkedHashMap<>();
      for (Map.Entry<String, PathTree> e : tree.children().entrySet()) {
        Field field = fields.get(e.getKey());
        String childPath = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        if (field == null) {
          throw new IllegalArgumentException(
              "projection of "
                  + typeName
                  + ": unknown field '"
                  + childPath
                  + "'; the fields "
                  + (path.isEmpty() ? "of " + typeName : "under '" + path + "'")
                  + " are "
                  + new TreeSet<>(fields.keySet()));
        }
        kept.put(e.getKey(), field.prune(e.getValue(), typeName, childPath));
      }
      return new Group(where, kept);
    }

    @Override
    void collect(String path, List<String> out) {
      for (Map.Entry<String, Field> e : fields.entrySet()) {
        e.getValue().collect(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out);
      }
    }
  }

  /** A leaf value in one slot. */
  private static final class Value extends Field {
    private final int slot;
    private final String where;
    private final Leaf leaf;

    Value(int slot, String where, Leaf leaf) {
      this.slot = slot;
      this.where = where;
      this.leaf = leaf;
    }

    @Override
    void read(JsonParser p, Object[] values) throws IOException {
      values[slot] = leaf.read(p, where);
    }

    @Override
    Field prune(PathTree tree, String typeName, String path) {
      if (!tree.isAll()) {
        throw new IllegalArgumentException(
            "projection of "
                + typeName
                + ": '"
                + path
                + "' is kept whole; it has no parts to choose from ("
                + tree
                + ")");
      }
      return this;
    }

    @Override
    void collect(String path, List<String> out) {
      out.add(path);
    }
  }

  /** A generic JSON value kept as an immutable tree. */
  private static final class Tree extends Field {
    private final int slot;
    private final PathTree keep;

    Tree(int slot, PathTree keep) {
      this.slot = slot;
      this.keep = keep;
    }

    @Override
    void read(JsonParser p, Object[] values) throws IOException {
      values[slot] = JsonTree.read(p, keep);
    }

    @Override
    Field prune(PathTree tree, String typeName, String path) {
      return tree.isAll() ? this : new Tree(slot, tree);
    }

    @Override
    void collect(String path, List<String> out) {
      out.add(path);
    }
  }

  /** A nested model in one slot. */
  private static final class Nested extends Field {
    private final int slot;
    private final ObjectSchema<?> schema;

    Nested(int slot, ObjectSchema<?> schema) {
      this.slot = slot;
      this.schema = schema;
    }

    @Override
    void read(JsonParser p, Object[] values) throws IOException {
      values[slot] = schema.read(p);
    }

    @Override
    Field prune(PathTree tree, String typeName, String path) {
      return tree.isAll()
          ? this
          : new Nested(slot, rename(schema.root.prune(tree, typeName, path), schema));
    }

    @Override
    void collect(String path, List<String> out) {
      schema.root.collect(path, out);
    }
  }

  /** A list of nested models in one slot. */
  private static final class NestedList extends Field {
    private final int slot;
    private final String where;
    private final ObjectSchema<?> element;

    NestedList(int slot, String where, ObjectSchema<?> element) {
      this.slot = slot;
      this.where = where;
      this.element = element;
    }

    @Override
    void read(JsonParser p, Object[] values) throws IOException {
      if (p.currentToken() == JsonToken.VALUE_NULL) {
        return;
      }
      Leaf.expect(p, JsonToken.START_ARRAY, where, "an array");
      List<Object> items = new ArrayList<>();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        Object item = element.read(p);
        if (item != null) {
          items.add(item);
        }
      }
      values[slot] = List.copyOf(items);
    }

    @Override
    Field prune(PathTree tree, String typeName, String path) {
      return tree.isAll()
          ? this
          : new NestedList(slot, where, rename(element.root.prune(tree, typeName, path), element));
    }

    @Override
    void collect(String path, List<String> out) {
      element.root.collect(path, out);
    }
  }

  private static <U> ObjectSchema<U> rename(Group pruned, ObjectSchema<U> original) {
    return new ObjectSchema<>(original.typeName, pruned, original.slotCount, original.factory);
  }

  /**
   * Declares fields by dotted path; intermediate objects become groups read into the same slots.
   */
  public static final class Builder<T> {
    private final String typeName;
    private final int slotCount;
    private final Function<Slots, T> factory;
    private final Map<String, Object> root = new LinkedHashMap<>();
    private final boolean[] used;

    private Builder(String typeName, int slotCount, Function<Slots, T> factory) {
      this.typeName = typeName;
      this.slotCount = slotCount;
      this.factory = factory;
      this.used = new boolean[slotCount];
    }

    /** A leaf at {@code path} read into {@code slot}. */
    public Builder<T> value(int slot, String path, Leaf leaf) {
      return put(slot, path, new Value(slot, typeName + "." + path, leaf));
    }

    /** A generic JSON value at {@code path}, kept as an immutable tree. */
    public Builder<T> tree(int slot, String path) {
      return put(slot, path, new Tree(slot, PathTree.ALL));
    }

    /** A nested model at {@code path}. */
    public Builder<T> object(int slot, String path, ObjectSchema<?> schema) {
      return put(slot, path, new Nested(slot, schema));
    }

    /** A list of nested models at {@code path}. */
    public Builder<T> list(int slot, String path, ObjectSchema<?> element) {
      return put(slot, path, new NestedList(slot, typeName + "." + path, element));
    }

    @SuppressWarnings("unchecked")
    private Builder<T> put(int slot, String path, Field field) {
      if (slot < 0 || slot >= slotCount || used[slot]) {
        throw new IllegalArgumentException(typeName + ": slot " + slot + " of " + path);
      }
      used[slot] = true;
      String[] parts = path.split("\\.");
      Map<String, Object> node = root;
      for (int i = 0; i < parts.length - 1; i++) {
        node = (Map<String, Object>) node.computeIfAbsent(parts[i], k -> new LinkedHashMap<>());
      }
      if (node.put(parts[parts.length - 1], field) != null) {
        throw new IllegalArgumentException(typeName + ": " + path + " declared twice");
      }
      return this;
    }

    /** The schema. */
    public ObjectSchema<T> build() {
      for (int i = 0; i < slotCount; i++) {
        if (!used[i]) {
          throw new IllegalStateException(typeName + ": slot " + i + " is not declared");
        }
      }
      return new ObjectSchema<>(typeName, group(typeName, root), slotCount, factory);
    }

    @SuppressWarnings("unchecked")
    private static Group group(String where, Map<String, Object> node) {
      Map<String, Field> fields = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : node.entrySet()) {
        Object v = e.getValue();
        fields.put(
            e.getKey(),
            v instanceof Field
                ? (Field) v
                : group(where + "." + e.getKey(), (Map<String, Object>) v));
      }
      return new Group(where, Map.copyOf(fields));
    }
  }
}
