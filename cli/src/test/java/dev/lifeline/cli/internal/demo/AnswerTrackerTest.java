package dev.lifeline.cli.internal.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.SocketTimeoutException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AnswerTrackerTest {
  private static final long MS = 1_000_000L;
  private final AtomicLong now = new AtomicLong();
  private final Timeline timeline = new Timeline(new PrintWriter(new StringWriter()), now::get);
  private final AtomicReference<String> where = new AtomicReference<>("apiserver 0 (127.0.0.2)");
  private final AnswerTracker tracker =
      new AnswerTracker(Actor.WITH_LIFELINE, timeline, () -> Optional.of(where.get()), 250 * MS);

  private String lines() {
    return String.join("\n", timeline.entries().stream().map(Timeline.Entry::text).toList());
  }

  @Test
  void sayWhichApiserverAnswersFirstAndWhenThatChanges() {
    tracker.succeeded(0, 10 * MS);
    tracker.succeeded(100 * MS, 110 * MS); // within 250 ms: not asked again
    where.set("apiserver 1 (127.0.0.3)");
    tracker.succeeded(300 * MS, 310 * MS);

    assertThat(timeline.entries())
        .extracting(Timeline.Entry::text)
        .containsExactly(
            "answered by apiserver 0 (127.0.0.2)", "now answered by apiserver 1 (127.0.0.3)");
  }

  @Test
  void anOutageShowsItsFirstFailureItsSilenceAndTheGapItEnded() {
    tracker.succeeded(0, 10 * MS);
    tracker.failed(100 * MS, 150 * MS, new SocketTimeoutException("timeout"));
    tracker.failed(200 * MS, 250 * MS, new SocketTimeoutException("timeout"));
    tracker.tick(1_000 * MS, 3);
    tracker.tick(2_010 * MS, 7);
    tracker.tick(2_100 * MS, 8);
    tracker.tick(5_010 * MS, 20);
    tracker.succeeded(5_000 * MS, 5_300 * MS);

    assertThat(lines())
        .isEqualTo(
            String.join(
                "\n",
                "answered by apiserver 0 (127.0.0.2)",
                "request failed: timeout",
                "no answer for 2 s (2 requests failed, 7 waiting)",
                "no answer for 5 s (2 requests failed, 20 waiting)",
                "answered again after a 5.29 s gap (2 requests failed)"));
  }

  @Test
  void aLongGapWithoutFailuresIsWorthALineAShortOneIsNot() {
    tracker.succeeded(0, 10 * MS);
    tracker.succeeded(100 * MS, 500 * MS);
    tracker.succeeded(600 * MS, 1_600 * MS);

    assertThat(lines()).endsWith("answered again after a 1.10 s gap");
  }
}
