package dev.lifeline.client.internal.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.lifeline.client.internal.json.JsonOut;
import dev.lifeline.client.internal.json.JsonTree;
import dev.lifeline.client.internal.json.ModelReader;
import dev.lifeline.client.internal.json.ObjectSchema;
import dev.lifeline.client.internal.json.PathTree;
import dev.lifeline.client.internal.json.StringPool;
import dev.lifeline.client.model.GenericObject;
import dev.lifeline.client.model.ObjectMeta;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Any kind, as a {@link GenericObject}. */
public final class GenericCodec implements ModelReader<GenericObject> {
  private static final GenericCodec ALL = new GenericCodec(PathTree.ALL, MetaCodec.META);

  private final PathTree keep;
  private final ObjectSchema<ObjectMeta> meta;

  private GenericCodec(PathTree keep, ObjectSchema<ObjectMeta> meta) {
    this.keep = keep;
    this.meta = meta;
  }

  /** A codec for a kind; {@code apiVersion} and {@code kind} are written from each object. */
  public static Codec<GenericObject> codec(String apiVersion, String kind) {
    return new Codec<>(apiVersion, kind, ALL, GenericCodec::write);
  }

  @Override
  public GenericObject read(JsonParser p) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new com.fasterxml.jackson.core.JsonParseException(p, "expected an object");
    }
    String apiVersion = null;
    String kind = null;
    ObjectMeta metadata = null;
    Map<String, Object> content = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "apiVersion":
          apiVersion = StringPool.shared().get(p.getValueAsString());
          break;
        case "kind":
          kind = StringPool.shared().get(p.getValueAsString());
          break;
        case "metadata":
          metadata = meta.read(p);
          break;
        default:
          PathTree child = keep.child(name);
          if (child == null) {
            p.skipChildren();
          } else {
            content.put(name, JsonTree.read(p, child));
          }
      }
    }
    return new GenericObject(
        apiVersion, kind, metadata, java.util.Collections.unmodifiableMap(content));
  }

  @Override
  public ModelReader<GenericObject> project(PathTree tree) {
    if (tree.isAll()) {
      return this;
    }
    // Identity fields are always kept (see ResourceType#withProjection), so metadata is always in
    // the tree.
    PathTree metaTree = tree.child("metadata");
    return new GenericCodec(
        tree, metaTree == null ? MetaCodec.META : MetaCodec.META.project(metaTree));
  }

  static void write(JsonOut out, GenericObject object) throws IOException {
    out.begin(object.apiVersion(), object.kind());
    MetaCodec.write(out, object.metadata());
    for (Map.Entry<String, Object> e : object.content().entrySet()) {
      out.tree(e.getKey(), e.getValue());
    }
    out.end();
  }
}
