package dev.lifeline.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Watch semantics against the documented apiserver behaviour (API concepts, KEP-956, KEP-3157). */
class WatchSemanticsIT {
  @RegisterExtension
  static final FakeControlPlaneExtension cp =
      new FakeControlPlaneExtension(
          FakeControlPlane.builder()
              .instances(2)
              .ephemeralPort()
              .bookmarkInterval(Duration.ofMillis(300))
              .watchHistorySize(100_000));

  private static KubeHttp http;
  private static final Duration WAIT = Duration.ofSeconds(5);

  @BeforeAll
  static void connect() {
    http = new KubeHttp(cp, 0, cp.admin().token());
  }

  @AfterAll
  static void disconnect() {
    http.close();
  }

  private static String ns(String name) {
    cp.store()
        .create(
            "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\""
                + name
                + "\"}}");
    return name;
  }

  private static void configMap(String ns, String name, String labels) {
    cp.store()
        .create(
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
                + name
                + "\",\"namespace\":\""
                + ns
                + "\",\"labels\":{"
                + labels
                + "}}}");
  }

  private static String describe(JsonNode e) {
    return e.path("type").asText() + " " + e.at("/object/metadata/name").asText();
  }

  @Test
  void bookmarksArriveAtTheIntervalOnlyWhenAskedFor() throws Exception {
    String ns = ns("bookmarks");
    long rv = cp.store().resourceVersion();
    try (KubeHttp.Watch with =
            http.watch(
                "/api/v1/namespaces/"
                    + ns
                    + "/configmaps?watch=true&allowWatchBookmarks=true&resourceVersion="
                    + rv);
        KubeHttp.Watch without =
            http.watch(
                "/api/v1/namespaces/" + ns + "/configmaps?watch=true&resourceVersion=" + rv)) {
      JsonNode bookmark = with.next(WAIT);
      assertThat(bookmark.path("type").asText()).isEqualTo("BOOKMARK");
      assertThat(bookmark.at("/object/kind").asText()).isEqualTo("ConfigMap");
      assertThat(bookmark.at("/object/apiVersion").asText()).isEqualTo("v1");
      assertThat(bookmark.at("/object/metadata/resourceVersion").asLong())
          .isGreaterThanOrEqualTo(rv);
      assertThat(bookmark.at("/object/metadata/uid").isMissingNode()).isTrue();
      assertThat(with.next(WAIT).path("type").asText()).isEqualTo("BOOKMARK");
      assertThat(without.next(Duration.ofMillis(700))).isNull();
    }
  }

  @Test
  void sendInitialEventsStreamsTheStateThenTheInitialEventsEndBookmark() throws Exception {
    String ns = ns("watchlist");
    configMap(ns, "a", "\"app\":\"x\"");
    configMap(ns, "b", "\"app\":\"y\"");
    configMap(ns, "c", "\"app\":\"x\"");
    long listRv = cp.store().resourceVersion();
    try (KubeHttp.Watch w =
        http.watch(
            "/api/v1/namespaces/"
                + ns
                + "/configmaps?watch=true&sendInitialEvents=true"
                + "&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&labelSelector=app%3Dx")) {
      assertThat(describe(w.next(WAIT))).isEqualTo("ADDED a");
      assertThat(describe(w.next(WAIT))).isEqualTo("ADDED c");
      JsonNode end = w.next(WAIT);
      assertThat(end.path("type").asText()).isEqualTo("BOOKMARK");
      assertThat(end.at("/object/metadata/annotations/k8s.io~1initial-events-end").asText())
          .isEqualTo("true");
      assertThat(end.at("/object/metadata/resourceVersion").asLong()).isEqualTo(listRv);
      configMap(ns, "d", "\"app\":\"x\"");
      JsonNode next = w.next(WAIT);
      while (next.path("type").asText().equals("BOOKMARK")) {
        next = w.next(WAIT);
      }
      assertThat(describe(next)).isEqualTo("ADDED d");
    }
  }

  @Test
  void withoutAllowWatchBookmarksTheStateComesWithoutTheEndBookmark() throws Exception {
    String ns = ns("nobookmark");
    configMap(ns, "a", "");
    try (KubeHttp.Watch w =
        http.watch(
            "/api/v1/namespaces/"
                + ns
                + "/configmaps?watch=true&sendInitialEvents=true"
                + "&resourceVersionMatch=NotOlderThan&timeoutSeconds=1")) {
      assertThat(describe(w.next(WAIT))).isEqualTo("ADDED a");
      assertThat(w.rest(WAIT)).isEmpty();
    }
  }

