package dev.lifeline.client.internal.codec;

import static dev.lifeline.client.internal.json.Leaf.BOOL;
import static dev.lifeline.client.internal.json.Leaf.LONG;
import static dev.lifeline.client.internal.json.Leaf.POOLED;
import static dev.lifeline.client.internal.json.Leaf.POOLED_LIST;
import static dev.lifeline.client.internal.json.Leaf.STRING;
import static dev.lifeline.client.internal.json.Leaf.STRING_MAP;
import static dev.lifeline.client.internal.json.Leaf.TIME;

import dev.lifeline.client.internal.json.JsonOut;
import dev.lifeline.client.internal.json.ObjectSchema;
import dev.lifeline.client.model.Condition;
import dev.lifeline.client.model.LabelSelector;
import dev.lifeline.client.model.ObjectMeta;
import dev.lifeline.client.model.ObjectReference;
import dev.lifeline.client.model.OwnerReference;
import java.io.IOException;
import java.util.List;

/** Metadata and the small types every kind shares. */
public final class MetaCodec {
  private MetaCodec() {}

  static final ObjectSchema<OwnerReference> OWNER =
      ObjectSchema.<OwnerReference>builder(
              "OwnerReference",
              6,
              s -> new OwnerReference(s.str(0), s.str(1), s.str(2), s.str(3), s.bool(4), s.bool(5)))
          .value(0, "apiVersion", POOLED)
          .value(1, "kind", POOLED)
          .value(2, "name", POOLED)
          .value(3, "uid", POOLED)
          .value(4, "controller", BOOL)
          .value(5, "blockOwnerDeletion", BOOL)
          .build();

  /** {@code metadata}. */
  public static final ObjectSchema<ObjectMeta> META =
      ObjectSchema.<ObjectMeta>builder(
              "ObjectMeta",
              12,
              s ->
                  ObjectMeta.builder()
                      .name(s.str(0))
                      .generateName(s.str(1))
                      .namespace(s.str(2))
                      .uid(s.str(3))
                      .resourceVersion(s.str(4))
                      .generation(s.longOr(5, 0))
                      .creationTimestamp(s.instant(6))
                      .deletionTimestamp(s.instant(7))
                      .labels(s.map(8))
                      .annotations(s.map(9))
                      .ownerReferences(s.list(10))
                      .finalizers(s.list(11))
                      .build())
          .value(0, "name", STRING)
          .value(1, "generateName", POOLED)
          .value(2, "namespace", POOLED)
          .value(3, "uid", STRING)
          .value(4, "resourceVersion", STRING)
          .value(5, "generation", LONG)
          .value(6, "creationTimestamp", TIME)
          .value(7, "deletionTimestamp", TIME)
          .value(8, "labels", STRING_MAP)
          .value(9, "annotations", STRING_MAP)
          .list(10, "ownerReferences", OWNER)
          .value(11, "finalizers", POOLED_LIST)
          .build();

  static final ObjectSchema<Condition> CONDITION =
      ObjectSchema.<Condition>builder(
              "Condition",
              5,
              s -> new Condition(s.str(0), s.str(1), s.str(2), s.str(3), s.instant(4)))
          .value(0, "type", POOLED)
          .value(1, "status", POOLED)
          .value(2, "reason", POOLED)
          .value(3, "message", STRING)
          .value(4, "lastTransitionTime", TIME)
          .build();

  static final ObjectSchema<ObjectReference> REFERENCE =
      ObjectSchema.<ObjectReference>builder(
              "ObjectReference",
              7,
              s ->
                  new ObjectReference(
                      s.str(0), s.str(1), s.str(2), s.str(3), s.str(4), s.str(5), s.str(6)))
          .value(0, "kind", POOLED)
          .value(1, "namespace", POOLED)
          .value(2, "name", STRING)
          .value(3, "uid", STRING)
          .value(4, "apiVersion", POOLED)
          .value(5, "resourceVersion", STRING)
          .value(6, "fieldPath", STRING)
          .build();

  static final ObjectSchema<LabelSelector.Requirement> REQUIREMENT =
      ObjectSchema.<LabelSelector.Requirement>builder(
              "LabelSelectorRequirement",
              3,
              s -> new LabelSelector.Requirement(s.str(0), s.str(1), s.list(2)))
          .value(0, "key", POOLED)
          .value(1, "operator", POOLED)
          .value(2, "values", POOLED_LIST)
          .build();

  static final ObjectSchema<LabelSelector> SELECTOR =
      ObjectSchema.<LabelSelector>builder(
              "LabelSelector", 2, s -> new LabelSelector(s.map(0), s.list(1)))
          .value(0, "matchLabels", STRING_MAP)
          .list(1, "matchExpressions", REQUIREMENT)
          .build();

  /** Writes {@code metadata}. */
  public static void write(JsonOut out, ObjectMeta m) throws IOException {
    out.start("metadata")
        .string("name", m.name())
        .string("generateName", m.generateName())
        .string("namespace", m.namespace())
        .string("uid", m.uid())
        .string("resourceVersion", m.resourceVersion());
    if (m.generation() != 0) {
      out.number("generation", m.generation());
    }
    out.time("creationTimestamp", m.creationTimestamp())
        .time("deletionTimestamp", m.deletionTimestamp())
        .map("labels", m.labels())
        .map("annotations", m.annotations());
    if (!m.ownerReferences().isEmpty()) {
      out.startArray("ownerReferences");
      for (OwnerReference r : m.ownerReferences()) {
        out.startElement()
            .string("apiVersion", r.apiVersion())
            .string("kind", r.kind())
            .string("name", r.name())
            .string("uid", r.uid())
            .bool("controller", r.controller())
            .bool("blockOwnerDeletion", r.blockOwnerDeletion())
            .end();
      }
      out.endArray();
    }
    out.strings("finalizers", m.finalizers()).end();
  }

  static void writeConditions(JsonOut out, List<Condition> conditions) throws IOException {
    if (conditions.isEmpty()) {
      return;
    }
    out.startArray("conditions");
    for (Condition c : conditions) {
      out.startElement()
          .string("type", c.type())
          .string("status", c.status())
          .string("reason", c.reason())
          .string("message", c.message())
          .time("lastTransitionTime", c.lastTransitionTime())
          .end();
    }
    out.endArray();
  }

  static void writeReference(JsonOut out, String name, ObjectReference r) throws IOException {
    if (r == null) {
      return;
    }
    out.start(name)
        .string("kind", r.kind())
        .string("namespace", r.namespace())
        .string("name", r.name())
        .string("uid", r.uid())
        .string("apiVersion", r.apiVersion())
        .string("resourceVersion", r.resourceVersion())
        .string("fieldPath", r.fieldPath())
        .end();
  }

  static void writeSelector(JsonOut out, String name, LabelSelector s) throws IOException {
    if (s == null) {
      return;
    }
    out.start(name).map("matchLabels", s.matchLabels());
    if (!s.matchExpressions().isEmpty()) {
      out.startArray("matchExpressions");
      for (LabelSelector.Requirement r : s.matchExpressions()) {
        out.startElement().string("key", r.key()).string("operator", r.operator());
        out.strings("values", r.values()).end();
      }
      out.endArray();
    }
    out.end();
  }
}
