package dev.lifeline.bench.failover;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Renders results as Markdown: per scenario, a table with one row per client, with and without
 * Lifeline side by side, the ratio and the targets; then the details that explain the numbers.
 */
final class Report {
  private static final double[] PERCENTILES = {50, 90, 99, 100};

  private final Map<String, Map<String, List<TrialResult>>> byScenario = new LinkedHashMap<>();

  Report(List<TrialResult> results) {
    for (TrialResult r : results) {
      byScenario
          .computeIfAbsent(r.scenario(), k -> new LinkedHashMap<>())
          .computeIfAbsent(r.configuration(), k -> new ArrayList<>())
          .add(r);
    }
  }

  /** The Markdown report. */
  String render() {
    StringBuilder md = new StringBuilder();
    for (Scenario scenario : Scenario.values()) {
      Map<String, List<TrialResult>> configs = byScenario.get(scenario.id());
      if (configs == null) {
        continue;
      }
      md.append("### ").append(capitalized(scenario.label())).append("\n\n");
      gapTable(md, scenario, configs);
      md.append('\n');
      detailTable(md, configs);
      md.append('\n');
      failures(md, configs);
    }
    return md.toString();
  }

  private void gapTable(
      StringBuilder md, Scenario scenario, Map<String, List<TrialResult>> configs) {
    md.append(
        "| client | gap with Lifeline: p50 / p90 / p99 / max | gap without: p50 / p90 / p99 / max"
            + " | p99 without ÷ with | failed GETs with / without | watch lost / repeated with |"
            + " watch lost / repeated without | target |\n");
    md.append("| --- | --- | --- | ---: | ---: | ---: | ---: | --- |\n");
    for (Configuration with : Configuration.all()) {
      if (!with.lifeline() || !configs.containsKey(with.id())) {
        continue;
      }
      Summary w = Summary.of(configs.get(with.id()));
      Optional<Summary> wo = Optional.ofNullable(configs.get(with.without().id())).map(Summary::of);
      md.append("| ")
          .append(rowLabel(with))
          .append(" | ")
          .append(gaps(w))
          .append(" | ")
          .append(wo.map(Report::gaps).orElse("not run"))
          .append(" | ")
          .append(wo.map(s -> ratio(s, w)).orElse("–"))
          .append(" | ")
          .append(w.failed())
          .append(" / ")
          .append(wo.map(s -> Integer.toString(s.failed())).orElse("–"))
          .append(" | ")
          .append(watch(w))
          .append(" | ")
          .append(wo.map(Report::watch).orElse("–"))
          .append(" | ")
          .append(target(with, scenario, w))
          .append(" |\n");
    }
  }

  private void detailTable(StringBuilder md, Map<String, List<TrialResult>> configs) {
    md.append(
        "| configuration | trials | capped | detection p50 / max | watch delay p50 / max | GETs"
            + " | changes | victims | watch on the victim | untracked | protocol | load p50 / max |\n");
    md.append("| --- | ---: | ---: | --- | --- | ---: | ---: | --- | ---: | ---: | --- | --- |\n");
    for (Configuration c : Configuration.all()) {
      List<TrialResult> results = configs.get(c.id());
      if (results == null) {
        continue;
      }
      Summary s = Summary.of(results);
      md.append("| ")
          .append(c.id())
          .append(" | ")
          .append(s.trials().size())
          .append(s.notRun() > 0 ? " (+" + s.notRun() + " not run)" : "")
          .append(" | ")
          .append(s.capped())
          .append(" | ")
          .append(
              s.detected() == 0
                  ? "–"
                  : duration(s.detection(50), false)
                      + " / "
                      + duration(s.detection(100), false)
                      + (s.detected() < s.trials().size() ? " (" + s.detected() + " trials)" : ""))
          .append(" | ")
          .append(duration(s.percentile(TrialResult::watchDelayMillis, 50), false))
          .append(" / ")
          .append(duration(s.percentile(TrialResult::watchDelayMillis, 100), false))
          .append(" | ")
          .append(s.requests())
          .append(" | ")
          .append(s.expectedChanges())
          .append(" | ")
          .append(s.victims())
          .append(" | ")
          .append(s.watchOnVictim())
          .append(" | ")
          .append(s.untracked() < 0 ? "–" : Integer.toString(s.untracked()))
          .append(" | ")
          .append(String.join(", ", s.protocols()))
          .append(" | ")
          .append(
              String.format(
                  Locale.ROOT,
                  "%.1f / %.1f",
                  s.percentile(TrialResult::load, 50),
                  s.percentile(TrialResult::load, 100)))
          .append(" |\n");
    }
  }

