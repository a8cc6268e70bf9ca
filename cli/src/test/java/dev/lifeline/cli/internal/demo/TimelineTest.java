package dev.lifeline.cli.internal.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TimelineTest {

  @Test
  void eachLineHasTheTimeSinceTheStartAndAnAlignedActor() {
    AtomicLong now = new AtomicLong(5_000_000_000L);
    StringWriter text = new StringWriter();
    Timeline timeline = new Timeline(new PrintWriter(text), now::get);
    timeline.printHeadings();
    now.addAndGet(1_234_000_000L);
    timeline.log(Actor.FAULT, "blackhole apiserver 0");
    now.addAndGet(10_000_000_000L);
    timeline.log(Actor.WITHOUT_LIFELINE, "no answer for 10 s");

    assertThat(text.toString().lines())
        .containsExactly(
            "    time  who               what",
            "   1.23s  FAULT             blackhole apiserver 0",
            "  11.23s  without Lifeline  no answer for 10 s");
    assertThat(timeline.entries()).hasSize(2);
    assertThat(timeline.entries().get(1).nanos()).isEqualTo(11_234_000_000L);
  }

  @Test
  void aMessageLongerThanALineIsCut() {
    String message = "x".repeat(500);

    assertThat(Timeline.oneLine(new IllegalStateException(message))).hasSize(160);
    assertThat(Timeline.oneLine(new IllegalStateException("a\n  b"))).isEqualTo("a b");
    assertThat(Timeline.oneLine(new IllegalStateException())).isEqualTo("IllegalStateException");
  }

  @Test
  void countsAgreeWithTheirNouns() {
    assertThat(Timeline.plural(1, "request")).isEqualTo("1 request");
    assertThat(Timeline.plural(0, "request")).isEqualTo("0 requests");
  }
}
