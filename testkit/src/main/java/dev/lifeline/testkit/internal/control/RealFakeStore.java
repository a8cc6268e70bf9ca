package dev.lifeline.testkit.internal.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeline.testkit.FakeStore;
import dev.lifeline.testkit.KubeApiException;
import dev.lifeline.testkit.StoreEvent;
import dev.lifeline.testkit.StoreListener;
import dev.lifeline.testkit.internal.api.ResourceType;
import dev.lifeline.testkit.internal.store.ObjectStore;
import dev.lifeline.testkit.internal.store.StoredObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The direct Java API over the shared store. Thread-safe. */
final class RealFakeStore implements FakeStore {
  private final ObjectStore store;
  private final StoreEventDispatcher events;

  RealFakeStore(ObjectStore store, StoreEventDispatcher events) {
    this.store = store;
    this.events = events;
  }

  private ResourceType type(String apiVersion, String kind) {
    return store
        .registry()
        .byKind(apiVersion, kind)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "the fake control plane does not serve kind "
                        + kind
                        + " in "
                        + apiVersion
                        + "; it serves "
                        + store.registry().all().stream()
                            .map(t -> t.apiVersion() + " " + t.kind())
                            .toList()));
  }

  private ResourceType typeOf(JsonNode object) {
    Objects.requireNonNull(object, "object");
    return type(object.path("apiVersion").asText(""), object.path("kind").asText(""));
  }

  @Override
  public long resourceVersion() {
    return store.resourceVersion();
  }

  @Override
  public ObjectNode create(JsonNode object) {
    if (!object.isObject()) {
      throw new IllegalArgumentException(
          "an object to create must be a JSON object, got " + object);
    }
    ResourceType t = typeOf(object);
    String ns = object.path("metadata").path("namespace").asText("");
    return store.create(t, ns, (ObjectNode) object, false).toTree();
  }

  @Override
  public ObjectNode create(String jsonOrYaml) {
    List<ObjectNode> objects = SeedLoader.objects(jsonOrYaml, "the object text");
    if (objects.size() != 1) {
      throw new IllegalArgumentException(
          "create(String) takes exactly one object, the text holds "
              + objects.size()
              + "; use seed(String) for several");
    }
    return create(objects.get(0));
  }

  @Override
  public ObjectNode update(JsonNode object) {
    if (!object.isObject()) {
      throw new IllegalArgumentException(
          "an object to update must be a JSON object, got " + object);
    }
    ResourceType t = typeOf(object);
    JsonNode meta = object.path("metadata");
    return store
        .update(
            t,
            meta.path("namespace").asText(""),
            meta.path("name").asText(""),
            (ObjectNode) object,
            ObjectStore.Scope.WHOLE,
            false)
        .object()
        .toTree();
  }

  @Override
  public Optional<ObjectNode> get(String apiVersion, String kind, String namespace, String name) {
    return store
        .get(type(apiVersion, kind), namespace == null ? "" : namespace, name)
        .map(StoredObject::toTree);
  }

  @Override
  public List<ObjectNode> list(String apiVersion, String kind, String namespace) {
    return store.latest(type(apiVersion, kind), namespace, null).objects().stream()
        .map(StoredObject::toTree)
        .toList();
  }

  @Override
  public boolean delete(String apiVersion, String kind, String namespace, String name) {
    try {
      store.delete(
          type(apiVersion, kind),
          namespace == null ? "" : namespace,
          name,
          ObjectStore.Preconditions.NONE);
      return true;
    } catch (KubeApiException e) {
      if (e.code() == 404) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public List<ObjectNode> seed(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the seed file " + file, e);
    }
    return seed(text, file.toString());
  }

  @Override
  public List<ObjectNode> seed(String jsonOrYaml) {
    return seed(jsonOrYaml, "seed text");
  }

  private List<ObjectNode> seed(String text, String source) {
    List<ObjectNode> created = new ArrayList<>();
    List<ObjectNode> objects = SeedLoader.objects(text, source);
    for (int i = 0; i < objects.size(); i++) {
      ObjectNode o = objects.get(i);
      try {
        created.add(create(o));
      } catch (IllegalArgumentException | KubeApiException e) {
        throw new IllegalArgumentException(
            source
                + ": object "
                + (i + 1)
                + " ("
                + o.path("kind").asText()
                + " "
                + o.path("metadata").path("name").asText()
                + ") could not be created: "
                + e.getMessage(),
            e);
      }
    }
    return created;
  }

  @Override
  public long compact() {
    return store.compact();
  }

  @Override
  public List<StoreEvent> history(String apiVersion, String kind) {
    return store.history(type(apiVersion, kind)).stream()
        .map(StoreEventDispatcher::toEvent)
        .toList();
  }

  @Override
  public void addListener(StoreListener listener) {
    events.add(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public void removeListener(StoreListener listener) {
    events.remove(listener);
  }
}
