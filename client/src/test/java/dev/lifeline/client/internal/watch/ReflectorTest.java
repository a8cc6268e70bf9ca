package dev.lifeline.client.internal.watch;

import static dev.lifeline.client.internal.watch.FakeListWatch.HANG;
import static dev.lifeline.client.internal.watch.FakeListWatch.added;
import static dev.lifeline.client.internal.watch.FakeListWatch.bookmark;
import static dev.lifeline.client.internal.watch.FakeListWatch.deleted;
import static dev.lifeline.client.internal.watch.FakeListWatch.end;
import static dev.lifeline.client.internal.watch.FakeListWatch.error;
import static dev.lifeline.client.internal.watch.FakeListWatch.modified;
import static dev.lifeline.client.internal.watch.FakeListWatch.pod;
import static dev.lifeline.client.internal.watch.FakeListWatch.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.client.InformerListener;
import dev.lifeline.client.KubeException;
import dev.lifeline.client.ResourceHandler;
import dev.lifeline.client.ResourceList;
import dev.lifeline.client.model.Pod;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReflectorTest {
  private final FakeTime time = new FakeTime();
  private final FakeListWatch server = new FakeListWatch(time);
  private final List<String> delivered = new ArrayList<>();
  private final List<String> heard = new ArrayList<>();
  private double random = 0.5;

  private final ResourceHandler<Pod> handler =
      new ResourceHandler<>() {
        @Override
        public void onAdd(Pod object, boolean isInInitialList) {
          delivered.add(
              "add " + object.name() + "@" + rv(object) + (isInInitialList ? " initial" : ""));
        }

        @Override
        public void onUpdate(Pod oldObject, Pod newObject) {
          delivered.add("update " + newObject.name() + "@" + rv(oldObject) + "->" + rv(newObject));
        }

        @Override
        public void onDelete(Pod object, boolean finalStateUnknown) {
          delivered.add(
              "delete " + object.name() + "@" + rv(object) + (finalStateUnknown ? " unknown" : ""));
        }

        @Override
        public void onSynced() {
          delivered.add("synced");
        }
      };

  private final InformerListener listener =
      new InformerListener() {
        @Override
        public void watchListFallback(String informer, String reason) {
          heard.add("fallback: " + reason);
        }

        @Override
        public void relisted(String informer, String resourceVersion) {
          heard.add("relist from " + resourceVersion);
        }

        @Override
        public void backoff(String informer, Duration delay) {
          heard.add("backoff " + delay.toMillis() + "ms");
        }
      };

  private static String rv(Pod p) {
    return p.metadata().resourceVersion();
  }

  private Reflector<Pod> reflector(boolean watchList) {
    return reflector(watchList, 0);
  }

  private Reflector<Pod> reflector(boolean watchList, long limit) {
    Delivery<Pod> delivery = new Delivery<>(handler, "pods");
    return new Reflector<>(
        server,
        delivery,
        new Reflector.Settings(
            "pods",
            watchList,
            limit,
            Duration.ofSeconds(10),
            listener,
            time::now,
            () -> random,
            time,
            time));
  }

  private static ResourceList<Pod> page(String rv, String next, Pod... items) {
    return new ResourceList<>(List.of(items), rv, next, null);
  }

  @Test
  void watchListDeliversTheInitialStateThenTheChangesOnTheSameStream() {
    server.watch(
        added(pod("a", "u-a", "5")),
        added(pod("b", "u-b", "6")),
        end("10"),
        modified(pod("a", "u-a", "11")),
        deleted(pod("b", "u-b", "12")));
    Reflector<Pod> r = reflector(true);

    r.step();

    assertThat(delivered)
        .containsExactly(
            "add a@5 initial", "add b@6 initial", "synced", "update a@5->11", "delete b@12");
    ListWatch.WatchOptions request = server.watchCalls.get(0);
    assertThat(request.sendInitialEvents()).isTrue();
    assertThat(request.resourceVersion()).isEmpty();
    assertThat(r.lastSyncResourceVersion()).isEqualTo("12");
    assertThat(server.listCalls).isEmpty();

    server.watch(new FakeListWatch.Advance(Duration.ofMinutes(5)));
    r.step();
    assertThat(server.watchCalls.get(1).sendInitialEvents()).isFalse();
    assertThat(server.watchCalls.get(1).resourceVersion()).isEqualTo("12");
    assertThat(time.waits).isEmpty();
  }

  @Test
  void anHttpRejectionOfWatchListFallsBackToListAndWatchForTheInformersLife() {
    server
        .watchFails(status(403, "Forbidden"))
        .list(page("20", null, pod("a", "u-a", "3")))
        .watch(error(410, "Expired"))
        .list(page("30", null, pod("a", "u-a", "3")))
        .watch(new FakeListWatch.Advance(Duration.ofMinutes(6)));
    Reflector<Pod> r = reflector(true);

    r.step();
    assertThat(r.isUsingWatchList()).isFalse();
    assertThat(heard).anyMatch(h -> h.startsWith("fallback: the server refused it"));

    r.step();
    assertThat(server.listCalls.get(0).resourceVersion()).isEqualTo("0");
    assertThat(server.watchCalls.get(1).resourceVersion()).isEqualTo("20");
    assertThat(heard).contains("relist from 20");

    r.step();
    // The relist after the 410 is a LIST again, from the last version seen, and delivers nothing
    // new.
    assertThat(server.listCalls.get(1).resourceVersion()).isEqualTo("20");
    assertThat(server.watchCalls).hasSize(3);
    assertThat(server.watchCalls.get(2).sendInitialEvents()).isFalse();
    assertThat(delivered).containsExactly("add a@3 initial", "synced");
  }

  @Test
  void anErrorEventBeforeTheEndBookmarkFallsBack() {
    server
        .watch(added(pod("a", "u-a", "1")), error(500, "InternalError"))
        .list(page("7", null, pod("a", "u-a", "1")))
        .watch(new FakeListWatch.Advance(Duration.ofMinutes(6)));
    Reflector<Pod> r = reflector(true);

    r.step();
    r.step();

    assertThat(r.isUsingWatchList()).isFalse();
    assertThat(delivered).containsExactly("add a@1 initial", "synced");
  }

  @Test
  void aServerThatSendsAPlainBookmarkFirstIgnoresWatchList() {
    server.watch(added(pod("a", "u-a", "1")), bookmark("9")).list(page("9", null));
    Reflector<Pod> r = reflector(true);

    r.step();

    assertThat(r.isUsingWatchList()).isFalse();
    assertThat(heard.get(0)).contains("without k8s.io/initial-events-end");
    assertThat(delivered).isEmpty();
  }

  @Test
  void aServerThatSendsModificationsBeforeTheEndIgnoresWatchList() {
    server.watch(added(pod("a", "u-a", "1")), modified(pod("a", "u-a", "2")));
    Reflector<Pod> r = reflector(true);

    r.step();

    assertThat(r.isUsingWatchList()).isFalse();
    assertThat(heard.get(0))
        .contains("a MODIFIED event came before the initial-events-end bookmark");
  }

  @Test
  void aServerThatGoesQuietWithoutTheEndBookmarkIgnoresWatchList() {
    server
        .watch(
            added(pod("a", "u-a", "1")),
            new FakeListWatch.Advance(Duration.ofSeconds(9)),
            added(pod("b", "u-b", "2")),
            HANG)
        .list(page("2", null, pod("a", "u-a", "1"), pod("b", "u-b", "2")))
        .watch(new FakeListWatch.Advance(Duration.ofMinutes(6)));
    Reflector<Pod> r = reflector(true);
    long start = time.now();

    r.step();

    // Ten quiet seconds after the last event (not after the first): the events kept it alive until
    // then.
    assertThat(Duration.ofNanos(time.now() - start)).isEqualTo(Duration.ofSeconds(19));
    assertThat(heard.get(0)).contains("no initial-events-end bookmark within 10 s");
    assertThat(delivered).isEmpty();

    r.step();
    assertThat(delivered).containsExactly("add a@1 initial", "add b@2 initial", "synced");
    assertThat(time.pendingTasks()).isZero();
  }

  @Test
  void a410RelistDeliversOnlyTheDifference() {
    server
        .watch(
            added(pod("a", "u-a", "1")),
            added(pod("b", "u-b", "2")),
            added(pod("c", "u-c", "3")),
            added(pod("e", "u-e", "4")),
            end("5"),
            new FakeListWatch.Advance(Duration.ofSeconds(5)),
            error(410, "Expired"))
        .watch(
            added(pod("a", "u-a", "1")),
            added(pod("b", "u-b", "7")),
            added(pod("c", "u-c2", "9")),
            added(pod("d", "u-d", "8")),
            end("10"));
    Reflector<Pod> r = reflector(true);

    r.step();
    delivered.clear();
    r.step();

    assertThat(server.watchCalls.get(1).sendInitialEvents()).isTrue();
    assertThat(server.watchCalls.get(1).resourceVersion()).isEqualTo("5");
    assertThat(delivered)
        .containsExactly(
            "delete e@4 unknown", "update b@2->7", "delete c@3 unknown", "add c@9", "add d@8");
    assertThat(time.waits).isEmpty();
  }

  @Test
  void duplicateEventsAreNotDeliveredTwice() {
    server.watch(
        added(pod("a", "u-a", "1")),
        end("1"),
        modified(pod("a", "u-a", "1")),
        added(pod("a", "u-a", "1")),
        deleted(pod("a", "u-other", "2")),
        deleted(pod("z", "u-z", "3")));
    Reflector<Pod> r = reflector(true);

    r.step();

    assertThat(delivered).containsExactly("add a@1 initial", "synced");
    assertThat(r.lastSyncResourceVersion()).isEqualTo("3");
  }

  @Test
  void aDisconnectResumesFromTheLastVersionWithoutRelisting() {
    server
        .watch(
            added(pod("a", "u-a", "1")),
            end("4"),
            modified(pod("a", "u-a", "15")),
            new IOException("connection reset"))
        .watch(modified(pod("a", "u-a", "16")));
    Reflector<Pod> r = reflector(true);

    r.step();
    r.step();

    assertThat(server.watchCalls.get(1).resourceVersion()).isEqualTo("15");
    assertThat(server.watchCalls.get(1).sendInitialEvents()).isFalse();
    assertThat(server.listCalls).isEmpty();
    assertThat(delivered).endsWith("update a@1->15", "update a@15->16");
    // A stream that broke off after delivering events resumes at once, as client-go's does: a
    // connection evicted from a dead apiserver must not cost a backoff.
    assertThat(time.waits).isEmpty();
  }

  @Test
  void aStreamThatBreaksOffAtOnceWithoutEventsBacksOff() {
    server.list(page("1", null)).watch(new IOException("connection reset")).watch(bookmark("2"));
    Reflector<Pod> r = reflector(false);

    r.step();

    assertThat(time.waits).hasSize(1);
    r.step();
    assertThat(server.watchCalls).hasSize(2);
    assertThat(server.watchCalls.get(1).resourceVersion()).isEqualTo("1");
  }

  @Test
  void aWatchThatClosesWithinASecondWithoutEventsBacksOffWhileALongOneReconnectsAtOnce() {
    server
        .list(page("1", null))
        .watch()
        .watch(new FakeListWatch.Advance(Duration.ofSeconds(2)))
        .watch(bookmark("2"));
    Reflector<Pod> r = reflector(false);

    r.step();
    assertThat(time.waits).hasSize(1);
    r.step();
    assertThat(time.waits).hasSize(1);
    r.step();
    assertThat(time.waits).hasSize(1);
  }

  @Test
  void failuresBackOffFrom800msDoublingTo30sAndResetAfterTwoQuietMinutes() {
    random = 0.0;
    server.list(page("1", null));
    for (int i = 0; i < 9; i++) {
      server.watchFails(new KubeException("connection refused"));
    }
    Reflector<Pod> r = reflector(false);
    for (int i = 0; i < 8; i++) {
      r.step();
    }
    assertThat(time.waits)
        .extracting(Duration::toMillis)
        .containsExactly(800L, 1600L, 3200L, 6400L, 12800L, 25600L, 30000L, 30000L);

    time.advance(Duration.ofMinutes(2));
    r.step();
    assertThat(time.waits.get(8)).isEqualTo(Duration.ofMillis(800));
  }

  @Test
  void backoffJitterAddsUpToTheWholeDelay() {
    random = 0.999;
    Backoff backoff = new Backoff(time::now, () -> random);
    assertThat(backoff.next()).isBetween(Duration.ofMillis(1599), Duration.ofMillis(1600));
    for (int i = 0; i < 10; i++) {
      backoff.next();
    }
    assertThat(backoff.next()).isBetween(Duration.ofMillis(59_900), Duration.ofSeconds(60));
  }

  @Test
  void watchTimeoutsAreRandomBetweenFiveAndTenMinutes() {
    server
        .list(page("1", null))
        .watch(new FakeListWatch.Advance(Duration.ofMinutes(6)))
        .watch(new FakeListWatch.Advance(Duration.ofMinutes(6)));
    Reflector<Pod> r = reflector(false);
    random = 0.0;
    r.step();
    random = 0.999;
    r.step();
    assertThat(server.watchCalls)
        .extracting(ListWatch.WatchOptions::timeoutSeconds)
        .containsExactly(300L, 599L);
  }

  @Test
  void anExpiredListRetriesAtOnceWithTheLatestVersion() {
    server
        .list(page("50", null, pod("a", "u-a", "1")))
        .watch(error(410, "Expired"))
        .listFails(status(410, "Expired"))
        .list(page("90", null, pod("a", "u-a", "60")))
        .watch(new FakeListWatch.Advance(Duration.ofMinutes(6)));
    Reflector<Pod> r = reflector(false);

    r.step();
    r.step();

    assertThat(server.listCalls)
        .extracting(FakeListWatch.ListCall::resourceVersion)
        .containsExactly("0", "50", "");
    assertThat(delivered).containsExactly("add a@1 initial", "synced", "update a@1->60");
    assertThat(r.lastSyncResourceVersion()).isEqualTo("90");
  }

  @Test
  void aWatchExpiredAtOnceAfterASyncBacksOffInsteadOfSpinning() {
    server.list(page("50", null)).watchFails(status(410, "Expired")).list(page("51", null));
    Reflector<Pod> r = reflector(false);

    r.step();

    assertThat(heard).contains("relist from 50");
    assertThat(time.waits).hasSize(1);
  }

  @Test
  void aLimitPagesTheListWithContinueTokens() {
    server
        .list(page("70", "token-1", pod("a", "u-a", "1")))
        .list(page("70", null, pod("b", "u-b", "2")))
        .watch(new FakeListWatch.Advance(Duration.ofMinutes(6)));
    Reflector<Pod> r = reflector(false, 1);

    r.step();

    assertThat(server.listCalls)
        .containsExactly(
            new FakeListWatch.ListCall("0", null, 1),
            new FakeListWatch.ListCall("0", "token-1", 1));
    assertThat(delivered).containsExactly("add a@1 initial", "add b@2 initial", "synced");
  }

  @Test
  void aThrowingHandlerDoesNotStopDelivery() {
    List<String> seen = new ArrayList<>();
    Delivery<Pod> delivery =
        new Delivery<>(
            new ResourceHandler<Pod>() {
              @Override
              public void onAdd(Pod object, boolean isInInitialList) {
                seen.add(object.name());
                throw new IllegalStateException("boom");
              }
            },
            "pods");
    server.watch(
        added(pod("a", "u-a", "1")),
        added(pod("b", "u-b", "2")),
        end("2"),
        added(pod("c", "u-c", "3")));
    Reflector<Pod> r =
        new Reflector<>(
            server,
            delivery,
            new Reflector.Settings(
                "pods",
                true,
                0,
                Duration.ofSeconds(10),
                InformerListener.NONE,
                time::now,
                () -> 0.5,
                time,
                time));

    r.step();

    assertThat(seen).containsExactly("a", "b", "c");
    assertThat(delivery.size()).isEqualTo(3);
  }

  @Test
  void aWatchListInterruptedByADisconnectIsRetriedNotAbandoned() {
    server
        .watch(added(pod("a", "u-a", "1")), new IOException("reset"))
        .watch(added(pod("a", "u-a", "1")), end("3"));
    Reflector<Pod> r = reflector(true);

    r.step();
    r.step();

    assertThat(r.isUsingWatchList()).isTrue();
    assertThat(delivered).containsExactly("add a@1 initial", "synced");
    assertThat(time.waits).hasSize(1);
  }

  @Test
  void anExpiredWatchListVersionRestartsFromTheLatest() {
    server
        .watch(
            added(pod("a", "u-a", "1")),
            end("3"),
            new FakeListWatch.Advance(Duration.ofSeconds(3)),
            error(410, "Expired"))
        .watchFails(status(410, "Expired"))
        .watch(added(pod("a", "u-a", "1")), end("8"));
    Reflector<Pod> r = reflector(true);

    r.step();
    r.step();
    r.step();

    assertThat(server.watchCalls)
        .extracting(ListWatch.WatchOptions::resourceVersion)
        .containsExactly("", "3", "");
    assertThat(r.isUsingWatchList()).isTrue();
    assertThat(r.lastSyncResourceVersion()).isEqualTo("8");
  }
}
