package dev.lifeline.kubernetesjava.internal;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.informer.ListerWatcher;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.CallGeneratorParams;
import io.kubernetes.client.util.Watch;
import io.kubernetes.client.util.Watchable;
import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A watch that survives its connection: when the stream breaks (a reset, a connection the failover
 * engine closed, a GOAWAY), it opens the watch again from the last resourceVersion it delivered, as
 * client-go's reflector does, instead of failing and making kubernetes-client/java's reflector list
 * everything again (which folds the changes made in between into one update and delivers every
 * unchanged object a second time).
 *
 * <p>Reopening retries at once, then backs off while the apiserver cannot be reached or answers 429
 * or 5xx. Anything else (401, 403, 404, an {@code ERROR} event such as 410 Expired) goes to the
 * reflector as before, and it relists. {@link #close} ends it from any thread, also during a
 * backoff.
 */
public final class ResumingWatch<T extends KubernetesObject> implements Watchable<T> {
  private static final Logger LOG = Logger.getLogger(ResumingWatch.class.getName());

  private final ListerWatcher<T, ?> source;
  private final Integer timeoutSeconds;
  private final Backoff backoff;
  private final Object lock = new Object();
  private volatile Watchable<T> current;
  private volatile boolean closed;
  private String resourceVersion;
  private int reopened;

  /**
   * @param source opens the watches
   * @param params the reflector's parameters for the first watch
   * @param first the watch {@code source} opened with {@code params}
   */
  public ResumingWatch(
      ListerWatcher<T, ?> source, CallGeneratorParams params, Watchable<T> first, Backoff backoff) {
    this.source = Objects.requireNonNull(source, "source");
    this.current = Objects.requireNonNull(first, "first");
    this.resourceVersion = params.resourceVersion;
    this.timeoutSeconds = params.timeoutSeconds;
    this.backoff = Objects.requireNonNull(backoff, "backoff");
  }

  /** How many times the watch was opened again after its stream broke. */
  public int reopened() {
    return reopened;
  }

  @Override
  public boolean hasNext() {
    while (true) {
      Watchable<T> watch = current;
      if (closed) {
        return false;
      }
      try {
        return watch.hasNext();
      } catch (RuntimeException e) {
        resumeOrRethrow(watch, e);
      }
    }
  }

  @Override
  public Watch.Response<T> next() {
    while (true) {
      Watchable<T> watch = current;
      if (closed) {
        throw new NoSuchElementException("the watch is closed");
      }
      Watch.Response<T> item;
      try {
        item = watch.next();
      } catch (RuntimeException e) {
        resumeOrRethrow(watch, e);
        if (!hasNext()) {
          throw new NoSuchElementException("the watch ended while it was being resumed");
        }
        continue;
      }
      remember(item);
      return item;
    }
  }

  private void remember(Watch.Response<T> item) {
    if (item == null || item.object == null || "ERROR".equals(item.type)) {
      return;
    }
    V1ObjectMeta meta = item.object.getMetadata();
    if (meta != null && meta.getResourceVersion() != null) {
      resourceVersion = meta.getResourceVersion();
    }
  }

  /** Opens the watch again if {@code failure} is a broken stream; rethrows it otherwise. */
  private void resumeOrRethrow(Watchable<T> broken, RuntimeException failure) {
    if (closed) {
      return;
    }
    if (!brokenStream(failure)) {
      throw failure;
    }
    closeQuietly(broken);
    LOG.log(
        Level.FINE,
        "watch stream broke after resourceVersion {0} ({1}); resuming",
        new Object[] {resourceVersion, failure.getCause()});
    Duration wait = Duration.ZERO;
    for (int attempt = 0; ; attempt++) {
      if (!pause(wait)) {
        return;
      }
      try {
        Watchable<T> next =
            source.watch(new CallGeneratorParams(Boolean.TRUE, resourceVersion, timeoutSeconds));
        synchronized (lock) {
          if (closed) {
            closeQuietly(next);
            return;
          }
          current = next;
          reopened++;
        }
        return;
      } catch (ApiException e) {
        if (!retriable(e)) {
          throw new IllegalStateException(
              "the watch could not be resumed from resourceVersion "
                  + resourceVersion
                  + ": HTTP "
                  + e.getCode()
                  + " "
                  + e.getMessage(),
              e);
        }
        wait = backoff.delay(attempt);
      } catch (RuntimeException e) {
        if (!brokenStream(e)) {
          throw e;
        }
        wait = backoff.delay(attempt);
      }
    }
  }

  /** Waits {@code wait} unless closed first; false when closed. */
  private boolean pause(Duration wait) {
    synchronized (lock) {
      long deadline = System.nanoTime() + wait.toNanos();
      for (long left = wait.toNanos(); !closed && left > 0; left = deadline - System.nanoTime()) {
        try {
          lock.wait(Math.max(1, left / 1_000_000L));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return !closed;
    }
  }

  /** An I/O failure of the stream itself, as kubernetes-client/java's Watch wraps it. */
  static boolean brokenStream(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof IOException) {
        return true;
      }
    }
    return false;
  }

  /** Transport failures, 429 and 5xx are worth another attempt; other answers are final. */
  static boolean retriable(ApiException e) {
    int code = e.getCode();
    return code == 0 || code == 429 || code >= 500;
  }

  private static void closeQuietly(Watchable<?> watch) {
    try {
      watch.close();
    } catch (IOException | RuntimeException ignored) {
      // the stream is already broken or closed
    }
  }

  @Override
  public void close() throws IOException {
    Watchable<T> watch;
    synchronized (lock) {
      closed = true;
      watch = current;
      lock.notifyAll();
    }
    watch.close();
  }

  @Override
  public Iterator<Watch.Response<T>> iterator() {
    return this;
  }

  @Override
  public void remove() {
    throw new UnsupportedOperationException("remove");
  }

  /** The delay before each further attempt to reopen a watch. */
  @FunctionalInterface
  public interface Backoff {
    /** The delay after {@code attempt} (0 for the first) failed. */
    Duration delay(int attempt);

    /** 100 ms after the first failed attempt, doubling to at most 5 s. */
    static Backoff standard() {
      return attempt -> Duration.ofMillis(Math.min(5_000L, 100L << Math.min(attempt, 6)));
    }
  }
}
