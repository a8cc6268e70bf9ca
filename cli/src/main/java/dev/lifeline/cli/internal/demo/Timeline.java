package dev.lifeline.cli.internal.demo;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The demo's live timeline: one line per event, with the time since the demo started, printed as it
 * happens.
 *
 * <p>Thread-safe: events come from the engine's thread, each client's request and informer threads
 * and the demo's own thread; each line is written and flushed whole, in the order the calls took
 * the lock, and its time is read under the same lock, so printed times never go backwards.
 */
public final class Timeline {
  /** One printed event. */
  public record Entry(long nanos, Actor actor, String text) {}

  private final PrintWriter out;
  private final LongSupplier nanoTime;
  private final long start;
  private final List<Entry> entries = new ArrayList<>();

  /**
   * A timeline whose zero is now.
   *
   * @param nanoTime the clock ({@code System::nanoTime} outside tests)
   */
  public Timeline(PrintWriter out, LongSupplier nanoTime) {
    this.out = Objects.requireNonNull(out, "out");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.start = nanoTime.getAsLong();
  }

  /** Prints an event now. */
  public synchronized void log(Actor actor, String text) {
    long at = nanoTime.getAsLong() - start;
    entries.add(new Entry(at, actor, text));
    out.println(format(at, actor, text));
    out.flush();
  }

  /** Prints the column headings. */
  public synchronized void printHeadings() {
    out.println(
        String.format(Locale.ROOT, "%8s  %-" + Actor.width() + "s  %s", "time", "who", "what"));
    out.flush();
  }

  /** The clock's reading at the timeline's zero. */
  public long startNanos() {
    return start;
  }

  /** The clock, as given. */
  public long nanoTime() {
    return nanoTime.getAsLong();
  }

  /** Every event so far, in printed order. */
  public synchronized List<Entry> entries() {
    return List.copyOf(entries);
  }

  static String format(long nanos, Actor actor, String text) {
    return String.format(
        Locale.ROOT, "%7.2fs  %-" + Actor.width() + "s  %s", nanos / 1e9, actor.label(), text);
  }

  /** {@code 1 request}, {@code 2 requests}. */
  static String plural(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  /** An error's message on one line, cut to a terminal's width; its class when it has none. */
  static String oneLine(Throwable error) {
    String message = error.getMessage();
    if (message == null || message.isBlank()) {
      message = error.getClass().getSimpleName();
    }
    message = message.replaceAll("\\s+", " ").trim();
    return message.length() > 160 ? message.substring(0, 157) + "..." : message;
  }
}
