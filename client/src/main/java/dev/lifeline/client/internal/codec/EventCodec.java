package dev.lifeline.client.internal.codec;

import static dev.lifeline.client.internal.json.Leaf.INT;
import static dev.lifeline.client.internal.json.Leaf.POOLED;
import static dev.lifeline.client.internal.json.Leaf.STRING;
import static dev.lifeline.client.internal.json.Leaf.TIME;

import dev.lifeline.client.internal.json.JsonOut;
import dev.lifeline.client.internal.json.ObjectSchema;
import dev.lifeline.client.model.Event;
import java.io.IOException;

/** {@code v1/Event}. */
public final class EventCodec {
  private EventCodec() {}

  static final ObjectSchema<Event> SCHEMA =
      ObjectSchema.<Event>builder(
              "Event",
              14,
              s ->
                  new Event(
                      s.get(0),
                      s.get(1),
                      s.str(2),
                      s.str(3),
                      s.str(4),
                      s.str(5),
                      s.str(6),
                      s.instant(7),
                      s.instant(8),
                      s.integer(9),
                      s.instant(10),
                      s.str(11),
                      s.str(12),
                      s.str(13)))
          .object(0, "metadata", MetaCodec.META)
          .object(1, "involvedObject", MetaCodec.REFERENCE)
          .value(2, "reason", POOLED)
          .value(3, "message", STRING)
          .value(4, "type", POOLED)
          .value(5, "source.component", POOLED)
          .value(6, "source.host", POOLED)
          .value(7, "firstTimestamp", TIME)
          .value(8, "lastTimestamp", TIME)
          .value(9, "count", INT)
          .value(10, "eventTime", TIME)
          .value(11, "reportingComponent", POOLED)
          .value(12, "reportingInstance", POOLED)
          .value(13, "action", POOLED)
          .build();

  /** The codec. */
  public static final Codec<Event> CODEC = new Codec<>("v1", "Event", SCHEMA, EventCodec::write);

  static void write(JsonOut out, Event e) throws IOException {
    out.begin("v1", "Event");
    MetaCodec.write(out, e.metadata());
    MetaCodec.writeReference(out, "involvedObject", e.involvedObject());
    out.string("reason", e.reason()).string("message", e.message()).string("type", e.type());
    if (e.sourceComponent() != null || e.sourceHost() != null) {
      out.start("source")
          .string("component", e.sourceComponent())
          .string("host", e.sourceHost())
          .end();
    }
    out.time("firstTimestamp", e.firstTimestamp())
        .time("lastTimestamp", e.lastTimestamp())
        .number("count", e.count())
        .microTime("eventTime", e.eventTime())
        .string("reportingComponent", e.reportingComponent())
        .string("reportingInstance", e.reportingInstance())
        .string("action", e.action())
        .end();
  }
}
