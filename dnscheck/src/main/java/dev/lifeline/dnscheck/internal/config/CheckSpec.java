package dev.lifeline.dnscheck.internal.config;

import dev.lifeline.dnscheck.Check;
import dev.lifeline.dnscheck.Transport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a user check from its one-line form, {@code name=N;query=Q;type=T;...}, or from a map of
 * the same keys (the config file). Errors name the check and the key.
 */
public final class CheckSpec {
  private static final List<String> KEYS =
      List.of(
          "name",
          "query",
          "type",
          "transports",
          "expect",
          "pattern",
          "rcodes",
          "allow-truncation",
          "timeout");

  private CheckSpec() {}

  /** Parses {@code name=ext;query=example.com;type=A;expect=93.184.215.14}. */
  public static Check parse(String spec) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (String part : spec.split(";")) {
      if (part.isBlank()) {
        continue;
      }
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "check '"
                + spec
                + "': '"
                + part.strip()
                + "' is not key=value; use name=N;query=Q[;type=T][;expect=A,B]...");
      }
      String key = part.substring(0, eq).strip();
      if (fields.containsKey(key)) {
        throw new IllegalArgumentException("check '" + spec + "': " + key + " is given twice");
      }
      fields.put(key, part.substring(eq + 1).strip());
    }
    return fromMap(fields, "check '" + spec + "'");
  }

  /**
   * Builds a check from a map; list values may be lists or comma-separated text.
   *
   * @param where names the check's origin in errors
   */
  public static Check fromMap(Map<String, ?> fields, String where) {
    for (String key : fields.keySet()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException(
            where + ": unknown key '" + key + "'; use " + String.join(", ", KEYS));
      }
    }
    String name = text(fields, "name", where);
    String query = text(fields, "query", where);
    Check.Builder b = Check.builder(name, query);
    if (fields.containsKey("type")) {
      b.type(text(fields, "type", where));
    }
    if (fields.containsKey("transports")) {
      List<Transport> ts = new ArrayList<>();
      for (String t : items(fields.get("transports"))) {
        ts.add(Transport.parse(t));
      }
      b.transports(ts);
    }
    if (fields.containsKey("expect")) {
      b.expectAnswers(items(fields.get("expect")));
    }
    if (fields.containsKey("pattern")) {
      b.answerPattern(text(fields, "pattern", where));
    }
    if (fields.containsKey("rcodes")) {
      b.allowRcodes(items(fields.get("rcodes")));
    }
    if (fields.containsKey("allow-truncation")) {
      b.allowTruncation(
          SettingValues.bool(
              "check '" + name + "': allow-truncation",
              String.valueOf(fields.get("allow-truncation"))));
    }
    if (fields.containsKey("timeout")) {
      b.timeout(
          SettingValues.duration(
              "check '" + name + "': timeout", String.valueOf(fields.get("timeout"))));
    }
    return b.build();
  }

  /**
   * The one-line form of a check with {@code {domain}} replaced (a helper pod gets its checks this
   * way); {@code parse(format(c, d))} is {@code c} resolved against {@code d}.
   *
   * @throws IllegalArgumentException when a value holds {@code ;}, which the form cannot carry
   */
  public static String format(Check c, String clusterDomain) {
    List<String> parts = new ArrayList<>();
    parts.add("name=" + c.name());
    parts.add("query=" + c.queryName().replace("{domain}", clusterDomain));
    parts.add("type=" + org.xbill.DNS.Type.string(c.type()));
    c.transports()
        .ifPresent(
            ts ->
                parts.add(
                    "transports="
                        + String.join(",", ts.stream().sorted().map(Transport::label).toList())));
    c.expectedAnswers()
        .ifPresent(a -> parts.add("expect=" + String.join(",", new java.util.TreeSet<>(a))));
    c.answerPattern().ifPresent(p -> parts.add("pattern=" + p.pattern()));
    List<String> rcodes = new ArrayList<>();
    for (int code : new java.util.TreeSet<>(c.allowedRcodes())) {
      rcodes.add(org.xbill.DNS.Rcode.string(code));
    }
    parts.add("rcodes=" + String.join(",", rcodes));
    if (c.allowTruncation()) {
      parts.add("allow-truncation=true");
    }
    c.timeout().ifPresent(t -> parts.add("timeout=" + t.toMillis() + "ms"));
    for (String part : parts) {
      if (part.indexOf(';') >= 0) {
        throw new IllegalArgumentException(
            "check '"
                + c.name()
                + "' has a value with ';', which cannot be passed to a helper pod");
      }
    }
    return String.join(";", parts);
  }

  private static String text(Map<String, ?> fields, String key, String where) {
    Object v = fields.get(key);
    if (v == null || String.valueOf(v).isBlank()) {
      throw new IllegalArgumentException(where + ": " + key + " is missing");
    }
    return String.valueOf(v).strip();
  }

  private static List<String> items(Object value) {
    if (value instanceof List<?> list) {
      List<String> out = new ArrayList<>();
      for (Object o : list) {
        out.add(String.valueOf(o).strip());
      }
      return out;
    }
    return SettingValues.list(String.valueOf(value));
  }
}
