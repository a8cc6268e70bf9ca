package dev.lifeline.testkit.internal.store;

import static dev.lifeline.testkit.internal.store.StoreFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeline.testkit.KubeApiException;
import dev.lifeline.testkit.internal.store.ChangeEvent.EventType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectStoreTest {
  private final StoreFixture f = new StoreFixture(5);

  @Test
  void everyWriteTakesTheNextGlobalResourceVersion() {
    long before = f.store.resourceVersion();
    StoredObject a = f.configMap("a", "1");
    StoredObject b = f.pod("p", true);

    assertThat(a.resourceVersion()).isEqualTo(before + 1);
    assertThat(b.resourceVersion()).isEqualTo(before + 2);
    assertThat(f.store.resourceVersion()).isEqualTo(before + 2);
  }

  @Test
  void createSetsUidTimestampAndGenerationWhereTheRegistryDoes() {
    ObjectNode pod = f.pod("p", true).toTree();
    ObjectNode cm = f.configMap("c", "1").toTree();

    assertThat(pod.at("/metadata/uid").asText()).hasSize(36);
    assertThat(pod.at("/metadata/creationTimestamp").asText()).isEqualTo("2025-01-01T00:00:00Z");
    assertThat(pod.at("/metadata/generation").asLong()).isEqualTo(1);
    assertThat(cm.at("/metadata/generation").isMissingNode()).isTrue();
  }

  @Test
  void generateNameAddsFiveRandomCharacters() {
    StoredObject o =
        f.store.create(
            f.configMaps, "default", json("{\"metadata\":{\"generateName\":\"x-\"}}"), true);
    assertThat(o.name()).matches("x-[bcdfghjklmnpqrstvwxz2456789]{5}");
  }

  @Test
  void aSecondCreateOfTheSameNameIsAlreadyExists() {
    f.configMap("a", "1");
    assertThatThrownBy(() -> f.configMap("a", "2"))
        .isInstanceOfSatisfying(
            KubeApiException.class,
            e -> {
              assertThat(e.code()).isEqualTo(409);
              assertThat(e.reason()).isEqualTo("AlreadyExists");
              assertThat(e.getMessage()).isEqualTo("configmaps \"a\" already exists");
            });
  }

  @Test
  void anUpdateWithAStaleResourceVersionIsAConflict() {
    StoredObject a = f.configMap("a", "1");
    ObjectNode first = a.toTree();
    ((ObjectNode) first.get("data")).put("k", "2");
    f.store.update(f.configMaps, "default", "a", first, ObjectStore.Scope.MAIN, true);

    ObjectNode stale = a.toTree();
    ((ObjectNode) stale.get("data")).put("k", "3");
    assertThatThrownBy(
            () -> f.store.update(f.configMaps, "default", "a", stale, ObjectStore.Scope.MAIN, true))
        .isInstanceOfSatisfying(
            KubeApiException.class,
            e -> {
              assertThat(e.code()).isEqualTo(409);
              assertThat(e.reason()).isEqualTo("Conflict");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "Operation cannot be fulfilled on configmaps \"a\": the object has been"
                          + " modified; please apply your changes to the latest version and try again");
            });
  }

  @Test
  void anUpdateThatChangesNothingWritesNothing() {
    StoredObject a = f.configMap("a", "1");
    long rv = f.store.resourceVersion();

    StoredObject same =
        f.store
            .update(f.configMaps, "default", "a", a.toTree(), ObjectStore.Scope.MAIN, true)
            .object();

    assertThat(same.resourceVersion()).isEqualTo(a.resourceVersion());
    assertThat(f.store.resourceVersion()).isEqualTo(rv);
  }

  @Test
  void theMainResourceKeepsTheStatusAndTheStatusSubresourceOnlyChangesIt() {
    StoredObject p = f.pod("p", true);
    ObjectNode changedBoth = p.toTree();
    changedBoth.withObjectProperty("metadata").withObjectProperty("labels").put("x", "1");
    changedBoth.withObjectProperty("status").put("phase", "Failed");

    StoredObject main =
        f.store.update(f.pods, "default", "p", changedBoth, ObjectStore.Scope.MAIN, true).object();
    assertThat(main.labels()).containsEntry("x", "1");
    assertThat(main.phase()).isEqualTo("Running");

    ObjectNode statusChange = main.toTree();
    statusChange.withObjectProperty("metadata").withObjectProperty("labels").put("y", "1");
    statusChange.withObjectProperty("status").put("phase", "Failed");
    StoredObject status =
        f.store
            .update(f.pods, "default", "p", statusChange, ObjectStore.Scope.STATUS, true)
            .object();
    assertThat(status.phase()).isEqualTo("Failed");
    assertThat(status.labels()).doesNotContainKey("y");
  }

  @Test
  void generationGrowsOnlyWhenTheSpecChanges() {
    StoredObject p = f.pod("p", true);
    ObjectNode labels = p.toTree();
    labels.withObjectProperty("metadata").withObjectProperty("labels").put("x", "1");
    StoredObject relabelled =
        f.store.update(f.pods, "default", "p", labels, ObjectStore.Scope.MAIN, true).object();
    ObjectNode spec = relabelled.toTree();
    spec.withObjectProperty("spec").put("nodeName", "n1");
    StoredObject moved =
        f.store.update(f.pods, "default", "p", spec, ObjectStore.Scope.MAIN, true).object();

    assertThat(relabelled.toTree().at("/metadata/generation").asLong()).isEqualTo(1);
    assertThat(moved.toTree().at("/metadata/generation").asLong()).isEqualTo(2);
  }

  @Test
  void deletePreconditionsAreCheckedAsTheApiserverChecksThem() {
    StoredObject a = f.configMap("a", "1");
    assertThatThrownBy(
            () ->
                f.store.delete(
                    f.configMaps, "default", "a", new ObjectStore.Preconditions("other-uid", null)))
        .hasMessage(
            "Operation cannot be fulfilled on configmaps \"a\": Precondition failed: UID in"
                + " precondition: other-uid, UID in object meta: "
                + a.uid());
    assertThatThrownBy(
            () ->
                f.store.delete(
                    f.configMaps, "default", "a", new ObjectStore.Preconditions(null, "1")))
        .hasMessageContaining(
            "ResourceVersion in precondition: 1, ResourceVersion in object meta: "
                + a.resourceVersion());
  }

  @Test
  void creatingInAMissingNamespaceIsNotFound() {
    assertThatThrownBy(
            () ->
                f.store.create(
                    f.configMaps, "nowhere", json("{\"metadata\":{\"name\":\"a\"}}"), true))
        .hasMessage("namespaces \"nowhere\" not found");
  }

  @Test
  void deletingANamespaceDeletesWhatIsInIt() {
    f.configMap("a", "1");
    f.store.delete(f.namespaces, "", "default", ObjectStore.Preconditions.NONE);
    assertThat(f.store.latest(f.configMaps, null, null).objects()).isEmpty();
  }

  @Test
  void anExactSnapshotUndoesLaterChanges() {
    f.configMap("a", "1");
    long rv = f.store.resourceVersion();
    StoredObject b = f.configMap("b", "1");
    ObjectNode a2 = f.store.get(f.configMaps, "default", "a").orElseThrow().toTree();
    ((ObjectNode) a2.get("data")).put("k", "2");
    f.store.update(f.configMaps, "default", "a", a2, ObjectStore.Scope.MAIN, true);
    f.store.delete(f.configMaps, "default", "b", ObjectStore.Preconditions.NONE);

    ObjectStore.Snapshot past = f.store.at(f.configMaps, "default", null, rv, "too old");

    assertThat(past.resourceVersion()).isEqualTo(rv);
    assertThat(past.objects()).extracting(StoredObject::name).containsExactly("a");
    assertThat(past.objects().get(0).toTree().at("/data/k").asText()).isEqualTo("1");
    assertThat(b.name()).isEqualTo("b");
  }

  @Test
  void versionsOlderThanTheHistoryWindowAreGone() {
    long start = f.store.resourceVersion();
    for (int i = 0; i < 7; i++) {
      f.configMap("c" + i, "1");
    }
    assertThat(f.store.historyCovers(f.configMaps, start)).isFalse();
    assertThatThrownBy(() -> f.store.at(f.configMaps, "default", null, start, "gone"))
        .isInstanceOfSatisfying(KubeApiException.class, e -> assertThat(e.code()).isEqualTo(410));
    assertThatThrownBy(
            () -> f.store.watch(f.configMaps, new ObjectStore.WatchStart(false, start), recorder()))
        .isInstanceOfSatisfying(
            KubeApiException.class,
            e -> {
              assertThat(e.code()).isEqualTo(410);
              assertThat(e.reason()).isEqualTo("Expired");
              assertThat(e.getMessage()).startsWith("too old resource version: " + start + " (");
            });
  }

  @Test
  void compactionExpiresEveryOlderVersionAtOnce() {
    f.configMap("a", "1");
    long before = f.store.resourceVersion();
    f.configMap("b", "1");
    long compactedTo = f.store.compact();

    assertThat(f.store.historyCovers(f.configMaps, before)).isFalse();
    assertThat(f.store.historyCovers(f.configMaps, compactedTo)).isTrue();
    assertThat(
            f.store
                .watch(f.configMaps, new ObjectStore.WatchStart(false, compactedTo), recorder())
                .replay())
        .isEmpty();
  }

  @Test
  void aWatchFromAVersionReplaysExactlyTheLaterChanges() {
    f.configMap("a", "1");
    long rv = f.store.resourceVersion();
    f.configMap("b", "1");
    f.store.delete(f.configMaps, "default", "a", ObjectStore.Preconditions.NONE);
    Recorder live = recorder();

    ObjectStore.Registration reg =
        f.store.watch(f.configMaps, new ObjectStore.WatchStart(false, rv), live);
    f.configMap("c", "1");

    assertThat(reg.replay())
        .extracting(e -> e.type() + " " + e.object().name())
        .containsExactly("ADDED b", "DELETED a");
    assertThat(live.events)
        .extracting(e -> e.type() + " " + e.object().name())
        .containsExactly("ADDED c");
    ChangeEvent deleted = reg.replay().get(1);
    assertThat(deleted.object().resourceVersion()).isEqualTo(deleted.resourceVersion());
    assertThat(deleted.previous().resourceVersion()).isLessThan(deleted.resourceVersion());
  }

  @Test
  void aWatchOfTheStateStartsAtTheCurrentVersion() {
    f.configMap("a", "1");
    ObjectStore.Registration reg =
        f.store.watch(f.configMaps, new ObjectStore.WatchStart(true, 0), recorder());
    assertThat(reg.initialState()).extracting(StoredObject::name).containsExactly("a");
    assertThat(reg.startRv()).isEqualTo(f.store.resourceVersion());
  }

  @Test
  void progressMarksComeAfterEveryChangeAlreadyPassedOn() {
    Recorder r = recorder();
    f.store.watch(f.configMaps, new ObjectStore.WatchStart(true, 0), r);
    f.configMap("a", "1");
    f.store.requestProgress(f.configMaps, r);
    assertThat(r.progress).containsExactly(f.store.resourceVersion());
    assertThat(r.events.get(0).type()).isEqualTo(EventType.ADDED);
  }

  private static Recorder recorder() {
    return new Recorder();
  }

  static final class Recorder implements StoreWatcher {
    final List<ChangeEvent> events = new ArrayList<>();
    final List<Long> progress = new ArrayList<>();

    @Override
    public void onChange(ChangeEvent event) {
      events.add(event);
    }

    @Override
    public void onProgress(long resourceVersion) {
      progress.add(resourceVersion);
    }
  }
}
