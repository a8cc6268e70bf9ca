package dev.lifeline.client.internal.watch;

import dev.lifeline.client.InformerListener;
import dev.lifeline.client.KubeApiException;
import dev.lifeline.client.KubeException;
import dev.lifeline.client.ResourceList;
import dev.lifeline.client.model.KubeObject;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * The list/watch state machine, with client-go's reflector semantics (see {@link
 * dev.lifeline.client.Informer}). {@link #run()} loops on the informer's thread until {@link
 * #close()}.
 *
 * <p>Sync: a watch-list (initial ADDED events up to the bookmark annotated {@code
 * k8s.io/initial-events-end}), or, once the server rejected or ignored that, a LIST at {@code
 * resourceVersion=0} (or the last seen version, or {@code ""} after a 410). Watch: from the last
 * seen version with bookmarks, resuming after any disconnect, relisting after a 410. Failures back
 * off with {@link Backoff}; a watch that ends within a second without events counts as a failure.
 */
final class Reflector<T extends KubeObject> {
  private static final System.Logger LOG = System.getLogger(Reflector.class.getName());
  static final Duration MIN_WATCH_TIMEOUT = Duration.ofMinutes(5);
  private static final long SHORT_WATCH_NANOS = Duration.ofSeconds(1).toNanos();

  /** What the reflector needs besides its source and delivery. */
  record Settings(
      String name,
      boolean watchList,
      long limit,
      Duration initialEventsTimeout,
      InformerListener listener,
      LongSupplier nanoTime,
      DoubleSupplier random,
      Waiter waiter,
      Timer timer) {}

  private final ListWatch<T> source;
  private final Delivery<T> delivery;
  private final Settings s;
  private final InformerListener listener;
  private final Backoff backoff;

  private volatile boolean closed;
  private volatile WatchStream<T> current;
  private volatile String lastSyncResourceVersion = "";
  private volatile boolean useWatchList;
  private boolean resourceVersionUnavailable;
  private boolean needsSync = true;
  private long lastSyncNanos = Long.MIN_VALUE;
  private int initialEvents;

  Reflector(ListWatch<T> source, Delivery<T> delivery, Settings settings) {
    this.source = source;
    this.delivery = delivery;
    this.s = settings;
    this.listener = new SafeListener(settings.listener(), settings.name());
    this.backoff = new Backoff(settings.nanoTime(), settings.random());
    this.useWatchList = settings.watchList();
  }

  String lastSyncResourceVersion() {
    return lastSyncResourceVersion;
  }

  boolean isUsingWatchList() {
    return useWatchList;
  }

  /** Runs until closed. */
  void run() {
    while (!closed) {
      try {
        step();
      } catch (RuntimeException e) {
        if (closed) {
          return;
        }
        // A bug or an unexpected answer must not kill the informer: report, back off, carry on.
        LOG.log(Level.ERROR, "informer " + s.name() + ": unexpected failure", e);
        listener.failed(s.name(), e);
        pause();
      }
    }
  }

  /** Stops the loop and the current stream; idempotent. */
  void close() {
    closed = true;
    source.cancel();
    WatchStream<T> stream = current;
    if (stream != null) {
      stream.close();
    }
    s.waiter().wake();
  }

  /** One sync-if-needed and one watch. */
  void step() {
    WatchStream<T> stream = null;
    long start = 0;
    int events = 0;
    if (needsSync) {
      if (useWatchList) {
        start = s.nanoTime().getAsLong();
        stream = watchListSync();
        if (stream == null) {
          return;
        }
        // The initial events belong to this watch: it is not a short, empty one.
        events = initialEvents;
      } else if (!listSync()) {
        return;
      }
      needsSync = false;
    }
    if (stream == null) {
      start = s.nanoTime().getAsLong();
      stream = openWatch();
      if (stream == null) {
        return;
      }
    }
    consume(stream, start, events);
  }

  private WatchStream<T> openWatch() {
    long timeout = (long) (MIN_WATCH_TIMEOUT.toSeconds() * (1.0 + s.random().getAsDouble()));
    String rv = lastSyncResourceVersion;
    try {
      WatchStream<T> stream = source.watch(new ListWatch.WatchOptions(rv, timeout, false));
      listener.watchStarted(s.name(), rv);
      return register(stream);
    } catch (KubeApiException e) {
      if (e.isGone()) {
        relist(rv);
        return null;
      }
      fail(e);
      return null;
    } catch (KubeException e) {
      fail(e);
      return null;
    }
  }

  /** Consumes a watch until it ends, then decides how to go on. */
  private void consume(WatchStream<T> stream, long start, int eventsSoFar) {
    int events = eventsSoFar;
    try {
      while (!closed) {
        WatchEvent<T> event;
        try {
          event = stream.next();
        } catch (IOException e) {
          // Like client-go's watch handler, a stream that breaks off ends the watch the same way
          // a clean close does: resume at once from the last version (a connection evicted from
          // a dead apiserver must not cost a backoff); only a short, empty watch is a failure.
          if (!closed) {
            endWatch(start, events, "broke off: " + e.getMessage(), e);
          }
          return;
        }
        if (event == null) {
          endWatch(start, events, "closed", null);
          return;
        }
        events++;
        switch (event.type()) {
          case ADDED:
          case MODIFIED:
            delivery.upsert(event.object());
            advance(event.resourceVersion());
            break;
          case DELETED:
            delivery.remove(event.object());
            advance(event.resourceVersion());
            break;
          case BOOKMARK:
            advance(event.resourceVersion());
            break;
          case ERROR:
            ended(start, events);
            if (event.error().isGone()) {
              relist(lastSyncResourceVersion);
            } else {
              fail(event.error());
            }
            return;
        }
      }
    } finally {
      stream.close();
      current = null;
    }
  }

  private void advance(String resourceVersion) {
    if (resourceVersion != null && !resourceVersion.isEmpty()) {
      lastSyncResourceVersion = resourceVersion;
    }
  }

  /**
   * A watch ended without an error event: resume at once, unless it lasted under a second without
   * delivering anything, which counts as a failure and backs off.
   */
  private void endWatch(long start, int events, String how, IOException cause) {
    ended(start, events);
    if (events == 0 && s.nanoTime().getAsLong() - start < SHORT_WATCH_NANOS) {
      fail(
          new KubeException(
              "watch of " + s.name() + " " + how + " within a second without any event", cause));
    } else if (cause != null) {
      LOG.log(Level.DEBUG, "informer {0}: watch {1}; resuming", s.name(), how);
    }
  }

  private void ended(long start, int events) {
    listener.watchEnded(s.name(), events, Duration.ofNanos(s.nanoTime().getAsLong() - start));
  }

  private void relist(String rv) {
    needsSync = true;
    listener.relisted(s.name(), rv);
    if (lastSyncNanos != Long.MIN_VALUE
        && s.nanoTime().getAsLong() - lastSyncNanos < SHORT_WATCH_NANOS) {
      // Expired again right after a sync (a lagging cache): back off instead of spinning.
      pause();
    }
  }

  /**
   * Fetches the complete state as a watch-list, delivers the difference and returns the stream to
   * go on watching with; null when it did not complete (then the state says what to do next: retry,
   * resync from scratch, or fall back to LIST).
   */
  private WatchStream<T> watchListSync() {
    String rv = resourceVersionUnavailable ? "" : lastSyncResourceVersion;
    long timeout = (long) (MIN_WATCH_TIMEOUT.toSeconds() * (1.0 + s.random().getAsDouble()));
    long start = s.nanoTime().getAsLong();
    listener.listStarted(s.name(), true);
    WatchStream<T> stream;
    try {
      stream = register(source.watch(new ListWatch.WatchOptions(rv, timeout, true)));
    } catch (KubeApiException e) {
      if (e.isGone()) {
        resourceVersionUnavailable = true;
      } else if (e.isTooManyRequests()) {
        fail(e);
      } else {
        fallBack("the server refused it: " + e.getMessage());
      }
      return null;
    } catch (KubeException e) {
      fail(e);
      return null;
    }
    QuietCheck quiet = new QuietCheck(stream);
    Map<ObjectKey, T> initial = new LinkedHashMap<>();
    String endVersion = null;
    try {
      while (endVersion == null) {
        WatchEvent<T> event;
        try {
          event = stream.next();
        } catch (IOException e) {
          if (closed) {
            return close(stream);
          }
          if (quiet.fired()) {
            fallBack(
                "no initial-events-end bookmark within "
                    + s.initialEventsTimeout().toSeconds()
                    + " s of the last event; the server ignores sendInitialEvents");
          } else {
            fail(
                new KubeException(
                    "watch-list of " + s.name() + " broke off: " + e.getMessage(), e));
          }
          return close(stream);
        }
        quiet.touch();
        if (event == null) {
          fallBack("the stream ended before the initial-events-end bookmark");
          return close(stream);
        }
        switch (event.type()) {
          case ADDED:
            initial.put(ObjectKey.of(event.object()), event.object());
            break;
          case BOOKMARK:
            if (!event.initialEventsEnd()) {
              fallBack(
                  "a bookmark without k8s.io/initial-events-end came first; the server ignores"
                      + " sendInitialEvents");
              return close(stream);
            }
            endVersion = event.resourceVersion();
            break;
          case ERROR:
            if (event.error().isGone()) {
              resourceVersionUnavailable = true;
            } else {
              fallBack("the server sent an error: " + event.error().getMessage());
            }
            return close(stream);
          default:
            fallBack(
                "a "
                    + event.type()
                    + " event came before the initial-events-end bookmark; the server ignores"
                    + " sendInitialEvents");
            return close(stream);
        }
      }
    } finally {
      quiet.cancel();
    }
    initialEvents = initial.size() + 1;
    applySync(initial.values(), endVersion, true, start);
    return stream;
  }

  private WatchStream<T> close(WatchStream<T> stream) {
    stream.close();
    current = null;
    return null;
  }

  /** Lists (all pages) and delivers the difference; false when it failed (after backing off). */
  private boolean listSync() {
    long start = s.nanoTime().getAsLong();
    listener.listStarted(s.name(), false);
    while (true) {
      String rv =
          resourceVersionUnavailable
              ? ""
              : lastSyncResourceVersion.isEmpty() ? "0" : lastSyncResourceVersion;
      try {
        List<T> items = new ArrayList<>();
        ResourceList<T> page = source.list(rv, null, s.limit());
        items.addAll(page.items());
        String version = page.resourceVersion();
        while (page.continueToken() != null && !closed) {
          page = source.list(rv, page.continueToken(), s.limit());
          items.addAll(page.items());
        }
        if (closed) {
          return false;
        }
        applySync(items, version, false, start);
        return true;
      } catch (KubeApiException e) {
        if (e.isGone() && !resourceVersionUnavailable) {
          // The version (or a page's continue token) expired: list the latest, consistently.
          resourceVersionUnavailable = true;
          continue;
        }
        fail(e);
        return false;
      } catch (KubeException e) {
        fail(e);
        return false;
      }
    }
  }

  private void applySync(Collection<T> items, String version, boolean watchList, long start) {
    delivery.replace(items);
    lastSyncNanos = s.nanoTime().getAsLong();
    lastSyncResourceVersion = version == null ? "" : version;
    resourceVersionUnavailable = false;
    listener.listCompleted(
        s.name(), watchList, items.size(), Duration.ofNanos(s.nanoTime().getAsLong() - start));
    delivery.markSynced();
  }

  private void fallBack(String reason) {
    useWatchList = false;
    LOG.log(
        Level.INFO,
        "informer {0}: watch-list unavailable ({1}); using LIST and WATCH from now on",
        s.name(),
        reason);
    listener.watchListFallback(s.name(), reason);
  }

  private void fail(KubeException e) {
    if (closed) {
      return;
    }
    LOG.log(Level.DEBUG, "informer {0}: {1}", s.name(), e.getMessage());
    listener.failed(s.name(), e);
    pause();
  }

  private void pause() {
    Duration delay = backoff.next();
    listener.backoff(s.name(), delay);
    s.waiter().await(delay);
  }

  private WatchStream<T> register(WatchStream<T> stream) {
    current = stream;
    if (closed) {
      stream.close();
    }
    return stream;
  }

  /**
   * Ends a watch-list whose initial events pause for longer than the configured timeout: a server
   * that ignores {@code sendInitialEvents} sends the current objects and then nothing, never the
   * end bookmark.
   */
  private final class QuietCheck implements Runnable {
    private final WatchStream<T> stream;
    private final long timeoutNanos = s.initialEventsTimeout().toNanos();
    private volatile long lastEvent = s.nanoTime().getAsLong();
    private volatile boolean fired;
    private volatile boolean done;
    private volatile Timer.Task task;

    QuietCheck(WatchStream<T> stream) {
      this.stream = stream;
      this.task = s.timer().schedule(s.initialEventsTimeout(), this);
    }

    void touch() {
      lastEvent = s.nanoTime().getAsLong();
    }

    boolean fired() {
      return fired;
    }

    void cancel() {
      done = true;
      task.cancel();
    }

    @Override
    public void run() {
      if (done) {
        return;
      }
      long idle = s.nanoTime().getAsLong() - lastEvent;
      if (idle >= timeoutNanos) {
        fired = true;
        stream.close();
      } else {
        task = s.timer().schedule(Duration.ofNanos(timeoutNanos - idle), this);
      }
    }
  }

  /** Calls a listener, logging what it throws. */
  private static final class SafeListener implements InformerListener {
    private final InformerListener delegate;
    private final String name;

    SafeListener(InformerListener delegate, String name) {
      this.delegate = delegate;
      this.name = name;
    }

    private void call(Runnable r) {
      try {
        r.run();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "informer " + name + ": listener failed", e);
      }
    }

    @Override
    public void listStarted(String informer, boolean watchList) {
      call(() -> delegate.listStarted(informer, watchList));
    }

    @Override
    public void listCompleted(String informer, boolean watchList, int items, Duration took) {
      call(() -> delegate.listCompleted(informer, watchList, items, took));
    }

    @Override
    public void watchStarted(String informer, String resourceVersion) {
      call(() -> delegate.watchStarted(informer, resourceVersion));
    }

    @Override
    public void watchEnded(String informer, int events, Duration lasted) {
      call(() -> delegate.watchEnded(informer, events, lasted));
    }

    @Override
    public void failed(String informer, Throwable error) {
      call(() -> delegate.failed(informer, error));
    }

    @Override
    public void relisted(String informer, String resourceVersion) {
      call(() -> delegate.relisted(informer, resourceVersion));
    }

    @Override
    public void backoff(String informer, Duration delay) {
      call(() -> delegate.backoff(informer, delay));
    }

    @Override
    public void watchListFallback(String informer, String reason) {
      call(() -> delegate.watchListFallback(informer, reason));
    }
  }
}
