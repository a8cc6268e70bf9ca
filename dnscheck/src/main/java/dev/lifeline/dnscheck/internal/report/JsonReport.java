package dev.lifeline.dnscheck.internal.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.lifeline.dnscheck.DnsCheckReport;
import dev.lifeline.dnscheck.DnsCheckReport.StreamReport;
import dev.lifeline.dnscheck.DnsCheckReport.TargetReport;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Renders a report as one JSON document. Field names are stable: scripts rely on them (see
 * lifeline-dnscheck-results(7)).
 */
public final class JsonReport {
  private static final JsonFactory JSON = JsonFactory.builder().build();

  private JsonReport() {}

  public static String render(DnsCheckReport r) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeStringField("status", r.healthy() ? "healthy" : "unhealthy");
      g.writeStringField("time", r.time().toString());
      g.writeObjectFieldStart("mode");
      g.writeStringField("name", r.mode().label());
      g.writeStringField("reason", r.modeReason());
      g.writeStringField("sees", r.mode().sees());
      g.writeStringField("cannotSee", r.mode().cannotSee());
      strings(g, "selection", r.modeSelection());
      g.writeEndObject();
      g.writeStringField("clusterDomain", r.clusterDomain());
      g.writeStringField("clusterDomainSource", r.clusterDomainSource());
      strings(g, "checks", r.checks());
      g.writeArrayFieldStart("targets");
      for (TargetReport t : r.targets()) {
        target(g, t);
      }
      g.writeEndArray();
      strings(g, "alerts", r.alerts());
      strings(g, "notes", r.notes());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to a string cannot fail", e);
    }
    return out + "\n";
  }

  private static void target(JsonGenerator g, TargetReport t) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", t.id());
    g.writeStringField("kind", t.kind());
    g.writeStringField("name", t.name());
    g.writeStringField("endpoint", t.endpoint());
    if (!t.node().isEmpty()) {
      g.writeStringField("node", t.node());
    }
    g.writeStringField("verdict", t.verdict().label());
    if (!t.note().isEmpty()) {
      g.writeStringField("note", t.note());
    }
    g.writeArrayFieldStart("streams");
    for (StreamReport s : t.streams()) {
      g.writeStartObject();
      g.writeStringField("check", s.check());
      g.writeStringField("transport", s.transport().label());
      g.writeStringField("verdict", s.verdict().label());
      g.writeNumberField("samples", s.samples());
      g.writeNumberField("failures", s.failures());
      if (!s.lastOutcome().isEmpty()) {
        g.writeStringField("lastOutcome", s.lastOutcome());
      }
      if (s.lastLatency().isPresent()) {
        g.writeNumberField("lastLatencyMillis", s.lastLatency().get().toNanos() / 1e6);
      }
      g.writeEndObject();
    }
    g.writeEndArray();
    strings(g, "evidence", t.evidence());
    g.writeEndObject();
  }

  private static void strings(JsonGenerator g, String field, List<String> values)
      throws IOException {
    g.writeArrayFieldStart(field);
    for (String v : values) {
      g.writeString(v);
    }
    g.writeEndArray();
  }
}
