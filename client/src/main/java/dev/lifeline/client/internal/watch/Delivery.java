package dev.lifeline.client.internal.watch;

import dev.lifeline.client.ResourceHandler;
import dev.lifeline.client.Store;
import dev.lifeline.client.model.KubeObject;
import dev.lifeline.client.model.ObjectMeta;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The informer's view and the handler it feeds: applies events and relists to the store and tells
 * the handler only what changed, compared by uid and resource version, so that nothing is delivered
 * twice.
 *
 * <p>Mutations happen on the informer's thread only; {@link Store} reads are safe from any thread.
 */
final class Delivery<T extends KubeObject> implements Store<T> {
  private static final System.Logger LOG = System.getLogger(Delivery.class.getName());

  private final Map<ObjectKey, T> items = new ConcurrentHashMap<>();
  private final ResourceHandler<? super T> handler;
  private final String name;
  private volatile boolean synced;

  Delivery(ResourceHandler<? super T> handler, String name) {
    this.handler = handler;
    this.name = name;
  }

  boolean isSynced() {
    return synced;
  }

  /** An ADDED or MODIFIED event. */
  void upsert(T object) {
    ObjectKey key = ObjectKey.of(object);
    T old = items.get(key);
    if (old == null) {
      items.put(key, object);
      add(object, false);
      return;
    }
    ObjectMeta was = old.metadata();
    ObjectMeta is = object.metadata();
    if (!was.hasUid(is)) {
      // A namesake replaced the object we knew; its deletion happened out of our sight.
      items.put(key, object);
      delete(old, true);
      add(object, false);
    } else if (!was.hasResourceVersion(is)) {
      items.put(key, object);
      update(old, object);
    }
    // Same uid and version: a duplicate (e.g. replayed after a reconnect); nothing changed.
  }

  /** A DELETED event. */
  void remove(T object) {
    ObjectKey key = ObjectKey.of(object);
    T old = items.get(key);
    if (old == null || !old.metadata().hasUid(object.metadata())) {
      return; // Unknown, or an older namesake: nothing we hold was deleted.
    }
    items.remove(key);
    delete(object, false);
  }

  /**
   * Replaces the view with a complete list, delivering only the difference: deletions of what
   * disappeared (final state unknown), then additions and updates in list order.
   */
  void replace(Collection<T> list) {
    boolean initial = !synced;
    Set<ObjectKey> seen = new HashSet<>(list.size() * 4 / 3 + 1);
    for (T object : list) {
      seen.add(ObjectKey.of(object));
    }
    List<T> gone = new ArrayList<>();
    for (Map.Entry<ObjectKey, T> e : items.entrySet()) {
      if (!seen.contains(e.getKey())) {
        gone.add(e.getValue());
      }
    }
    for (T old : gone) {
      items.remove(ObjectKey.of(old));
      delete(old, true);
    }
    for (T object : list) {
      ObjectKey key = ObjectKey.of(object);
      T old = items.get(key);
      if (old == null) {
        items.put(key, object);
        add(object, initial);
      } else if (!old.metadata().hasUid(object.metadata())) {
        items.put(key, object);
        delete(old, true);
        add(object, initial);
      } else if (!old.metadata().hasResourceVersion(object.metadata())) {
        items.put(key, object);
        update(old, object);
      }
    }
  }

  /** Marks the first complete view delivered; tells the handler once. */
  void markSynced() {
    if (synced) {
      return;
    }
    try {
      handler.onSynced();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "informer " + name + ": handler onSynced failed", e);
    } finally {
      // Synced means delivered, onSynced included: whoever waits for it sees the handler's work
      // done.
      synced = true;
    }
  }

  private void add(T object, boolean initial) {
    try {
      handler.onAdd(object, initial);
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING, "informer " + name + ": handler onAdd failed for " + describe(object), e);
    }
  }

  private void update(T old, T object) {
    try {
      handler.onUpdate(old, object);
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "informer " + name + ": handler onUpdate failed for " + describe(object),
          e);
    }
  }

  private void delete(T object, boolean finalStateUnknown) {
    try {
      handler.onDelete(object, finalStateUnknown);
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "informer " + name + ": handler onDelete failed for " + describe(object),
          e);
    }
  }

  private static String describe(KubeObject o) {
    return o.namespace() == null ? o.name() : o.namespace() + "/" + o.name();
  }

  @Override
  public Optional<T> get(String namespace, String name) {
    return Optional.ofNullable(
        items.get(new ObjectKey(namespace, Objects.requireNonNull(name, "name"))));
  }

  @Override
  public List<T> list() {
    return List.copyOf(items.values());
  }

  @Override
  public List<T> list(String namespace) {
    List<T> out = new ArrayList<>();
    for (T object : items.values()) {
      if (Objects.equals(namespace, object.namespace())) {
        out.add(object);
      }
    }
    return out;
  }

  @Override
  public int size() {
    return items.size();
  }
}
