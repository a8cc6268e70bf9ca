package dev.lifeline.testkit.internal.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeline.testkit.KubeApiException;
import dev.lifeline.testkit.internal.api.Json;
import dev.lifeline.testkit.internal.api.ResourceType;
import dev.lifeline.testkit.internal.selector.FieldSelector;
import dev.lifeline.testkit.internal.selector.LabelSelector;
import dev.lifeline.testkit.internal.store.ChangeEvent;
import dev.lifeline.testkit.internal.store.ObjectStore;
import dev.lifeline.testkit.internal.store.StoreWatcher;
import dev.lifeline.testkit.internal.store.StoredObject;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One watch stream, with the watch cache's semantics: initial state or replay from a version, then
 * live changes filtered by namespace and selectors (an object leaving the selection is a DELETED of
 * its previous state, entering it an ADDED), BOOKMARKs at the configured interval and two seconds
 * before the deadline, the initial-events-end bookmark, and termination of watchers that cannot
 * keep up.
 *
 * <p>The store enqueues changes under its lock from any thread; everything else runs on the
 * channel's event loop, writing only while the channel is writable (TCP and HTTP/2 flow control),
 * so a slow reader makes changes queue here, up to the queue limit, and past it the watch is ended.
 */
public final class WatchSession implements StoreWatcher {
  private static final System.Logger LOG = System.getLogger(WatchSession.class.getName());
  private static final byte[] SUFFIX = "}\n".getBytes(StandardCharsets.UTF_8);

  private static final class Progress {
    final long resourceVersion;

    Progress(long resourceVersion) {
      this.resourceVersion = resourceVersion;
    }
  }

  /** The filter and starting point of a watch. */
  record Spec(
      ResourceType type,
      String namespace,
      LabelSelector labels,
      FieldSelector fields,
      boolean bookmarks,
      boolean initialEventsEndBookmark,
      Duration timeout,
      Duration bookmarkInterval,
      int queueLimit) {}

  private final Spec spec;
  private final EventSink sink;
  private final ObjectStore store;
  private final InstanceRuntime instance;
  private final EventLoop loop;
  private final byte[] typeMeta;
  private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private volatile boolean overflow;
  private volatile boolean ended;

  // Event loop only:
  private Iterator<StoredObject> initialState;
  private Iterator<ChangeEvent> replay;
  private boolean endBookmarkPending;
  private long startRv;
  private long deadlineNanos;
  private Runnable cancel = () -> {};
  private ScheduledFuture<?> timeoutTask;
  private ScheduledFuture<?> bookmarkTask;

  WatchSession(Spec spec, EventSink sink, ObjectStore store, InstanceRuntime instance) {
    this.spec = spec;
    this.sink = sink;
    this.store = store;
    this.instance = instance;
    this.loop = sink.channel().eventLoop();
    this.typeMeta = spec.type().typeMetaPrefix();
  }

  /** The kind watched. */
  public ResourceType type() {
    return spec.type();
  }

  /**
   * Starts streaming from a registration made with the store (on the event loop).
   *
   * @param registration what the store gave: initial state or replay, the start version, the cancel
   *     hook
   */
  void start(ObjectStore.Registration registration) {
    this.cancel = registration.cancel();
    this.startRv = registration.startRv();
    this.initialState =
        registration.initialState().isEmpty() ? null : registration.initialState().iterator();
    this.replay = registration.replay().isEmpty() ? null : registration.replay().iterator();
    this.endBookmarkPending = spec.initialEventsEndBookmark();
    instance.watchStarted(this);
    sink.channel().closeFuture().addListener(f -> loop.execute(this::clientGone));
    long timeoutNanos = spec.timeout().toNanos();
    deadlineNanos = System.nanoTime() + timeoutNanos;
    timeoutTask = loop.schedule(() -> end(false), timeoutNanos, TimeUnit.NANOSECONDS);
    scheduleNextBookmark();
    drain();
  }

  private void scheduleNextBookmark() {
    if (!spec.bookmarks() || ended) {
      return;
    }
    long now = System.nanoTime();
    long next = now + spec.bookmarkInterval().toNanos();
    long preTimeout = deadlineNanos - TimeUnit.SECONDS.toNanos(2);
    if (preTimeout < next) {
      next = preTimeout;
    }
    if (next <= now) {
      return;
    }
    bookmarkTask =
        loop.schedule(
            () -> {
              store.requestProgress(spec.type(), this);
              scheduleNextBookmark();
            },
            next - now,
            TimeUnit.NANOSECONDS);
  }

  @Override
  public void onChange(ChangeEvent event) {
    enqueue(event);
  }

  @Override
  public void onProgress(long resourceVersion) {
    enqueue(new Progress(resourceVersion));
  }

  private void enqueue(Object item) {
    if (ended) {
      return;
    }
    queue.add(item);
    if (queued.incrementAndGet() > spec.queueLimit()) {
      overflow = true;
    }
    scheduleDrain();
  }

  /** Called when the channel may take more bytes. */
  void onWritable() {
    scheduleDrain();
  }

  private void scheduleDrain() {
    if (drainScheduled.compareAndSet(false, true)) {
      loop.execute(this::drain);
    }
  }

  private void drain() {
    drainScheduled.set(false);
    if (ended) {
      return;
    }
    if (overflow) {
      LOG.log(
          System.Logger.Level.DEBUG,
          "ending a watch of "
              + spec.type()
              + " that cannot keep up ("
              + queued.get()
              + " queued)");
      end(false);
      return;
    }
    boolean wrote = false;
    while (sink.channel().isWritable()) {
      ByteBuf next = nextEvent();
      if (next == null) {
        break;
      }
      if (next.isReadable()) {
        emit(next);
        wrote = true;
      } else {
        next.release();
      }
    }
    if (wrote) {
      sink.flush();
    }
  }