  @Test
  void aWatchFromACompactedVersionGetsAn410ErrorEventAndEnds() throws Exception {
    String ns = ns("expired");
    configMap(ns, "a", "");
    long old = cp.store().resourceVersion();
    configMap(ns, "b", "");
    cp.store().compact();
    try (KubeHttp.Watch w =
        http.watch("/api/v1/namespaces/" + ns + "/configmaps?watch=true&resourceVersion=" + old)) {
      assertThat(w.code).isEqualTo(200);
      JsonNode error = w.next(WAIT);
      assertThat(error.path("type").asText()).isEqualTo("ERROR");
      assertThat(error.at("/object/kind").asText()).isEqualTo("Status");
      assertThat(error.at("/object/code").asInt()).isEqualTo(410);
      assertThat(error.at("/object/reason").asText()).isEqualTo("Expired");
      assertThat(error.at("/object/message").asText())
          .matches("too old resource version: " + old + " \\(\\d+\\)");
      await().atMost(WAIT).until(w::isEnded);
    }
  }

  @Test
  void timeoutSecondsEndsTheStreamCleanly() throws Exception {
    String ns = ns("timeout");
    long start = System.nanoTime();
    try (KubeHttp.Watch w =
        http.watch("/api/v1/namespaces/" + ns + "/pods?watch=true&timeoutSeconds=1")) {
      await().atMost(WAIT).until(w::hasEnded);
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(900));
      assertThat(w.drained()).isEmpty();
    }
  }

  @Test
  void objectsEnteringAndLeavingASelectorAreAddedAndDeleted() throws Exception {
    String ns = ns("selector");
    configMap(ns, "a", "\"app\":\"out\"");
    long rv = cp.store().resourceVersion();
    try (KubeHttp.Watch w =
        http.watch(
            "/api/v1/namespaces/"
                + ns
                + "/configmaps?watch=true&labelSelector=app%3Din&resourceVersion="
                + rv)) {
      relabel(ns, "a", "in");
      relabel(ns, "a", "in2");
      JsonNode added = w.next(WAIT);
      JsonNode deleted = w.next(WAIT);
      assertThat(describe(added)).isEqualTo("ADDED a");
      assertThat(describe(deleted)).isEqualTo("DELETED a");
      assertThat(deleted.at("/object/metadata/labels/app").asText()).isEqualTo("in");
      assertThat(deleted.at("/object/metadata/resourceVersion").asLong())
          .isGreaterThan(added.at("/object/metadata/resourceVersion").asLong());
    }
  }

  private static void relabel(String ns, String name, String value) {
    var cm = cp.store().get("v1", "ConfigMap", ns, name).orElseThrow();
    cm.withObjectProperty("metadata").withObjectProperty("labels").put("app", value);
    cp.store().update(cm);
  }

  @Test
  void theLegacyWatchPathWatches() throws Exception {
    String ns = ns("legacy");
    long rv = cp.store().resourceVersion();
    try (KubeHttp.Watch w =
        http.watch("/api/v1/watch/namespaces/" + ns + "/configmaps?resourceVersion=" + rv)) {
      configMap(ns, "a", "");
      assertThat(describe(w.next(WAIT))).isEqualTo("ADDED a");
    }
  }

  @Test
  void resumingFromTheLastSeenVersionLosesAndRepeatsNothingUnderConcurrentWriters()
      throws Exception {
    String ns = ns("resume");
    long from = cp.store().resourceVersion();
    List<Thread> writers = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int id = t;
      Thread writer = new Thread(() -> write(ns, id, 150), "test-writer-" + t);
      writers.add(writer);
      writer.start();
    }
    List<String> seen = new ArrayList<>();
    long rv = from;
    int reconnects = 0;
    boolean writersDone = false;
    while (!writersDone) {
      writersDone = writers.stream().noneMatch(Thread::isAlive);
      int take = 1 + ThreadLocalRandom.current().nextInt(40);
      try (KubeHttp.Watch w =
          http.watch(
              "/api/v1/namespaces/"
                  + ns
                  + "/configmaps?watch=true&allowWatchBookmarks=true"
                  + (writersDone ? "&timeoutSeconds=1" : "")
                  + "&resourceVersion="
                  + rv)) {
        List<JsonNode> events = new ArrayList<>();
        if (writersDone) {
          events.addAll(w.rest(WAIT));
        } else {
          for (int i = 0; i < take; i++) {
            JsonNode e = w.next(WAIT);
            if (e == null) {
              break;
            }
            events.add(e);
          }
        }
        for (JsonNode e : events) {
          rv = e.at("/object/metadata/resourceVersion").asLong();
          if (!e.path("type").asText().equals("BOOKMARK")) {
            seen.add(
                e.path("type").asText() + " " + e.at("/object/metadata/name").asText() + "@" + rv);
          }
        }
      }
      reconnects++;
    }
    List<String> truth = new ArrayList<>();
    for (StoreEvent e : cp.store().history("v1", "ConfigMap")) {
      if (e.namespace().equals(ns) && e.resourceVersion() > from) {
        truth.add(e.type() + " " + e.name() + "@" + e.resourceVersion());
      }
    }
    assertThat(reconnects).isGreaterThan(5);
    assertThat(truth).hasSize(600);
    assertThat(seen).containsExactlyElementsOf(truth);
  }

  /** Creates, relabels and deletes five config maps at a steady rate. */
  private static void write(String ns, int writer, int writes) {
    for (int i = 0; i < writes; i++) {
      String name = "w" + writer + "-" + (i % 5);
      if (cp.store().get("v1", "ConfigMap", ns, name).isPresent()) {
        if (ThreadLocalRandom.current().nextBoolean()) {
          cp.store().delete("v1", "ConfigMap", ns, name);
        } else {
          relabel(ns, name, "v" + i);
        }
      } else {
        configMap(ns, name, "\"app\":\"v" + i + "\"");
      }
      // A steady write rate rather than a flood, so the watcher keeps up between reconnects.
      LockSupport.parkNanos(2_000_000);
    }
  }

  @Test
  void aServerWithTheWatchListGateOffRejectsSendInitialEventsWith422() {
    try (FakeControlPlane off =
            FakeControlPlane.builder()
                .instances(1)
                .ephemeralPort()
                .watchList(WatchListSupport.DISABLED)
                .start();
        KubeHttp client = new KubeHttp(off, 0, off.admin().token())) {
      KubeHttp.Response r =
          client.get(
              "/api/v1/pods?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true");
      assertThat(r.code()).isEqualTo(422);
      JsonNode s = r.json();
      assertThat(s.path("reason").asText()).isEqualTo("Invalid");
      assertThat(s.path("message").asText())
          .isEqualTo(
              "ListOptions.meta.k8s.io \"\" is invalid: sendInitialEvents: Forbidden: sendInitialEvents"
                  + " is forbidden for watch unless the WatchList feature gate is enabled");
      assertThat(s.at("/details/group").asText()).isEqualTo("meta.k8s.io");
      assertThat(s.at("/details/kind").asText()).isEqualTo("ListOptions");
      assertThat(s.at("/details/causes/0/reason").asText()).isEqualTo("FieldValueForbidden");
      assertThat(s.at("/details/causes/0/field").asText()).isEqualTo("sendInitialEvents");
    }
  }

  @Test
  void anOldServerIgnoresSendInitialEventsAndSendsAPlainWatch() throws Exception {
    try (FakeControlPlane old =
            FakeControlPlane.builder()
                .instances(1)
                .ephemeralPort()
                .watchList(WatchListSupport.UNKNOWN_TO_SERVER)
                .start();
        KubeHttp client = new KubeHttp(old, 0, old.admin().token());
        KubeHttp.Watch w =
            client.watch(
                "/api/v1/namespaces/default/services?watch=true&sendInitialEvents=true"
                    + "&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=1")) {
      assertThat(w.code).isEqualTo(200);
      assertThat(describe(w.next(WAIT))).isEqualTo("ADDED kubernetes");
      assertThat(w.rest(WAIT))
          .allSatisfy(
              e -> assertThat(e.at("/object/metadata/annotations").isMissingNode()).isTrue());
    }
  }

  @Test
  void aWatchFromAFutureVersionWaitsForIt() throws Exception {
    String ns = ns("future");
    long future = cp.store().resourceVersion() + 1;
    try (KubeHttp.Watch w =
        http.watch(
            "/api/v1/namespaces/" + ns + "/configmaps?watch=true&resourceVersion=" + future)) {
      configMap(ns, "a", "");
      configMap(ns, "b", "");
      assertThat(describe(w.next(WAIT))).isEqualTo("ADDED b");
    }
  }
}
