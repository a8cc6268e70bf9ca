package dev.lifeline.cli.internal.demo;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Sends a request at a fixed rate, whether or not the previous ones have been answered, as an
 * application reading every 100 ms does: while the apiserver is unreachable, requests pile up
 * waiting, and each one ends in success or failure on its own. That makes "failed requests" and
 * "longest gap" mean what a user would see.
 *
 * <p>Each request runs on its own thread (at most {@link #MAX_IN_FLIGHT}; a request beyond that is
 * counted as failed without being sent). The same timer calls {@link Observer#tick} before each
 * request, for checks that must run even while every request hangs.
 *
 * <p>Thread-safe; {@link #close()} stops the timer and abandons requests still waiting.
 */
final class RequestLoop implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(RequestLoop.class.getName());

  /** At most this many requests wait at once. */
  static final int MAX_IN_FLIGHT = 1_000;

  /** One request; throws when it failed. */
  @FunctionalInterface
  interface Request {
    void send() throws Exception;
  }

  /** Told about every outcome, from the request's thread, and about every tick. */
  interface Observer {
    void succeeded(long issuedNanos, long completedNanos);

    void failed(long issuedNanos, long completedNanos, Exception error);

    void tick(long nowNanos, int inFlight);
  }

  private final Duration interval;
  private final Request request;
  private final Observer observer;
  private final RequestStats stats;
  private final LongSupplier nanoTime;
  private final ScheduledExecutorService timer;
  private final ThreadPoolExecutor workers;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean stopped;

  RequestLoop(
      String name,
      Duration interval,
      Request request,
      Observer observer,
      RequestStats stats,
      LongSupplier nanoTime) {
    this.interval = Objects.requireNonNull(interval, "interval");
    this.request = Objects.requireNonNull(request, "request");
    this.observer = Objects.requireNonNull(observer, "observer");
    this.stats = Objects.requireNonNull(stats, "stats");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.timer = new ScheduledThreadPoolExecutor(1, daemon("lifeline-demo-" + name + "-timer"));
    this.workers =
        new ThreadPoolExecutor(
            0,
            MAX_IN_FLIGHT,
            5,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            daemon("lifeline-demo-" + name + "-request"));
  }

  /** Starts sending. */
  void start() {
    timer.scheduleAtFixedRate(this::tick, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Stops sending; requests already sent go on. */
  void stop() {
    stopped = true;
  }

  /** Requests sent and not yet ended. */
  int inFlight() {
    return inFlight.get();
  }

  private void tick() {
    if (stopped) {
      return;
    }
    long now = nanoTime.getAsLong();
    try {
      observer.tick(now, inFlight.get());
    } catch (RuntimeException e) {
      // An observer's bug must not stop the requests (a scheduled task that throws never runs
      // again): the timeline misses a line, the log says why.
      LOG.log(System.Logger.Level.WARNING, "the demo's request observer failed", e);
    }
    stats.issued();
    inFlight.incrementAndGet();
    try {
      workers.execute(() -> send(now));
    } catch (RejectedExecutionException e) {
      inFlight.decrementAndGet();
      long at = nanoTime.getAsLong();
      stats.record(now, at, false);
      observer.failed(
          now,
          at,
          new IllegalStateException("not sent: " + MAX_IN_FLIGHT + " requests already waiting"));
    }
  }

  private void send(long issued) {
    try {
      request.send();
      long done = nanoTime.getAsLong();
      stats.record(issued, done, true);
      observer.succeeded(issued, done);
    } catch (Exception e) {
      long done = nanoTime.getAsLong();
      stats.record(issued, done, false);
      observer.failed(issued, done, e);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  @Override
  public void close() {
    stopped = true;
    timer.shutdownNow();
    workers.shutdownNow();
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
