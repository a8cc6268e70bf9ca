package dev.lifeline.client.internal.codec;

import static dev.lifeline.client.internal.json.Leaf.BOOL;
import static dev.lifeline.client.internal.json.Leaf.INT;
import static dev.lifeline.client.internal.json.Leaf.POOLED;
import static dev.lifeline.client.internal.json.Leaf.STRING;
import static dev.lifeline.client.internal.json.Leaf.TIME;

import dev.lifeline.client.internal.json.JsonOut;
import dev.lifeline.client.internal.json.ObjectSchema;
import dev.lifeline.client.model.Pod;
import java.io.IOException;

/** {@code v1/Pod}. */
public final class PodCodec {
  private PodCodec() {}

  private static final ObjectSchema<Pod.ContainerPort> CONTAINER_PORT =
      ObjectSchema.<Pod.ContainerPort>builder(
              "ContainerPort", 3, s -> new Pod.ContainerPort(s.str(0), s.intOr(1, 0), s.str(2)))
          .value(0, "name", POOLED)
          .value(1, "containerPort", INT)
          .value(2, "protocol", POOLED)
          .build();

  private static final ObjectSchema<Pod.Container> CONTAINER =
      ObjectSchema.<Pod.Container>builder(
              "Container", 3, s -> new Pod.Container(s.str(0), s.str(1), s.list(2)))
          .value(0, "name", POOLED)
          .value(1, "image", POOLED)
          .list(2, "ports", CONTAINER_PORT)
          .build();

  private static final ObjectSchema<Pod.ContainerStatus> CONTAINER_STATUS =
      ObjectSchema.<Pod.ContainerStatus>builder(
              "ContainerStatus",
              5,
              s -> new Pod.ContainerStatus(s.str(0), s.flag(1), s.intOr(2, 0), s.bool(3), s.str(4)))
          .value(0, "name", POOLED)
          .value(1, "ready", BOOL)
          .value(2, "restartCount", INT)
          .value(3, "started", BOOL)
          .value(4, "image", POOLED)
          .build();

  private static final ObjectSchema<String> POD_IP =
      ObjectSchema.<String>builder("PodIP", 1, s -> s.str(0)).value(0, "ip", STRING).build();

  static final ObjectSchema<Pod> SCHEMA =
      ObjectSchema.<Pod>builder(
              "Pod",
              14,
              s ->
                  new Pod(
                      s.get(0),
                      s.str(1),
                      s.bool(2),
                      s.str(3),
                      s.list(4),
                      s.str(5),
                      s.str(6),
                      s.list(7),
                      s.str(8),
                      s.instant(9),
                      s.str(10),
                      s.str(11),
                      s.list(12),
                      s.list(13)))
          .object(0, "metadata", MetaCodec.META)
          .value(1, "spec.nodeName", POOLED)
          .value(2, "spec.hostNetwork", BOOL)
          .value(3, "spec.serviceAccountName", POOLED)
          .list(4, "spec.containers", CONTAINER)
          .value(5, "status.phase", POOLED)
          .value(6, "status.podIP", STRING)
          .list(7, "status.podIPs", POD_IP)
          .value(8, "status.hostIP", POOLED)
          .value(9, "status.startTime", TIME)
          .value(10, "status.reason", POOLED)
          .value(11, "status.message", STRING)
          .list(12, "status.conditions", MetaCodec.CONDITION)
          .list(13, "status.containerStatuses", CONTAINER_STATUS)
          .build();

  /** The codec. */
  public static final Codec<Pod> CODEC = new Codec<>("v1", "Pod", SCHEMA, PodCodec::write);

  static void write(JsonOut out, Pod pod) throws IOException {
    out.begin("v1", "Pod");
    MetaCodec.write(out, pod.metadata());
    out.start("spec")
        .string("nodeName", pod.nodeName())
        .bool("hostNetwork", pod.hostNetwork())
        .string("serviceAccountName", pod.serviceAccountName());
    out.startArray("containers");
    for (Pod.Container c : pod.containers()) {
      out.startElement().string("name", c.name()).string("image", c.image());
      if (!c.ports().isEmpty()) {
        out.startArray("ports");
        for (Pod.ContainerPort p : c.ports()) {
          out.startElement()
              .string("name", p.name())
              .number("containerPort", p.containerPort())
              .string("protocol", p.protocol())
              .end();
        }
        out.endArray();
      }
      out.end();
    }
    out.endArray().end();
    out.start("status")
        .string("phase", pod.phase())
        .string("podIP", pod.podIP())
        .string("hostIP", pod.hostIP())
        .time("startTime", pod.startTime())
        .string("reason", pod.reason())
        .string("message", pod.message());
    if (!pod.podIPs().isEmpty()) {
      out.startArray("podIPs");
      for (String ip : pod.podIPs()) {
        out.startElement().string("ip", ip).end();
      }
      out.endArray();
    }
    MetaCodec.writeConditions(out, pod.conditions());
    if (!pod.containerStatuses().isEmpty()) {
      out.startArray("containerStatuses");
      for (Pod.ContainerStatus s : pod.containerStatuses()) {
        out.startElement()
            .string("name", s.name())
            .bool("ready", s.ready())
            .number("restartCount", s.restartCount())
            .bool("started", s.started())
            .string("image", s.image())
            .end();
      }
      out.endArray();
    }
    out.end().end();
  }
}
