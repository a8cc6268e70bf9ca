package dev.lifeline.dnscheck.internal.agent;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.lifeline.dnscheck.Transport;
import dev.lifeline.dnscheck.internal.Target;
import dev.lifeline.dnscheck.internal.engine.BatchProber;
import dev.lifeline.dnscheck.internal.engine.ResolvedCheck;
import dev.lifeline.dnscheck.internal.probe.Outcome;
import dev.lifeline.dnscheck.internal.probe.ProbeRequest;
import dev.lifeline.dnscheck.internal.probe.ProbeResult;
import dev.lifeline.dnscheck.internal.verdict.StreamKey;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * The helper pod's report: one JSON object per line for each probe, then {@code {"done":true}}.
 * Lines that are not such objects (a JVM warning in the log) are skipped; a report without its last
 * line is incomplete and refused, so that a pod killed half-way is not read as healthy.
 */
public final class AgentReport {
  private static final JsonFactory JSON = JsonFactory.builder().build();

  private AgentReport() {}

  /** One probe's line. */
  public static String line(String targetId, ProbeResult r) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("target", targetId);
      g.writeStringField("check", r.request().check());
      g.writeStringField("transport", r.request().transport().label());
      g.writeStringField("qname", r.request().qname().toString());
      g.writeStringField("outcome", r.outcome().label());
      if (r.detail() != null) {
        g.writeStringField("detail", r.detail());
      }
      g.writeNumberField("attempts", r.attempts());
      g.writeNumberField("latencyNanos", r.latencyNanos());
      g.writeNumberField("rcode", r.rcode());
      g.writeArrayFieldStart("answers");
      for (String a : r.answers()) {
        g.writeString(a);
      }
      g.writeEndArray();
      g.writeNumberField("startedNanos", r.startedNanos());
      g.writeNumberField("finishedNanos", r.finishedNanos());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** The last line. */
  public static String doneLine(int rounds, int probes) {
    return "{\"done\":true,\"rounds\":" + rounds + ",\"probes\":" + probes + "}";
  }

  /**
   * Reads a report.
   *
   * @param targets the targets the pod was given, by id
   * @param checks the checks it was given, by name
   * @throws IllegalArgumentException when the report is incomplete or names unknown targets
   */
  public static List<BatchProber.Result> parse(
      String log, Map<String, Target> targets, Map<String, ResolvedCheck> checks) {
    List<BatchProber.Result> out = new ArrayList<>();
    boolean done = false;
    for (String line : log.split("\\R")) {
      String l = line.strip();
      if (!l.startsWith("{")) {
        continue;
      }
      Map<String, Object> fields = fields(l);
      if (fields == null) {
        continue;
      }
      if (Boolean.TRUE.equals(fields.get("done"))) {
        done = true;
        continue;
      }
      out.add(result(fields, targets, checks));
    }
    if (!done) {
      throw new IllegalArgumentException(
          "the helper pod's report is incomplete (" + out.size() + " probes, no final line)");
    }
    return out;
  }

  private static BatchProber.Result result(
      Map<String, Object> f, Map<String, Target> targets, Map<String, ResolvedCheck> checks) {
    String targetId = (String) f.get("target");
    Target t = targets.get(targetId);
    ResolvedCheck c = checks.get((String) f.get("check"));
    if (t == null || c == null) {
      throw new IllegalArgumentException(
          "the helper pod reported an unknown target or check: " + targetId + " " + f.get("check"));
    }
    Transport transport = Transport.parse((String) f.get("transport"));
    Name qname;
    try {
      qname = Name.fromString((String) f.get("qname"));
    } catch (TextParseException e) {
      throw new IllegalArgumentException(
          "the helper pod reported a bad name: " + f.get("qname"), e);
    }
    ProbeRequest request =
        new ProbeRequest(
            c.name(),
            t.address(),
            transport,
            qname,
            c.qtype(),
            c.expectation(),
            c.timeout(),
            Math.max(1, num(f, "attempts")));
    @SuppressWarnings("unchecked")
    List<String> answers = (List<String>) f.getOrDefault("answers", List.of());
    ProbeResult r =
        new ProbeResult(
            request,
            Outcome.valueOf(((String) f.get("outcome")).toUpperCase(Locale.ROOT)),
            (String) f.get("detail"),
            Math.max(1, num(f, "attempts")),
            numLong(f, "latencyNanos"),
            num(f, "rcode"),
            answers,
            numLong(f, "startedNanos"),
            numLong(f, "finishedNanos"));
    return new BatchProber.Result(targetId, new StreamKey(c.name(), transport), r);
  }

  private static int num(Map<String, Object> f, String key) {
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, numLong(f, key)));
  }

  private static long numLong(Map<String, Object> f, String key) {
    Object v = f.get(key);
    return v instanceof Number n ? n.longValue() : -1;
  }

  /** A flat object with strings, numbers, booleans and arrays of strings; null if not one. */
  private static Map<String, Object> fields(String line) {
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    try (JsonParser p = JSON.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        switch (t) {
          case VALUE_STRING -> out.put(name, p.getText());
          case VALUE_NUMBER_INT -> out.put(name, p.getLongValue());
          case VALUE_TRUE, VALUE_FALSE -> out.put(name, p.getBooleanValue());
          case START_ARRAY -> {
            List<String> items = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
              items.add(p.getText());
            }
            out.put(name, items);
          }
          default -> p.skipChildren();
        }
      }
      return out;
    } catch (IOException e) {
      return null;
    }
  }
}
