package dev.lifeline.client.internal.watch;

import dev.lifeline.client.KubeApiException;
import dev.lifeline.client.KubeException;
import dev.lifeline.client.ResourceList;
import dev.lifeline.client.model.ObjectMeta;
import dev.lifeline.client.model.Pod;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** Scripted answers to lists and watches, recording the requests. */
final class FakeListWatch implements ListWatch<Pod> {
  record ListCall(String resourceVersion, String continueToken, long limit) {}

  final Deque<Object> lists = new ArrayDeque<>();
  final Deque<Object> watches = new ArrayDeque<>();
  final List<ListCall> listCalls = new ArrayList<>();
  final List<WatchOptions> watchCalls = new ArrayList<>();
  private final FakeTime time;

  FakeListWatch(FakeTime time) {
    this.time = time;
  }

  static Pod pod(String name, String uid, String rv) {
    return Pod.builder()
        .metadata(
            ObjectMeta.builder().namespace("ns").name(name).uid(uid).resourceVersion(rv).build())
        .build();
  }

  static WatchEvent<Pod> added(Pod p) {
    return WatchEvent.of(WatchEvent.Type.ADDED, p, p.metadata().resourceVersion());
  }

  static WatchEvent<Pod> modified(Pod p) {
    return WatchEvent.of(WatchEvent.Type.MODIFIED, p, p.metadata().resourceVersion());
  }

  static WatchEvent<Pod> deleted(Pod p) {
    return WatchEvent.of(WatchEvent.Type.DELETED, p, p.metadata().resourceVersion());
  }

  static WatchEvent<Pod> end(String rv) {
    return WatchEvent.bookmark(rv, true);
  }

  static WatchEvent<Pod> bookmark(String rv) {
    return WatchEvent.bookmark(rv, false);
  }

  static WatchEvent<Pod> error(int code, String reason) {
    return WatchEvent.error(
        new KubeApiException("WATCH pods", code, reason, "m", null, null, null));
  }

  static KubeApiException status(int code, String reason) {
    return new KubeApiException("GET pods", code, reason, "m", null, null, null);
  }

  /** Time passing in a stream. */
  record Advance(Duration by) {}

  /** A stream that has nothing more to say: time passes until something closes it. */
  static final Object HANG = new Object();

  FakeListWatch list(ResourceList<Pod> page) {
    lists.add(page);
    return this;
  }

  FakeListWatch listFails(KubeException e) {
    lists.add(e);
    return this;
  }

  FakeListWatch watch(Object... script) {
    watches.add(new Stream(List.of(script)));
    return this;
  }

  FakeListWatch watchFails(KubeException e) {
    watches.add(e);
    return this;
  }

  @Override
  public ResourceList<Pod> list(String resourceVersion, String continueToken, long limit) {
    listCalls.add(new ListCall(resourceVersion, continueToken, limit));
    Object next = lists.remove();
    if (next instanceof KubeException) {
      throw (KubeException) next;
    }
    @SuppressWarnings("unchecked")
    ResourceList<Pod> page = (ResourceList<Pod>) next;
    return page;
  }

  @Override
  public WatchStream<Pod> watch(WatchOptions options) {
    watchCalls.add(options);
    Object next = watches.remove();
    if (next instanceof KubeException) {
      throw (KubeException) next;
    }
    return (Stream) next;
  }

  final class Stream implements WatchStream<Pod> {
    private final Deque<Object> script;
    volatile boolean closed;

    Stream(List<Object> script) {
      this.script = new ArrayDeque<>(script);
    }

    @Override
    @SuppressWarnings("unchecked")
    public WatchEvent<Pod> next() throws IOException {
      while (true) {
        if (closed) {
          throw new IOException("stream closed");
        }
        Object next = script.poll();
        if (next == null) {
          return null;
        }
        if (next == HANG) {
          for (int i = 0; i < 1000 && !closed; i++) {
            time.advance(Duration.ofSeconds(1));
          }
          throw new IOException(closed ? "stream closed" : "hung for 1000 s");
        }
        if (next instanceof Advance) {
          time.advance(((Advance) next).by());
          continue;
        }
        if (next instanceof IOException) {
          throw (IOException) next;
        }
        return (WatchEvent<Pod>) next;
      }
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
