package dev.lifeline.failover.it;

import dev.lifeline.failover.Endpoint;
import dev.lifeline.failover.FailoverListener;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the engine's events with the time each arrived: a test's timeline. */
public final class EventRecorder implements FailoverListener {

  /** One event: when it arrived ({@link System#nanoTime()}) and what it said. */
  public record Event(long nanos, String text) {}

  private final List<Event> events = new CopyOnWriteArrayList<>();

  /** Every event so far, as text. */
  public List<String> texts() {
    return events.stream().map(Event::text).toList();
  }

  /** The first event whose text starts with {@code prefix}. */
  public Optional<Event> first(String prefix) {
    return events.stream().filter(e -> e.text().startsWith(prefix)).findFirst();
  }

  /** Waits for an event starting with {@code prefix} that arrived after {@code sinceNanos}. */
  public Event await(String prefix, long sinceNanos, Duration timeout) {
    return org.awaitility.Awaitility.await(
            "an event starting with '" + prefix + "' among " + texts())
        .atMost(timeout)
        .until(
            () ->
                events.stream()
                    .filter(e -> e.nanos() - sinceNanos >= 0 && e.text().startsWith(prefix))
                    .findFirst(),
            Optional::isPresent)
        .orElseThrow();
  }

  /** Waits for an event starting with {@code prefix} (events arrive on the engine's thread). */
  public Event await(String prefix, Duration timeout) {
    return org.awaitility.Awaitility.await(
            "an event starting with '" + prefix + "' among " + texts())
        .atMost(timeout)
        .until(() -> first(prefix), Optional::isPresent)
        .orElseThrow();
  }

  /** Forgets every event. */
  public void clear() {
    events.clear();
  }

  private void add(String text) {
    events.add(new Event(System.nanoTime(), text));
  }

  @Override
  public void endpointsChanged(List<Endpoint> endpoints, String source) {
    add("endpoints " + endpoints.size() + " from " + source);
  }

  @Override
  public void endpointUp(Endpoint endpoint) {
    add("up " + endpoint);
  }

  @Override
  public void endpointDown(Endpoint endpoint, String reason) {
    add("down " + endpoint + ": " + reason);
  }

  @Override
  public void endpointDraining(Endpoint endpoint, String reason) {
    add("draining " + endpoint + ": " + reason);
  }

  @Override
  public void connectionsClosed(Endpoint endpoint, int count, CloseReason reason) {
    add("closed " + reason + " " + endpoint + " x" + count);
  }

  @Override
  public void failover(Endpoint from, Endpoint to) {
    add("failover " + from + " -> " + to);
  }

  @Override
  public void fallbackToSeed(InetSocketAddress seed) {
    add("seed " + seed.getAddress().getHostAddress() + ":" + seed.getPort());
  }

  @Override
  public void fallbackToDns(String host, FallbackReason reason) {
    add("dns " + reason);
  }

  @Override
  public void discoveryFailed(String source, String message) {
    add("discovery failed " + source + ": " + message);
  }
}
