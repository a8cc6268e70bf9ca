package dev.lifeline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lifeline demo} end to end with short phases: the embedded control plane, both clients, the
 * blackhole (real drops when root) and the reset. Asserts the shape of the output and the
 * difference the engine makes, not exact numbers.
 */
class DemoIT {
  private static final double BLACKHOLE = 5;
  private static final double RESET = 3;

  @TempDir Path dir;

  @Test
  void theDemoShowsTheClientWithLifelineRidingOutWhatStallsTheOther() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Path log = dir.resolve("demo.log");

    int code =
        Lifeline.run(
            new String[] {
              "demo",
              "--warm-up",
              "2s",
              "--blackhole",
              (int) BLACKHOLE + "s",
              "--reset",
              (int) RESET + "s",
              "--settle",
              "4s",
              "--json",
              "--log-file",
              log.toString()
            },
            new PrintWriter(out, true),
            new PrintWriter(err, true));

    String timeline = err.toString();
    // For the test report: what a user would have seen.
    System.out.println(timeline);
    System.out.println(out);
    assertThat(code).as(timeline).isZero();
    Matcher blackholed =
        Pattern.compile("FAULT +blackhole (apiserver \\d \\(127\\.0\\.0\\.\\d\\)) for 5s")
            .matcher(timeline);
    assertThat(blackholed.find()).as(timeline).isTrue();
    String victim = blackholed.group(1);
    assertThat(timeline)
        .contains("both clients are on " + victim)
        .containsPattern("lifeline engine +" + Pattern.quote(victim) + " down: ")
        .containsPattern(
            "lifeline engine +failover: new connections go to apiserver \\d \\(127\\.0\\.0\\.\\d\\)"
                + " instead of "
                + Pattern.quote(victim))
        .containsPattern("FAULT +reset apiserver \\d ")
        .containsPattern("FAULT +restored " + Pattern.quote(victim) + " and apiserver \\d")
        .containsPattern("with Lifeline +now answered by apiserver \\d")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
    assertThat(Files.exists(log)).isTrue();

    JsonNode summary = new ObjectMapper().readTree(out.toString());
    JsonNode with = summary.at("/clients/withLifeline");
    JsonNode without = summary.at("/clients/withoutLifeline");
    assertThat(summary.at("/faults")).hasSize(2);
    double withGap = with.get("longestGapSeconds").asDouble();
    double withoutGap = without.get("longestGapSeconds").asDouble();
    // The engine notices a blackhole within 750 ms (PING every 250 ms, 500 ms to answer) and a
    // reset
    // at once; the rest is margin for a loaded machine, where a burst after the restore can also
    // make the engine leave a healthy apiserver (the timeline says so) and cost a second or two.
    assertThat(with.at("/firstAnswerAfterFaultSeconds/0").asDouble()).isLessThan(3.0);
    assertThat(with.at("/firstAnswerAfterFaultSeconds/1").asDouble()).isLessThan(3.0);
    assertThat(withGap).as(out.toString()).isLessThan(4.0);
    // Without the engine the client sits on the blackholed apiserver through both faults: its
    // HTTP/2 ping (every 10 s) cannot notice within these 8 s.
    assertThat(withoutGap).as(out.toString()).isGreaterThan(BLACKHOLE + RESET - 1);
    assertThat(withoutGap - withGap).isGreaterThan(3.0);
    assertThat(with.at("/requests/answered").asInt()).isPositive();
    assertThat(with.at("/watch/changes").asInt()).isPositive();
    assertThat(with.at("/watch/lost").asInt()).as(out.toString()).isZero();
    assertThat(with.at("/watch/repeated").asInt()).as(out.toString()).isZero();
    assertThat(with.at("/watch/pending").asInt()).as(out.toString()).isZero();
    assertThat(summary.get("verdict").asText()).isNotBlank();

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(lifelineThreads()).isEmpty());
  }

  @Test
  void aPortTakenOnAnInstanceAddressIsAFailureOnOneLine() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.3", 0));
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();

      int code =
          Lifeline.run(
              new String[] {
                "demo",
                "--port",
                Integer.toString(taken.getLocalPort()),
                "--log-file",
                dir.resolve("demo.log").toString()
              },
              new PrintWriter(out, true),
              new PrintWriter(err, true));

      assertThat(code).isEqualTo(Lifeline.FAILURE);
      assertThat(err.toString().lines()).hasSize(1);
      assertThat(err.toString())
          .startsWith("lifeline: cannot listen on port " + taken.getLocalPort())
          .contains("choose another with --port, or --port 0 for any free port");
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(lifelineThreads()).isEmpty());
  }

  /** Threads the demo, the client, the engine and the control plane start. */
  private static List<String> lifelineThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.startsWith("lifeline-"))
        .sorted()
        .toList();
  }
}
