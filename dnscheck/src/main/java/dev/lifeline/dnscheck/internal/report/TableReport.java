package dev.lifeline.dnscheck.internal.report;

import dev.lifeline.dnscheck.DnsCheckReport;
import dev.lifeline.dnscheck.DnsCheckReport.StreamReport;
import dev.lifeline.dnscheck.DnsCheckReport.TargetReport;
import dev.lifeline.dnscheck.Transport;
import dev.lifeline.dnscheck.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Renders a report as a table for people: the verdict first, then one row per target. */
public final class TableReport {
  private static final String[] HEADER = {
    "TARGET", "KIND", "ENDPOINT", "NODE", "VERDICT", "UDP OK", "TCP OK", "LAST RTT"
  };

  private TableReport() {}

  public static String render(DnsCheckReport r) {
    StringBuilder sb = new StringBuilder();
    long failing = r.targets().stream().filter(t -> t.verdict() == Verdict.FAILING).count();
    long unknown = r.targets().stream().filter(t -> t.verdict() == Verdict.UNKNOWN).count();
    sb.append("cluster DNS: ").append(r.healthy() ? "HEALTHY" : "UNHEALTHY");
    if (r.targets().isEmpty()) {
      sb.append(" (nothing to probe)");
    } else {
      sb.append(" (")
          .append(failing)
          .append(" of ")
          .append(r.targets().size())
          .append(" targets failing");
      if (unknown > 0) {
        sb.append(", ").append(unknown).append(" not judged");
      }
      sb.append(')');
    }
    sb.append('\n');
    sb.append("mode: ").append(r.mode().label()).append(" (").append(r.modeReason()).append(")\n");
    sb.append("  sees: ").append(r.mode().sees()).append('\n');
    sb.append("  cannot see: ").append(r.mode().cannotSee()).append('\n');
    if (r.modeSelection().size() > 1) {
      sb.append("  how it was chosen:\n");
      for (String line : r.modeSelection()) {
        sb.append("    ").append(line).append('\n');
      }
    }
    sb.append("cluster domain: ")
        .append(r.clusterDomain())
        .append(" (")
        .append(r.clusterDomainSource())
        .append(")\n");
    sb.append("checks:\n");
    for (String c : r.checks()) {
      sb.append("  ").append(c).append('\n');
    }
    sb.append('\n');
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (TargetReport t : r.targets()) {
      rows.add(
          new String[] {
            t.name(),
            t.kind(),
            t.endpoint(),
            t.node().isEmpty() ? "-" : t.node(),
            t.verdict() == Verdict.FAILING ? "FAILING" : t.verdict().label(),
            okShare(t, Transport.UDP),
            okShare(t, Transport.TCP),
            lastLatency(t)
          });
    }
    int[] widths = new int[HEADER.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (int i = 0; i < rows.size(); i++) {
      sb.append(row(rows.get(i), widths)).append('\n');
      if (i > 0) {
        TargetReport t = r.targets().get(i - 1);
        if (!t.note().isEmpty()) {
          sb.append("    note: ").append(t.note()).append('\n');
        }
        if (t.verdict() != Verdict.HEALTHY) {
          for (String e : t.evidence()) {
            sb.append("    ").append(e).append('\n');
          }
        }
      }
    }
    if (!r.alerts().isEmpty()) {
      sb.append("\nalerts:\n");
      for (String a : r.alerts()) {
        sb.append("  ").append(a).append('\n');
      }
    }
    if (!r.notes().isEmpty()) {
      sb.append("\nnotes:\n");
      for (String n : r.notes()) {
        sb.append("  ").append(n).append('\n');
      }
    }
    return sb.toString();
  }

  private static String row(String[] cells, int[] widths) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        sb.append("  ");
      }
      sb.append(cells[i]);
      if (i < cells.length - 1) {
        sb.append(" ".repeat(widths[i] - cells[i].length()));
      }
    }
    return sb.toString().stripTrailing();
  }

  /** Successful of all results in the window, over every check of that transport. */
  private static String okShare(TargetReport t, Transport transport) {
    int samples = 0;
    int failures = 0;
    boolean any = false;
    for (StreamReport s : t.streams()) {
      if (s.transport() == transport) {
        any = true;
        samples += s.samples();
        failures += s.failures();
      }
    }
    return any ? (samples - failures) + "/" + samples : "-";
  }

  private static String lastLatency(TargetReport t) {
    Optional<Duration> max =
        t.streams().stream()
            .map(StreamReport::lastLatency)
            .flatMap(Optional::stream)
            .max(Duration::compareTo);
    return max.map(TableReport::millis).orElse("-");
  }

  static String millis(Duration d) {
    double ms = d.toNanos() / 1e6;
    return ms < 10
        ? String.format(Locale.ROOT, "%.1fms", ms)
        : String.format(Locale.ROOT, "%.0fms", ms);
  }
}