  private void failures(StringBuilder md, Map<String, List<TrialResult>> configs) {
    boolean any = false;
    for (Configuration c : Configuration.all()) {
      List<TrialResult> results = configs.get(c.id());
      if (results == null) {
        continue;
      }
      Summary s = Summary.of(results);
      List<Map.Entry<String, Integer>> kinds = s.failureKinds();
      List<String> notRun =
          results.stream().filter(r -> !r.ran()).map(TrialResult::note).distinct().toList();
      if (kinds.isEmpty() && notRun.isEmpty()) {
        continue;
      }
      if (!any) {
        md.append("First failed GET of each trial, by kind:\n\n");
        any = true;
      }
      md.append("- `").append(c.id()).append("`: ");
      List<String> parts = new ArrayList<>();
      for (int i = 0; i < Math.min(3, kinds.size()); i++) {
        parts.add(kinds.get(i).getValue() + "× `" + kinds.get(i).getKey() + "`");
      }
      for (String why : notRun) {
        parts.add(why);
      }
      md.append(String.join("; ", parts)).append('\n');
    }
    if (any) {
      md.append('\n');
    }
  }

  private static String rowLabel(Configuration c) {
    return switch (c.wiring()) {
      case LIFELINE, WITHOUT -> c.client().label();
      case LIFELINE_AFTER_DISCOVERY -> c.client().label() + "; client built after discovery";
      case LIFELINE_JVM_DNS_CACHE -> c.client().label() + "; JVM DNS cache 30 s";
    };
  }

  private static String gaps(Summary s) {
    if (s.trials().isEmpty()) {
      return "no trial ran";
    }
    List<String> values = new ArrayList<>();
    for (double p : PERCENTILES) {
      values.add(duration(s.gap(p), s.gapCapped(p)));
    }
    return String.join(" / ", values);
  }

  private static String ratio(Summary without, Summary with) {
    double w = with.gap(99);
    double wo = without.gap(99);
    if (Double.isNaN(w) || Double.isNaN(wo) || w <= 0) {
      return "–";
    }
    return (without.gapCapped(99) ? "≥ " : "") + String.format(Locale.ROOT, "%.1f×", wo / w);
  }

  private static String watch(Summary s) {
    return s.lost() + " / " + s.repeated();
  }

  /** The target of this scenario for clients at the connection level with Lifeline. */
  static String target(Configuration c, Scenario scenario, Summary s) {
    if (!c.lifeline() || c.client().isNameLevel()) {
      return "no target (name level): reached as shown";
    }
    if (s.trials().isEmpty()) {
      return "not run";
    }
    List<String> missed = new ArrayList<>();
    switch (scenario) {
      case BLACKHOLE -> {
        if (s.gap(99) > 1000) {
          missed.add("p99 gap " + duration(s.gap(99), s.gapCapped(99)) + " > 1 s");
        }
      }
      case RESET -> {
        if (s.gap(99) > 250) {
          missed.add("p99 gap " + duration(s.gap(99), s.gapCapped(99)) + " > 250 ms");
        }
      }
      case GRACEFUL_STOP -> {
        if (s.failed() > 0) {
          missed.add(s.failed() + " failed GETs");
        }
      }
    }
    if (s.lost() > 0 || s.repeated() > 0) {
      missed.add("watch lost " + s.lost() + ", repeated " + s.repeated());
    }
    String goal =
        switch (scenario) {
          case BLACKHOLE -> "p99 ≤ 1 s";
          case RESET -> "p99 ≤ 250 ms";
          case GRACEFUL_STOP -> "no failed GET";
        };
    return missed.isEmpty()
        ? "**met** (" + goal + ", watch intact)"
        : "**not met**: " + String.join("; ", missed);
  }

  /** A duration in milliseconds, readable: {@code 62 ms}, {@code 1.25 s}, {@code 14.3 s}. */
  static String duration(double millis, boolean capped) {
    if (Double.isNaN(millis)) {
      return "–";
    }
    String text;
    if (millis < 1000) {
      text = String.format(Locale.ROOT, "%.0f ms", millis);
    } else if (millis < 10_000) {
      text = String.format(Locale.ROOT, "%.2f s", millis / 1000);
    } else {
      text = String.format(Locale.ROOT, "%.1f s", millis / 1000);
    }
    return capped ? "≥ " + text : text;
  }

  private static String capitalized(String text) {
    return Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }
}
