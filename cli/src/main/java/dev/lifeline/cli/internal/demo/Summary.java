package dev.lifeline.cli.internal.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * The demo's summary: a table of both clients' numbers and a verdict written from them, or the same
 * as JSON for scripts. Stateless.
 */
public final class Summary {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Summary() {}

  /** Prints the table, the definitions it needs and the verdict. */
  public static void printTable(DemoResult result, PrintWriter out) {
    ClientResult with = result.withLifeline();
    ClientResult without = result.withoutLifeline();
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"", with.label(), without.label()});
    rows.add(
        row(
            "longest gap between answers",
            with,
            without,
            c -> Durations.seconds(c.longestGapNanos())));
    rows.add(
        row("requests answered / failed", with, without, c -> c.succeeded() + " / " + c.failed()));
    if (with.unanswered() > 0 || without.unanswered() > 0) {
      rows.add(row("requests unanswered at the end", with, without, c -> "" + c.unanswered()));
    }
    rows.add(row("slowest request", with, without, c -> Durations.seconds(c.slowestNanos())));
    for (int i = 0; i < result.faults().size(); i++) {
      int fault = i;
      rows.add(
          row(
              "first answer after the " + result.faults().get(i).label(),
              with,
              without,
              c -> recovery(c.recoveries().get(fault))));
    }
    rows.add(
        row(
            "watch: changes delivered",
            with,
            without,
            c -> c.watch().delivered() + " of " + c.watch().changes()));
    rows.add(
        row(
            "watch: lost / repeated",
            with,
            without,
            c -> c.watch().lost() + " / " + c.watch().repeated()));
    if (with.watch().superseded() > 0 || without.watch().superseded() > 0) {
      rows.add(
          row("watch: superseded in a relist", with, without, c -> "" + c.watch().superseded()));
    }
    if (with.watch().pending() > 0 || without.watch().pending() > 0) {
      rows.add(
          row("watch: not yet delivered at the end", with, without, c -> "" + c.watch().pending()));
    }
    rows.add(
        row(
            "watch: longest delivery delay",
            with,
            without,
            c -> Durations.seconds(c.watch().longestDelayNanos())));
    rows.add(
        row(
            "watch: reconnects / relists",
            with,
            without,
            c -> c.watchResumes() + " / " + c.relists()));

    out.println();
    out.println("Summary (from each client's first answer to the end of the settle phase)");
    out.println();
    int first = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
    int second = rows.stream().mapToInt(r -> r[1].length()).max().orElse(0);
    int third = rows.stream().mapToInt(r -> r[2].length()).max().orElse(0);
    for (String[] r : rows) {
      out.println(
          String.format(
                  Locale.ROOT,
                  "  %-" + first + "s   %" + second + "s   %" + third + "s",
                  r[0],
                  r[1],
                  r[2])
              .stripTrailing());
    }
    out.println();
    out.println(
        "  A gap is time without a successful answer. A change is lost when the watch went past"
            + " it without");
    out.println(
        "  delivering it, repeated when delivered twice; both are checked against the store's"
            + " own history.");
    if (with.watch().superseded() > 0 || without.watch().superseded() > 0) {
      out.println(
          "  Superseded: folded into a later state by a relist after a 410, as client-go's"
              + " reflector does by design.");
    }
    out.println();
    out.println("Verdict: " + verdict(result));
    out.println();
    out.println(
        "Took "
            + Durations.seconds(result.durationNanos())
            + ". Library logs: "
            + result.logFile()
            + ". Run 'lifeline demo --help' for the phases' options.");
    out.flush();
  }

  private static String[] row(
      String name, ClientResult with, ClientResult without, Function<ClientResult, String> value) {
    return new String[] {name, value.apply(with), value.apply(without)};
  }

  private static String recovery(OptionalLong nanos) {
    return nanos.isPresent() ? Durations.seconds(nanos.getAsLong()) : "none";
  }

  /** The verdict: what the numbers say, in two or three sentences. */
  static String verdict(DemoResult result) {
    ClientResult with = result.withLifeline();
    ClientResult without = result.withoutLifeline();
    StringBuilder v = new StringBuilder();
    if (with.longestGapNanos() < without.longestGapNanos()) {
      v.append("with Lifeline the longest gap was ")
          .append(Durations.seconds(with.longestGapNanos()))
          .append(" and ")
          .append(failures(with))
          .append("; without it, ")
          .append(Durations.seconds(without.longestGapNanos()))
          .append(" and ")
          .append(failures(without))
          .append(". ");
    } else {
      v.append("Lifeline did not shorten the longest gap in this run (")
          .append(Durations.seconds(with.longestGapNanos()))
          .append(" with it, ")
          .append(Durations.seconds(without.longestGapNanos()))
          .append(" without); ")
          .append(failures(with))
          .append(" with it, ")
          .append(failures(without))
          .append(" without. ");
    }
    WatchAudit.Result w = with.watch();
    WatchAudit.Result o = without.watch();
    if (w.lost() + w.repeated() + o.lost() + o.repeated() == 0) {
      v.append("Neither watch lost or repeated a change");
    } else {
      v.append("The watch with Lifeline lost ")
          .append(w.lost())
          .append(" and repeated ")
          .append(w.repeated())
          .append(" changes, the one without lost ")
          .append(o.lost())
          .append(" and repeated ")
          .append(o.repeated());
    }
    v.append("; the longest a change took to reach the client was ")
        .append(Durations.seconds(w.longestDelayNanos()))
        .append(" with Lifeline and ")
        .append(Durations.seconds(o.longestDelayNanos()))
        .append(" without");
    if (w.pending() + o.pending() > 0) {
      v.append(" (").append(pendingText(with)).append(pendingText(without)).append(")");
    }
    v.append('.');
    return Character.toUpperCase(v.charAt(0)) + v.substring(1);
  }

  private static String pendingText(ClientResult c) {
    int pending = c.watch().pending();
    return pending == 0
        ? ""
        : Timeline.plural(pending, "change")
            + " still on the way to the client "
            + c.label()
            + " at the end";
  }

  private static String failures(ClientResult c) {
    long failed = c.failed();
    return failed == 0 ? "no request failed" : Timeline.plural(failed, "request") + " failed";
  }

  /** Prints the summary as one JSON document. */
  public static void printJson(DemoResult result, PrintWriter out) {
    ObjectNode root = JSON.createObjectNode();
    root.put("durationSeconds", seconds(result.durationNanos()));
    ArrayNode faults = root.putArray("faults");
    for (FaultRecord f : result.faults()) {
      ObjectNode fault = faults.addObject();
      fault.put("fault", f.label());
      fault.put("atSeconds", seconds(f.sinceStartNanos()));
      if (f.label().startsWith("blackhole")) {
        fault.put("realPacketDrops", f.realDrops());
      }
    }
    ObjectNode clients = root.putObject("clients");
    client(clients.putObject("withLifeline"), result.withLifeline());
    client(clients.putObject("withoutLifeline"), result.withoutLifeline());
    root.put("verdict", verdict(result));
    root.put("libraryLog", result.logFile().toString());
    try {
      out.println(JSON.writeValueAsString(root));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write the summary as JSON", e);
    }
    out.flush();
  }

  private static void client(ObjectNode node, ClientResult c) {
    node.put("longestGapSeconds", seconds(c.longestGapNanos()));
    ObjectNode requests = node.putObject("requests");
    requests.put("answered", c.succeeded());
    requests.put("failed", c.failed());
    requests.put("unanswered", c.unanswered());
    requests.put("slowestSeconds", seconds(c.slowestNanos()));
    ArrayNode recoveries = node.putArray("firstAnswerAfterFaultSeconds");
    for (OptionalLong r : c.recoveries()) {
      if (r.isPresent()) {
        recoveries.add(seconds(r.getAsLong()));
      } else {
        recoveries.addNull();
      }
    }
    ObjectNode watch = node.putObject("watch");
    WatchAudit.Result w = c.watch();
    watch.put("changes", w.changes());
    watch.put("delivered", w.delivered());
    watch.put("lost", w.lost());
    watch.put("repeated", w.repeated());
    watch.put("superseded", w.superseded());
    watch.put("pending", w.pending());
    watch.put("longestDelaySeconds", seconds(w.longestDelayNanos()));
    watch.put("reconnects", c.watchResumes());
    watch.put("relists", c.relists());
  }

  private static double seconds(long nanos) {
    return Math.round(nanos / 1e6) / 1e3;
  }
}