  private void emit(ByteBuf event) {
    Duration delay = instance.watchEventDelay();
    if (delay.isZero()) {
      sink.write(event);
    } else {
      loop.schedule(
          () -> {
            if (!ended) {
              sink.write(event);
              sink.flush();
            } else {
              event.release();
            }
          },
          delay.toNanos(),
          TimeUnit.NANOSECONDS);
    }
  }

  /** The next encoded event, an empty buffer for an item that produced none, or null when idle. */
  private ByteBuf nextEvent() {
    if (initialState != null) {
      if (initialState.hasNext()) {
        StoredObject o = initialState.next();
        return matches(o) ? object("ADDED", o) : Unpooled.EMPTY_BUFFER;
      }
      initialState = null;
    }
    if (endBookmarkPending) {
      endBookmarkPending = false;
      return bookmark(startRv, true);
    }
    if (replay != null) {
      if (replay.hasNext()) {
        return change(replay.next());
      }
      replay = null;
    }
    Object item = queue.poll();
    if (item == null) {
      return null;
    }
    queued.decrementAndGet();
    if (item instanceof Progress p) {
      if (!spec.bookmarks() || p.resourceVersion < startRv) {
        return Unpooled.EMPTY_BUFFER;
      }
      return bookmark(p.resourceVersion, false);
    }
    ChangeEvent e = (ChangeEvent) item;
    if (e.resourceVersion() <= startRv) {
      return Unpooled.EMPTY_BUFFER;
    }
    return change(e);
  }

  private boolean matches(StoredObject o) {
    if (spec.type().namespaced()
        && !spec.namespace().isEmpty()
        && !spec.namespace().equals(o.namespace())) {
      return false;
    }
    return spec.labels().matches(o.labels()) && spec.fields().matches(o.fields());
  }

  private ByteBuf change(ChangeEvent e) {
    switch (e.type()) {
      case ADDED -> {
        return matches(e.object()) ? object("ADDED", e.object()) : Unpooled.EMPTY_BUFFER;
      }
      case DELETED -> {
        return matches(e.previous()) ? object("DELETED", e.object()) : Unpooled.EMPTY_BUFFER;
      }
      default -> {
        boolean now = matches(e.object());
        boolean before = matches(e.previous());
        if (now && before) {
          return object("MODIFIED", e.object());
        } else if (now) {
          return object("ADDED", e.object());
        } else if (before) {
          return object("DELETED", e.previous().withResourceVersion(e.resourceVersion()));
        }
        return Unpooled.EMPTY_BUFFER;
      }
    }
  }

  private ByteBuf object(String type, StoredObject o) {
    byte[] body = o.body();
    return Unpooled.wrappedBuffer(
        4,
        Unpooled.wrappedBuffer(
            ("{\"type\":\"" + type + "\",\"object\":").getBytes(StandardCharsets.UTF_8)),
        Unpooled.wrappedBuffer(typeMeta),
        Unpooled.wrappedBuffer(body, 1, body.length - 1),
        Unpooled.wrappedBuffer(SUFFIX));
  }

  private ByteBuf bookmark(long rv, boolean initialEventsEnd) {
    ObjectNode event = Json.object();
    event.put("type", "BOOKMARK");
    ObjectNode obj = event.putObject("object");
    obj.put("kind", spec.type().kind());
    obj.put("apiVersion", spec.type().apiVersion());
    ObjectNode meta = obj.putObject("metadata");
    meta.put("resourceVersion", Long.toString(rv));
    meta.putNull("creationTimestamp");
    if (initialEventsEnd) {
      meta.putObject("annotations").put("k8s.io/initial-events-end", "true");
    }
    return line(event);
  }

  private static ByteBuf line(ObjectNode event) {
    byte[] json = Json.bytes(event);
    return Unpooled.wrappedBuffer(json, "\n".getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Sends a single ERROR event (a Status) and ends the stream, as the apiserver's error watcher
   * does.
   */
  void failInStream(KubeApiException error) {
    ObjectNode event = Json.object();
    event.put("type", "ERROR");
    event.set("object", error.status());
    sink.write(line(event));
    sink.flush();
    instance.watchStarted(this);
    end(false);
  }

  /** Ends the stream cleanly (timeout, shutdown, or a watcher that fell behind). */
  public void end(boolean closeConnection) {
    if (!loop.inEventLoop()) {
      loop.execute(() -> end(closeConnection));
      return;
    }
    if (ended) {
      return;
    }
    ended = true;
    stopTimers();
    cancel.run();
    discardQueue();
    if (sink.channel().isActive()) {
      sink.end(closeConnection || instance.isTerminating());
    }
    instance.watchEnded(this);
  }

  private void clientGone() {
    if (ended) {
      return;
    }
    ended = true;
    stopTimers();
    cancel.run();
    discardQueue();
    instance.watchEnded(this);
  }

  private void stopTimers() {
    if (timeoutTask != null) {
      timeoutTask.cancel(false);
    }
    if (bookmarkTask != null) {
      bookmarkTask.cancel(false);
    }
  }

  private void discardQueue() {
    queue.clear();
    queued.set(0);
  }

  /** Whether the stream has ended. */
  public boolean isEnded() {
    return ended;
  }

  @Override
  public String toString() {
    return "watch of "
        + spec.type()
        + (spec.namespace().isEmpty() ? "" : " in " + spec.namespace())
        + " from "
        + startRv;
  }
}
