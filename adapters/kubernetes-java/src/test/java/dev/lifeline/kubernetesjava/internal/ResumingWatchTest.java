package dev.lifeline.kubernetesjava.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.informer.ListerWatcher;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ConfigMapList;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.util.CallGeneratorParams;
import io.kubernetes.client.util.Watch;
import io.kubernetes.client.util.Watchable;
import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ResumingWatchTest {

  /** One scripted watch stream: items, then either its end or a failure. */
  static final class Stream implements Watchable<V1ConfigMap> {
    final Deque<Object> script = new ArrayDeque<>();
    volatile boolean closed;

    Stream item(String type, String rv) {
      script.add(
          new Watch.Response<>(
              type, new V1ConfigMap().metadata(new V1ObjectMeta().name("cm").resourceVersion(rv))));
      return this;
    }

    Stream error(int code) {
      script.add(new Watch.Response<V1ConfigMap>("ERROR", new V1Status().code(code)));
      return this;
    }

    Stream breaks() {
      script.add(
          new RuntimeException(
              "IO Exception during hasNext method.", new SocketException("Connection reset")));
      return this;
    }

    @Override
    public boolean hasNext() {
      if (closed) {
        throw new RuntimeException(
            "IO Exception during hasNext method.", new IOException("closed"));
      }
      Object head = script.peek();
      if (head instanceof RuntimeException e) {
        script.poll();
        throw e;
      }
      return head != null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Watch.Response<V1ConfigMap> next() {
      return (Watch.Response<V1ConfigMap>) script.poll();
    }

    @Override
    public void close() {
      closed = true;
    }

    @Override
    public Iterator<Watch.Response<V1ConfigMap>> iterator() {
      return this;
    }
  }

  /** Hands out scripted streams or failures in turn and records the versions asked for. */
  static final class Source implements ListerWatcher<V1ConfigMap, V1ConfigMapList> {
    final Deque<Object> opens = new ArrayDeque<>();
    final List<String> versions = new CopyOnWriteArrayList<>();

    @Override
    public V1ConfigMapList list(CallGeneratorParams params) {
      throw new AssertionError("a resuming watch never lists");
    }

    @Override
    @SuppressWarnings("unchecked")
    public Watchable<V1ConfigMap> watch(CallGeneratorParams params) throws ApiException {
      versions.add(params.resourceVersion);
      Object next = opens.poll();
      if (next instanceof ApiException e) {
        throw e;
      }
      if (next == null) {
        throw new AssertionError("no more scripted watches");
      }
      return (Watchable<V1ConfigMap>) next;
    }
  }

  static final ResumingWatch.Backoff NO_WAIT = attempt -> Duration.ZERO;

  static List<String> drain(ResumingWatch<V1ConfigMap> watch) {
    List<String> seen = new ArrayList<>();
    while (watch.hasNext()) {
      Watch.Response<V1ConfigMap> item = watch.next();
      seen.add(item.type + "@" + item.object.getMetadata().getResourceVersion());
    }
    return seen;
  }

  static CallGeneratorParams params(String rv) {
    return new CallGeneratorParams(true, rv, 300);
  }

  @Test
  void aBrokenStreamResumesFromTheLastDeliveredVersion() {
    Source source = new Source();
    Stream first = new Stream().item("ADDED", "11").item("MODIFIED", "12").breaks();
    source.opens.add(new Stream().item("MODIFIED", "13").item("BOOKMARK", "15").breaks());
    source.opens.add(new Stream().item("DELETED", "16"));
    ResumingWatch<V1ConfigMap> watch = new ResumingWatch<>(source, params("10"), first, NO_WAIT);

    assertThat(drain(watch))
        .containsExactly("ADDED@11", "MODIFIED@12", "MODIFIED@13", "BOOKMARK@15", "DELETED@16");
    assertThat(source.versions).containsExactly("12", "15");
    assertThat(watch.reopened()).isEqualTo(2);
    assertThat(first.closed).isTrue();
  }

  @Test
  void aStreamThatBreaksBeforeAnyItemResumesFromTheReflectorsVersion() {
    Source source = new Source();
    source.opens.add(new Stream().item("MODIFIED", "21"));
    ResumingWatch<V1ConfigMap> watch =
        new ResumingWatch<>(source, params("20"), new Stream().breaks(), NO_WAIT);

    assertThat(drain(watch)).containsExactly("MODIFIED@21");
    assertThat(source.versions).containsExactly("20");
  }

  @Test
  void unreachableAndOverloadedApiserversAreRetriedWithTheBackoff() {
    Source source = new Source();
    source.opens.add(new ApiException(new java.net.ConnectException("Connection refused")));
    source.opens.add(new ApiException(429, "Too Many Requests"));
    source.opens.add(new ApiException(503, "Service Unavailable"));
    source.opens.add(new Stream().item("MODIFIED", "31"));
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    ResumingWatch<V1ConfigMap> watch =
        new ResumingWatch<>(
            source,
            params("30"),
            new Stream().breaks(),
            attempt -> {
              attempts.add(attempt);
              return Duration.ZERO;
            });

    assertThat(drain(watch)).containsExactly("MODIFIED@31");
    assertThat(attempts).containsExactly(0, 1, 2);
    assertThat(source.versions).containsExactly("30", "30", "30", "30");
  }

  @Test
  void aFinalAnswerGoesToTheReflectorWhichListsAgain() {
    Source source = new Source();
    source.opens.add(new ApiException(403, "Forbidden"));
    ResumingWatch<V1ConfigMap> watch =
        new ResumingWatch<>(source, params("40"), new Stream().breaks(), NO_WAIT);

    assertThatThrownBy(watch::hasNext)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("resourceVersion 40")
        .hasMessageContaining("HTTP 403");
  }

  @Test
  void errorEventsAndOtherFailuresPassThroughUntouched() {
    Source source = new Source();
    Stream stream = new Stream().item("MODIFIED", "51").error(410);
    ResumingWatch<V1ConfigMap> watch = new ResumingWatch<>(source, params("50"), stream, NO_WAIT);

    assertThat(watch.next().type).isEqualTo("MODIFIED");
    assertThat(watch.next().type).isEqualTo("ERROR");
    IllegalStateException decoding = new IllegalStateException("not JSON");
    stream.script.add(decoding);
    assertThatThrownBy(watch::hasNext).isSameAs(decoding);
    assertThat(source.versions).isEmpty();
  }

  @Test
  void closingEndsTheWatchAlsoDuringABackoff() throws Exception {
    Source source = new Source();
    for (int i = 0; i < 1_000; i++) {
      source.opens.add(new ApiException(new java.net.ConnectException("Connection refused")));
    }
    ResumingWatch<V1ConfigMap> watch =
        new ResumingWatch<>(
            source, params("60"), new Stream().breaks(), attempt -> Duration.ofHours(1));
    CompletableFuture<Boolean> hasNext = CompletableFuture.supplyAsync(watch::hasNext);
    await().atMost(Duration.ofSeconds(5)).until(() -> source.versions.size() == 1);

    watch.close();

    assertThat(hasNext.get()).isFalse();
    assertThat(source.versions).hasSize(1);
  }

  @Test
  void theStandardBackoffDoublesFrom100MillisecondsTo5Seconds() {
    ResumingWatch.Backoff backoff = ResumingWatch.Backoff.standard();

    assertThat(List.of(0, 1, 2, 3, 4, 5, 6, 30).stream().map(backoff::delay).toList())
        .containsExactly(
            Duration.ofMillis(100),
            Duration.ofMillis(200),
            Duration.ofMillis(400),
            Duration.ofMillis(800),
            Duration.ofMillis(1600),
            Duration.ofMillis(3200),
            Duration.ofMillis(5000),
            Duration.ofMillis(5000));
  }
}
