package dev.lifeline.dnscheck.internal.probe;

import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Sends DNS probes over UDP and TCP from one selector thread, without a thread per probe.
 *
 * <p>The sockets are ours: every attempt opens a fresh socket (a fresh source port, so a retry to a
 * Service IP may reach another backend, as a client's would), dnsjava only encodes and decodes the
 * messages, and nothing is retried behind the caller's back — a truncated UDP reply is reported as
 * {@link Outcome#TRUNCATED}, never repeated over TCP. A reply must carry the query's ID (other IDs
 * are ignored, as a resolver ignores them, and named in the result if nothing else arrives) and the
 * query's question. Only possible losses (timeouts, network errors) are retried, up to the
 * request's attempts; a definite answer, a wrong one included, ends the probe at once.
 *
 * <p>Thread-safety: {@link #probe} may be called from any thread. Futures complete on the prober's
 * thread, so dependent actions must be short or run elsewhere. At most {@code maxInFlight} probes
 * have sockets open at a time; the rest wait in order, and their timeouts start when they are sent.
 * {@link #close()} fails every probe not yet finished with {@link IllegalStateException}.
 */
public final class DnsProber implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(DnsProber.class.getName());
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final Selector selector;
  private final LongSupplier ticker;
  private final RandomGenerator random;
  private final int maxInFlight;
  private final Queue<ProbeTask> submitted = new ConcurrentLinkedQueue<>();
  private final Queue<ProbeTask> waiting = new ArrayDeque<>();
  private final Set<ProbeTask> active = new HashSet<>();
  private final AtomicInteger pending = new AtomicInteger();
  private final Thread thread;
  private volatile boolean closed;

  private DnsProber(LongSupplier ticker, RandomGenerator random, int maxInFlight)
      throws IOException {
    this.selector = Selector.open();
    this.ticker = ticker;
    this.random = random;
    this.maxInFlight = maxInFlight;
    this.thread =
        Thread.ofPlatform()
            .daemon()
            .name("lifeline-dnscheck-prober-" + THREADS.incrementAndGet())
            .unstarted(this::loop);
  }

  /**
   * Starts a prober with the system ticker, secure random query IDs and at most 512 probes in
   * flight.
   *
   * @throws IOException if the selector cannot be opened
   */
  public static DnsProber start() throws IOException {
    return start(System::nanoTime, new SecureRandom(), 512);
  }

  /**
   * Starts a prober.
   *
   * @param ticker nanoseconds for timeouts and latencies (its rate must be real time: the selector
   *     waits in real time)
   * @param random source of query IDs and random names
   * @param maxInFlight how many probes may have sockets open at once
   */
  public static DnsProber start(LongSupplier ticker, RandomGenerator random, int maxInFlight)
      throws IOException {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight was " + maxInFlight + "; use 1 or more");
    }
    DnsProber prober = new DnsProber(ticker, random, maxInFlight);
    prober.thread.start();
    return prober;
  }

  /**
   * Sends a probe.
   *
   * @return completes with the result, never exceptionally except when the prober is closed
   */
  public CompletableFuture<ProbeResult> probe(ProbeRequest request) {
    CompletableFuture<ProbeResult> future = new CompletableFuture<>();
    pending.incrementAndGet();
    future.whenComplete((r, e) -> pending.decrementAndGet());
    if (closed) {
      future.completeExceptionally(new IllegalStateException("the DNS prober is closed"));
      return future;
    }
    ProbeTask task =
        switch (request.transport()) {
          case UDP -> new UdpProbeTask(request, future, this);
          case TCP -> new TcpProbeTask(request, future, this);
        };
    submitted.add(task);
    selector.wakeup();
    if (closed) {
      // Raced with close(): the loop may already have drained the queue for the last time.
      failUnfinished(submitted);
    }
    return future;
  }

  /** How many probes are waiting or in flight; for tests and metrics. */
  public int pending() {
    return pending.get();
  }

  long now() {
    return ticker.getAsLong();
  }

  int nextQueryId() {
    return random.nextInt(0x10000);
  }

  Selector selector() {
    return selector;
  }

  /** Called by a task when it ended; frees its place. Prober thread only. */
  void finished(ProbeTask task) {
    active.remove(task);
  }

  private void loop() {
    try {
      while (!closed) {
        waitForWork();
        handleReadyKeys();
        expireDeadlines();
        // Last, so that places freed by replies and timeouts in this round are used at once.
        admitSubmitted();
      }
    } catch (ClosedSelectorException e) {
      // close() raced with select; the finally block cleans up.
    } catch (IOException | RuntimeException | Error e) {
      LOG.log(System.Logger.Level.ERROR, "DNS prober stopped on an unexpected failure", e);
    } finally {
      closed = true;
      for (ProbeTask t : List.copyOf(active)) {
        t.abort("the DNS prober stopped");
      }
      active.clear();
      failUnfinished(waiting);
      failUnfinished(submitted);
      try {
        selector.close();
      } catch (IOException e) {
        LOG.log(System.Logger.Level.DEBUG, "closing the prober's selector failed", e);
      }
    }
  }

  private void waitForWork() throws IOException {
    long next = Long.MAX_VALUE;
    for (ProbeTask t : active) {
      next = Math.min(next, t.deadlineNanos());
    }
    if (next == Long.MAX_VALUE) {
      selector.select();
      return;
    }
    long waitNanos = next - now();
    if (waitNanos <= 0) {
      selector.selectNow();
    } else {
      selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos + 999_999)));
    }
  }

  private void handleReadyKeys() {
    Set<SelectionKey> keys = selector.selectedKeys();
    for (SelectionKey key : keys) {
      ProbeTask task = (ProbeTask) key.attachment();
      if (key.isValid() && active.contains(task)) {
        task.onReady(key);
      }
    }
    keys.clear();
  }

  private void admitSubmitted() {
    ProbeTask t;
    while ((t = submitted.poll()) != null) {
      waiting.add(t);
    }
    while (active.size() < maxInFlight && (t = waiting.poll()) != null) {
      if (t.future().isDone()) {
        continue; // cancelled by the caller before it was sent
      }
      active.add(t);
      t.start();
    }
  }

  private void expireDeadlines() {
    long now = now();
    List<ProbeTask> expired = new ArrayList<>();
    for (ProbeTask t : active) {
      if (t.deadlineNanos() <= now) {
        expired.add(t);
      }
    }
    for (ProbeTask t : expired) {
      if (active.contains(t)) {
        t.onDeadline();
      }
    }
  }

  private static void failUnfinished(Queue<ProbeTask> queue) {
    ProbeTask t;
    while ((t = queue.poll()) != null) {
      t.future().completeExceptionally(new IllegalStateException("the DNS prober is closed"));
    }
  }

  /**
   * Stops the prober thread, closes every socket and fails every unfinished probe. Idempotent;
   * waits up to five seconds for the thread.
   */
  @Override
  public void close() {
    closed = true;
    selector.wakeup();
    if (Thread.currentThread() != thread) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
