package dev.lifeline.micrometer;

import dev.lifeline.failover.Endpoint;
import dev.lifeline.failover.EndpointState;
import dev.lifeline.failover.EndpointStatus;
import dev.lifeline.failover.FailoverEngine;
import dev.lifeline.failover.FailoverListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Binds a {@link FailoverEngine} to Micrometer.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@code lifeline.failover.endpoints}</td><td>gauge</td><td>{@code state}</td>
 *       <td>endpoints known, by state (up, unknown, draining, down)</td></tr>
 *   <tr><td>{@code lifeline.failover.connections}</td><td>gauge</td><td></td>
 *       <td>open connections handed out by the engine</td></tr>
 *   <tr><td>{@code lifeline.failover.transitions}</td><td>counter</td>
 *       <td>{@code endpoint}, {@code state}</td><td>endpoints becoming up, draining, down</td></tr>
 *   <tr><td>{@code lifeline.failover.failovers}</td><td>counter</td><td>{@code from}, {@code to}</td>
 *       <td>new connections moving to another endpoint</td></tr>
 *   <tr><td>{@code lifeline.failover.connections.closed}</td><td>counter</td>
 *       <td>{@code endpoint}, {@code reason}</td><td>connections evicted or drained</td></tr>
 *   <tr><td>{@code lifeline.failover.fallbacks}</td><td>counter</td><td>{@code kind}, {@code
 *       reason}</td><td>falls back to the seed address or to the system resolver</td></tr>
 *   <tr><td>{@code lifeline.failover.discovery.failures}</td><td>counter</td><td>{@code source}</td>
 *       <td>endpoint reads that failed (the last good set is kept)</td></tr>
 * </table>
 *
 * <p>Every meter also carries the tags given to the constructor and {@code server} (the engine's
 * host). Counters count the events from {@link #bindTo} on; gauges always show the present. The
 * endpoint tags are the apiservers' addresses: a handful per cluster. Thread-safe; {@link #close()}
 * stops counting (the gauges stay registered until the registry removes them).
 */
public final class FailoverMetrics implements MeterBinder, AutoCloseable {
  private final FailoverEngine engine;
  private final Tags tags;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  /** Metrics for {@code engine}, tagged with its host. */
  public FailoverMetrics(FailoverEngine engine) {
    this(engine, Tags.empty());
  }

  /** Metrics for {@code engine}, tagged with its host and {@code tags}. */
  public FailoverMetrics(FailoverEngine engine, Iterable<Tag> tags) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.tags = Tags.of(tags).and("server", engine.config().host());
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (EndpointState state : EndpointState.values()) {
      Gauge.builder("lifeline.failover.endpoints", engine, e -> count(e, state))
          .tags(tags)
          .tag("state", lower(state))
          .description("apiserver endpoints known to the failover engine, by state")
          .register(registry);
    }
    Gauge.builder(
            "lifeline.failover.connections",
            engine,
            e -> e.endpoints().stream().mapToInt(EndpointStatus::connections).sum())
        .tags(tags)
        .description("open connections handed out by the failover engine")
        .register(registry);
    Listener listener = new Listener(registry);
    listeners.add(listener);
    engine.addListener(listener);
  }

  /** Stops counting events. Idempotent. */
  @Override
  public void close() {
    for (Listener listener : listeners) {
      engine.removeListener(listener);
    }
    listeners.clear();
  }

  private static double count(FailoverEngine engine, EndpointState state) {
    return engine.endpoints().stream().filter(s -> s.state() == state).count();
  }

  private static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  /** Turns events into counter increments. */
  private final class Listener implements FailoverListener {
    private final MeterRegistry registry;

    Listener(MeterRegistry registry) {
      this.registry = registry;
    }

    private void increment(String name, String description, String... keyValues) {
      Counter.builder(name)
          .tags(tags)
          .tags(keyValues)
          .description(description)
          .register(registry)
          .increment();
    }

    private void transition(Endpoint endpoint, EndpointState state) {
      increment(
          "lifeline.failover.transitions",
          "apiserver endpoints changing state",
          "endpoint",
          endpoint.toString(),
          "state",
          lower(state));
    }

    @Override
    public void endpointUp(Endpoint endpoint) {
      transition(endpoint, EndpointState.UP);
    }

    @Override
    public void endpointDown(Endpoint endpoint, String reason) {
      transition(endpoint, EndpointState.DOWN);
    }

    @Override
    public void endpointDraining(Endpoint endpoint, String reason) {
      transition(endpoint, EndpointState.DRAINING);
    }

    @Override
    public void connectionsClosed(Endpoint endpoint, int count, CloseReason reason) {
      Counter.builder("lifeline.failover.connections.closed")
          .tags(tags)
          .tags("endpoint", endpoint.toString(), "reason", lower(reason))
          .description("connections closed by the failover engine (evicted or drained)")
          .register(registry)
          .increment(count);
    }

    @Override
    public void failover(Endpoint from, Endpoint to) {
      increment(
          "lifeline.failover.failovers",
          "new connections moving to another apiserver",
          "from",
          from.toString(),
          "to",
          to.toString());
    }

    @Override
    public void fallbackToSeed(InetSocketAddress seed) {
      increment(
          "lifeline.failover.fallbacks",
          "falls back to the seed address or the system resolver",
          "kind",
          "seed",
          "reason",
          "endpoints_failed");
    }

    @Override
    public void fallbackToDns(String host, FallbackReason reason) {
      increment(
          "lifeline.failover.fallbacks",
          "falls back to the seed address or the system resolver",
          "kind",
          "dns",
          "reason",
          lower(reason));
    }

    @Override
    public void discoveryFailed(String source, String message) {
      increment(
          "lifeline.failover.discovery.failures",
          "endpoint reads that failed; the last good set is kept",
          "source",
          source);
    }
  }
}
