package dev.lifeline.cli.internal.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class SummaryTest {
  private static final long MS = 1_000_000L;

  private static ClientResult client(
      String label, long gapMs, long failed, WatchAudit.Result watch, OptionalLong... recoveries) {
    return new ClientResult(
        label, gapMs * MS, 300, failed, 0, gapMs * MS, List.of(recoveries), watch, 2, 0);
  }

  private static DemoResult result(ClientResult with, ClientResult without) {
    return new DemoResult(
        List.of(
            new FaultRecord("blackhole of apiserver 0", 0, 7_000 * MS, true),
            new FaultRecord("reset of apiserver 2", 0, 22_000 * MS, false)),
        with,
        without,
        35_000 * MS,
        Path.of("/tmp/lifeline-demo.log"));
  }

  private static final WatchAudit.Result CLEAN =
      new WatchAudit.Result(300, 300, 0, 0, 0, 0, 900 * MS);

  @Test
  void theVerdictStatesBothClientsNumbers() {
    DemoResult r =
        result(
            client("with Lifeline", 730, 0, CLEAN, OptionalLong.of(630 * MS), OptionalLong.of(1)),
            client(
                "without Lifeline",
                20_470,
                12,
                new WatchAudit.Result(300, 300, 0, 0, 0, 0, 22_290 * MS),
                OptionalLong.of(20_380 * MS),
                OptionalLong.empty()));

    assertThat(Summary.verdict(r))
        .isEqualTo(
            "With Lifeline the longest gap was 0.73 s and no request failed; without it, 20.47 s"
                + " and 12 requests failed. Neither watch lost or repeated a change; the longest"
                + " a change took to reach the client was 0.90 s with Lifeline and 22.29 s"
                + " without.");
  }

  @Test
  void theVerdictSaysSoWhenLifelineDidNotHelp() {
    DemoResult r =
        result(
            client("with Lifeline", 5_000, 1, new WatchAudit.Result(10, 8, 0, 0, 0, 2, 0)),
            client("without Lifeline", 4_000, 0, CLEAN));

    assertThat(Summary.verdict(r))
        .startsWith(
            "Lifeline did not shorten the longest gap in this run (5.00 s with it, 4.00 s"
                + " without); 1 request failed with it, no request failed without.")
        .contains("The watch with Lifeline lost 2 and repeated 0 changes");
  }

  @Test
  void theTableHasARowPerFaultAndOnlyTheRowsThatSaySomething() {
    DemoResult r =
        result(
            client("with Lifeline", 730, 0, CLEAN, OptionalLong.of(630 * MS), OptionalLong.of(0)),
            client(
                "without Lifeline",
                20_470,
                0,
                CLEAN,
                OptionalLong.of(20_380 * MS),
                OptionalLong.empty()));
    StringWriter text = new StringWriter();

    Summary.printTable(r, new PrintWriter(text));

    assertThat(text.toString())
        .contains("with Lifeline   without Lifeline")
        .containsPattern("longest gap between answers +0.73 s +20.47 s")
        .containsPattern("first answer after the blackhole of apiserver 0 +0.63 s +20.38 s")
        .containsPattern("first answer after the reset of apiserver 2 +0.00 s +none")
        .containsPattern("watch: lost / repeated +0 / 0 +0 / 0")
        .doesNotContain("superseded")
        .doesNotContain("unanswered")
        .contains("Verdict: With Lifeline");
  }

  @Test
  void theJsonHasTheSameNumbers() throws Exception {
    DemoResult r =
        result(
            client("with Lifeline", 730, 0, CLEAN, OptionalLong.of(630 * MS), OptionalLong.of(0)),
            client(
                "without Lifeline",
                20_470,
                3,
                CLEAN,
                OptionalLong.of(20_380 * MS),
                OptionalLong.empty()));
    StringWriter text = new StringWriter();

    Summary.printJson(r, new PrintWriter(text));

    JsonNode json = new ObjectMapper().readTree(text.toString());
    assertThat(json.at("/clients/withLifeline/longestGapSeconds").asDouble()).isEqualTo(0.73);
    assertThat(json.at("/clients/withoutLifeline/requests/failed").asInt()).isEqualTo(3);
    assertThat(json.at("/clients/withoutLifeline/firstAnswerAfterFaultSeconds/1").isNull())
        .isTrue();
    assertThat(json.at("/faults/0/realPacketDrops").asBoolean()).isTrue();
    assertThat(json.at("/faults/1/realPacketDrops").isMissingNode()).isTrue();
    assertThat(json.at("/clients/withLifeline/watch/lost").asInt()).isZero();
    assertThat(json.get("verdict").asText()).startsWith("With Lifeline");
  }
}
