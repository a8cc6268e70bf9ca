package dev.lifeline.testkit.internal.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The bounded event history of one kind (the watch cache's window).
 *
 * <p>Invariant: every change of this kind with a resourceVersion greater than {@link #startRv()} is
 * in the window, so a watch or a snapshot from any version at or after {@code startRv} can be
 * served exactly, and anything older gets 410. Not thread-safe: the store guards it with its lock.
 */
final class HistoryWindow {
  private final int capacity;
  private final ArrayDeque<ChangeEvent> events;
  private long startRv;

  HistoryWindow(int capacity, long startRv) {
    this.capacity = capacity;
    this.events = new ArrayDeque<>(Math.min(capacity, 1024));
    this.startRv = startRv;
  }

  /** The oldest version a watch may start from. */
  long startRv() {
    return startRv;
  }

  /** Appends a change, evicting the oldest one when the window is full. */
  void append(ChangeEvent e) {
    if (events.size() >= capacity) {
      ChangeEvent evicted = events.removeFirst();
      startRv = evicted.resourceVersion();
    }
    events.addLast(e);
  }

  /** Drops every change at or before {@code rv}. */
  void compact(long rv) {
    while (!events.isEmpty() && events.peekFirst().resourceVersion() <= rv) {
      events.removeFirst();
    }
    startRv = Math.max(startRv, rv);
  }

  /** Whether a watch from {@code rv} can be served from the window. */
  boolean covers(long rv) {
    return rv >= startRv;
  }

  /** The changes after {@code rv}, oldest first. */
  List<ChangeEvent> since(long rv) {
    List<ChangeEvent> out = new ArrayList<>();
    Iterator<ChangeEvent> it = events.descendingIterator();
    while (it.hasNext()) {
      ChangeEvent e = it.next();
      if (e.resourceVersion() <= rv) {
        break;
      }
      out.add(e);
    }
    java.util.Collections.reverse(out);
    return out;
  }

  /** Newest first, for undoing changes back to a version. */
  Iterator<ChangeEvent> newestFirst() {
    return events.descendingIterator();
  }

  /** A copy of the window, oldest first. */
  List<ChangeEvent> all() {
    return new ArrayList<>(events);
  }

  int size() {
    return events.size();
  }
}
