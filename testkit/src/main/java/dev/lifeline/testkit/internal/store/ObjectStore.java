package dev.lifeline.testkit.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeline.testkit.KubeApiException;
import dev.lifeline.testkit.internal.api.Json;
import dev.lifeline.testkit.internal.api.ResourceRegistry;
import dev.lifeline.testkit.internal.api.ResourceType;
import dev.lifeline.testkit.internal.api.Statuses;
import dev.lifeline.testkit.internal.api.Statuses.Cause;
import dev.lifeline.testkit.internal.store.ChangeEvent.EventType;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The etcd stand-in: one store for every kind, one global monotonically increasing resourceVersion,
 * a bounded event history per kind, and the registry semantics of create, update, patch and delete.
 *
 * <p>Thread-safe. Every write is serialized under one lock, as etcd serializes revisions; watchers
 * and commit hooks are called under that lock in commit order and must only enqueue.
 */
public final class ObjectStore {
  private static final System.Logger LOG = System.getLogger(ObjectStore.class.getName());
  private static final List<String> META_ORDER =
      List.of(
          "name",
          "generateName",
          "namespace",
          "selfLink",
          "uid",
          "resourceVersion",
          "generation",
          "creationTimestamp",
          "deletionTimestamp",
          "deletionGracePeriodSeconds",
          "labels",
          "annotations",
          "ownerReferences",
          "finalizers",
          "managedFields");
  private static final String NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789";

  private final ResourceRegistry registry;
  private final Clock clock;
  private final Random random;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<ResourceType, Table> tables = new LinkedHashMap<>();
  private final Map<String, KindStrategy> strategies = new LinkedHashMap<>();
  private final List<Consumer<ChangeEvent>> commitHooks = new CopyOnWriteArrayList<>();
  private final ResourceType namespaceType;
  private long resourceVersion;

  /** The objects and history of one kind. Guarded by the store's lock. */
  private static final class Table {
    final ResourceType type;
    final TreeMap<String, StoredObject> objects = new TreeMap<>();
    final HistoryWindow history;
    final List<StoreWatcher> watchers = new ArrayList<>();
    long lastChangeRv;

    Table(ResourceType type, int historySize, long startRv) {
      this.type = type;
      this.history = new HistoryWindow(historySize, startRv);
    }
  }

  /** A consistent view of one kind at one resourceVersion, sorted by key. */
  public record Snapshot(long resourceVersion, List<StoredObject> objects) {}

  /**
   * What a new watch starts from: the current state ({@code fromRv} ignored) or the changes after a
   * version.
   *
   * @param sendState whether the watch begins with the current state as synthetic ADDED events
   * @param fromRv the version after which changes are replayed when {@code sendState} is false
   */
  public record WatchStart(boolean sendState, long fromRv) {}

  /**
   * A registered watch.
   *
   * @param initialState the objects to send as ADDED first (empty unless the start asked for state)
   * @param replay the changes after the start version, oldest first
   * @param startRv the version the watch starts at: the state's version, or the requested one
   * @param cancel removes the watcher
   */
  public record Registration(
      List<StoredObject> initialState, List<ChangeEvent> replay, long startRv, Runnable cancel) {}

  /** DELETE preconditions; null fields are not checked. */
  public record Preconditions(String uid, String resourceVersion) {
    /** No preconditions. */
    public static final Preconditions NONE = new Preconditions(null, null);
  }

  /**
   * @param registry the kinds to serve
   * @param clock the source of creation timestamps
   * @param historySize the number of changes kept per kind for watches (the watch cache window)
   * @param serviceCidr the range ClusterIPs come from
   * @param random the source of generated names and dynamic ClusterIPs
   */
  public ObjectStore(
      ResourceRegistry registry, Clock clock, int historySize, String serviceCidr, Random random) {
    this.registry = registry;
    this.clock = clock;
    this.random = random;
    for (ResourceType t : registry.all()) {
      tables.put(t, new Table(t, historySize, 0));
    }
    this.namespaceType = registry.byKind("v1", "Namespace").orElseThrow();
    ClusterIpAllocator allocator = new ClusterIpAllocator(serviceCidr, random);
    strategies.put("v1/Pod", new PodStrategy());
    strategies.put("v1/Service", new ServiceStrategy(allocator));
    strategies.put("v1/Namespace", new NamespaceStrategy());
    strategies.put("policy/v1/PodDisruptionBudget", new PdbStrategy());
    strategies.put("apps/v1/DaemonSet", new WorkloadStrategy("DaemonSet"));
    strategies.put("apps/v1/Deployment", new WorkloadStrategy("Deployment"));
  }

  /** The kinds this store serves. */
  public ResourceRegistry registry() {
    return registry;
  }

  /** The clock the store stamps objects with. */
  public Clock clock() {
    return clock;
  }

  /** The current global resourceVersion. */
  public long resourceVersion() {
    lock.lock();
    try {
      return resourceVersion;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Adds a hook called for every committed change, under the lock, in commit order. Hooks must only
   * enqueue.
   */
  public void addCommitHook(Consumer<ChangeEvent> hook) {
    commitHooks.add(hook);
  }

  /** Removes a commit hook. */
  public void removeCommitHook(Consumer<ChangeEvent> hook) {
    commitHooks.remove(hook);
  }

  private KindStrategy strategy(ResourceType type) {
    return strategies.getOrDefault(type.apiVersion() + "/" + type.kind(), KindStrategy.GENERIC);
  }

  private Table table(ResourceType type) {
    return Objects.requireNonNull(tables.get(type), () -> "unknown kind " + type);
  }

  /**
   * Runs an action under the store's lock, so that several reads and writes appear as one step to
   * every other client (the action may call any method of the store).
   */
  public <T> T atomically(java.util.function.Supplier<T> action) {
    lock.lock();
    try {
      return action.get();
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- reads

  /** The current version of one object. */
  public Optional<StoredObject> get(ResourceType type, String namespace, String name) {
    lock.lock();
    try {
      return Optional.ofNullable(
          table(type).objects.get(StoredObject.keyOf(type, namespace, name)));
    } finally {
      lock.unlock();
    }
  }

  /**
   * The newest state of a kind.
   *
   * @param namespace null or empty for all namespaces
   * @param fromKey the first key to include, null for the beginning
   */
  public Snapshot latest(ResourceType type, String namespace, String fromKey) {
    lock.lock();
    try {
      return new Snapshot(resourceVersion, range(table(type).objects, type, namespace, fromKey));
    } finally {
      lock.unlock();
    }
  }

  /**
   * The state of a kind exactly at {@code rv}, rebuilt by undoing newer changes from the history.
   *
   * @throws KubeApiException 410 when {@code rv} is older than the history, 504 when it is in the
   *     future
   */
  public Snapshot at(
      ResourceType type, String namespace, String fromKey, long rv, String expiredMessage) {
    lock.lock();
    try {
      if (rv > resourceVersion) {
        throw Statuses.tooLargeResourceVersion(rv, resourceVersion);
      }
      Table t = table(type);
      if (!t.history.covers(rv)) {
        throw Statuses.expired(expiredMessage);
      }
      if (t.lastChangeRv <= rv) {
        return new Snapshot(rv, range(t.objects, type, namespace, fromKey));
      }
      TreeMap<String, StoredObject> past = new TreeMap<>(t.objects);
      Iterator<ChangeEvent> it = t.history.newestFirst();
      while (it.hasNext()) {
        ChangeEvent e = it.next();
        if (e.resourceVersion() <= rv) {
          break;
        }
        String key = e.object().key();
        if (e.type() == EventType.ADDED) {
          past.remove(key);
        } else {
          past.put(key, e.previous());
        }
      }
      return new Snapshot(rv, range(past, type, namespace, fromKey));
    } finally {
      lock.unlock();
    }
  }

  /** Whether a kind's history still reaches back to {@code rv}. */
  public boolean historyCovers(ResourceType type, long rv) {
    lock.lock();
    try {
      return table(type).history.covers(rv);
    } finally {
      lock.unlock();
    }
  }

  private static List<StoredObject> range(
      NavigableMap<String, StoredObject> objects,
      ResourceType type,
      String namespace,
      String fromKey) {
    NavigableMap<String, StoredObject> view = objects;
    if (type.namespaced() && namespace != null && !namespace.isEmpty()) {
      // '0' is the character after '/', so this is exactly the keys "namespace/..."
      view = view.subMap(namespace + "/", true, namespace + "0", false);
    }
    if (fromKey != null) {
      view = view.tailMap(fromKey, true);
    }
    return new ArrayList<>(view.values());
  }

  /** The changes of a kind still in its history, oldest first. */
  public List<ChangeEvent> history(ResourceType type) {
    lock.lock();
    try {
      return table(type).history.all();
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- writes

  /**
   * Creates an object.
   *
   * @param namespace the namespace from the URL, or null to take the object's own
   * @param fromApi true for HTTP requests (status is reset as the real registry does)
   */
  public StoredObject create(
      ResourceType type, String namespace, ObjectNode object, boolean fromApi) {
    lock.lock();
    try {
      ObjectNode obj = object.deepCopy();
      checkTypeMeta(type, obj);
      ObjectNode meta = metadata(obj);
      resolveNamespace(type, namespace, meta);
      String rv = meta.path("resourceVersion").asText("");
      if (!rv.isEmpty()) {
        throw Statuses.badRequest("resourceVersion should not be set on objects to be created");
      }
      Table t = table(type);
      String name = meta.path("name").asText("");
      String generateName = meta.path("generateName").asText("");
      if (name.isEmpty() && !generateName.isEmpty()) {
        name = generateName(t, type, meta.path("namespace").asText(""), generateName);
        meta.put("name", name);
      }
      return insert(t, obj, fromApi);
    } finally {
      lock.unlock();
    }
  }

  private StoredObject insert(Table t, ObjectNode obj, boolean fromApi) {
    ResourceType type = t.type;
    ObjectNode meta = metadata(obj);
    KindStrategy strategy = strategy(type);
    strategy.prepareForCreate(obj, fromApi);
    validate(type, obj, strategy);
    String ns = meta.path("namespace").asText("");
    String name = meta.path("name").asText();
    if (type.namespaced() && !namespaceExists(ns)) {
      throw Statuses.notFound("", "namespaces", ns);
    }
    String key = StoredObject.keyOf(type, ns, name);
    if (t.objects.containsKey(key)) {
      throw Statuses.alreadyExists(type.group(), type.resource(), name);
    }
    strategy.allocate(obj);
    long next = resourceVersion + 1;
    meta.put("uid", UUID.randomUUID().toString());
    meta.put("resourceVersion", Long.toString(next));
    if (type.tracksGeneration()) {
      meta.put("generation", 1);
    } else {
      meta.remove("generation");
    }
    meta.put("creationTimestamp", now());
    meta.remove("deletionTimestamp");
    meta.remove("deletionGracePeriodSeconds");
    meta.remove("selfLink");
    StoredObject stored = StoredObject.of(type, normalized(obj), next);
    resourceVersion = next;
    t.objects.put(key, stored);
    commit(t, new ChangeEvent(EventType.ADDED, stored, null, next));
    return stored;
  }

  /** Which part of an object an update may change. */
  public enum Scope {
    /** The main resource: everything but the status of kinds that have a status subresource. */
    MAIN,
    /** The status subresource: only the status. */
    STATUS,
    /** Everything, status included (the store's direct Java API). */
    WHOLE
  }

  /**
   * The outcome of an update.
   *
   * @param object the version now stored
   * @param created whether the update created the object (kinds that allow create on update)
   */
  public record UpdateResult(StoredObject object, boolean created) {}

  /**
   * Replaces an object (PUT).
   *
   * @param scope what the update may change
   */
  public UpdateResult update(
      ResourceType type,
      String namespace,
      String name,
      ObjectNode object,
      Scope scope,
      boolean fromApi) {
    lock.lock();
    try {
      ObjectNode obj = object.deepCopy();
      checkTypeMeta(type, obj);
      ObjectNode meta = metadata(obj);
      String bodyName = meta.path("name").asText("");
      if (!bodyName.equals(name)) {
        throw Statuses.badRequest(
            "the name of the object ("
                + bodyName
                + ") does not match the name on the URL ("
                + name
                + ")");
      }
      resolveNamespace(type, namespace, meta);
      Table t = table(type);
      String key = StoredObject.keyOf(type, meta.path("namespace").asText(""), name);
      StoredObject existing = t.objects.get(key);
      if (existing == null) {
        String rv = meta.path("resourceVersion").asText("");
        if (!type.allowCreateOnUpdate() || scope == Scope.STATUS || !rv.isEmpty()) {
          throw Statuses.notFound(type.group(), type.resource(), name);
        }
        return new UpdateResult(insert(t, obj, fromApi), true);
      }
      return new UpdateResult(replace(t, existing, obj, scope), false);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Applies a change function to the current version under the lock (PATCH). The function gets a
   * fresh tree and returns the desired object; a {@code metadata.resourceVersion} it leaves
   * different from the current one is a conflict.
   */
  public StoredObject patch(
      ResourceType type,
      String namespace,
      String name,
      UnaryOperator<ObjectNode> change,
      Scope scope) {
    lock.lock();
    try {
      Table t = table(type);
      StoredObject existing =
          t.objects.get(StoredObject.keyOf(type, namespace == null ? "" : namespace, name));
      if (existing == null) {
        throw Statuses.notFound(type.group(), type.resource(), name);
      }
      ObjectNode patched = change.apply(existing.toTree());
      if (!patched.path("metadata").isObject()) {
        throw Statuses.badRequest("metadata must be an object");
      }
      checkTypeMeta(type, patched);
      ObjectNode meta = metadata(patched);
      String patchedName = meta.path("name").asText("");
      if (!patchedName.equals(name)) {
        throw Statuses.badRequest(
            "the name of the object ("
                + patchedName
                + ") does not match the name on the URL ("
                + name
                + ")");
      }
      if (!meta.has("resourceVersion") || meta.path("resourceVersion").asText("").isEmpty()) {
        meta.put("resourceVersion", Long.toString(existing.resourceVersion()));
      }
      resolveNamespace(type, namespace, meta);
      return replace(t, existing, patched, scope);
    } finally {
      lock.unlock();
    }
  }

  private StoredObject replace(Table t, StoredObject existing, ObjectNode obj, Scope scope) {
    boolean statusOnly = scope == Scope.STATUS;
    ResourceType type = t.type;
    ObjectNode meta = metadata(obj);
    String rv = meta.path("resourceVersion").asText("");
    if (!rv.isEmpty()) {
      long wanted;
      try {
        wanted = Long.parseLong(rv);
      } catch (NumberFormatException e) {
        throw Statuses.badRequest("invalid resource version: " + rv);
      }
      if (wanted != existing.resourceVersion()) {
        throw Statuses.staleUpdate(type.group(), type.resource(), existing.name());
      }
    }
    ObjectNode old = existing.toTree();
    ObjectNode next;
    if (statusOnly) {
      next = old.deepCopy();
      if (obj.has("status")) {
        next.set("status", obj.get("status").deepCopy());
      } else {
        next.remove("status");
      }
    } else {
      next = obj;
      if (scope == Scope.MAIN && type.hasSubresource("status")) {
        if (old.has("status")) {
          next.set("status", old.get("status").deepCopy());
        } else {
          next.remove("status");
        }
      }
    }
    ObjectNode nextMeta = metadata(next);
    ObjectNode oldMeta = (ObjectNode) old.get("metadata");
    for (String f : List.of("uid", "creationTimestamp", "namespace", "name")) {
      if (oldMeta.has(f)) {
        nextMeta.set(f, oldMeta.get(f));
      }
    }
    nextMeta.remove("generateName");
    if (oldMeta.has("generateName")) {
      nextMeta.set("generateName", oldMeta.get("generateName"));
    }
    nextMeta.remove("deletionTimestamp");
    nextMeta.remove("selfLink");
    KindStrategy strategy = strategy(type);
    if (!statusOnly) {
      strategy.prepareForUpdate(next, old);
    }
    validate(type, next, strategy);
    if (type.tracksGeneration()) {
      long generation = oldMeta.path("generation").asLong(1);
      if (!specOf(old).equals(specOf(next))) {
        generation++;
      }
      nextMeta.put("generation", generation);
    } else {
      nextMeta.remove("generation");
    }
    nextMeta.put("resourceVersion", Long.toString(existing.resourceVersion()));
    ObjectNode normalizedNext = normalized(next);
    StoredObject candidate = StoredObject.of(type, normalizedNext, existing.resourceVersion());
    if (java.util.Arrays.equals(candidate.body(), existing.body())) {
      return existing;
    }
    long newRv = resourceVersion + 1;
    ((ObjectNode) normalizedNext.get("metadata")).put("resourceVersion", Long.toString(newRv));
    StoredObject stored = StoredObject.of(type, normalizedNext, newRv);
    resourceVersion = newRv;
    t.objects.put(existing.key(), stored);
    commit(t, new ChangeEvent(EventType.MODIFIED, stored, existing, newRv));
    return stored;
  }

  private static ObjectNode specOf(ObjectNode obj) {
    ObjectNode copy = obj.deepCopy();
    copy.remove("metadata");
    copy.remove("status");
    copy.remove("kind");
    copy.remove("apiVersion");
    return copy;
  }

  /**
   * Deletes an object. Deleting a namespace deletes everything in it first.
   *
   * @return the object as it was before deletion (what the DELETE response carries)
   */
  public StoredObject delete(
      ResourceType type, String namespace, String name, Preconditions preconditions) {
    lock.lock();
    try {
      Table t = table(type);
      String key = StoredObject.keyOf(type, namespace == null ? "" : namespace, name);
      StoredObject existing = t.objects.get(key);
      if (existing == null) {
        throw Statuses.notFound(type.group(), type.resource(), name);
      }
      if (preconditions.uid() != null && !preconditions.uid().equals(existing.uid())) {
        throw Statuses.conflict(
            type.group(),
            type.resource(),
            name,
            "Precondition failed: UID in precondition: "
                + preconditions.uid()
                + ", UID in object meta: "
                + existing.uid());
      }
      if (preconditions.resourceVersion() != null
          && !preconditions.resourceVersion().equals(Long.toString(existing.resourceVersion()))) {
        throw Statuses.conflict(
            type.group(),
            type.resource(),
            name,
            "Precondition failed: ResourceVersion in precondition: "
                + preconditions.resourceVersion()
                + ", ResourceVersion in object meta: "
                + existing.resourceVersion());
      }
      if (type == namespaceType) {
        deleteNamespaceContents(name);
      }
      remove(t, existing);
      return existing;
    } finally {
      lock.unlock();
    }
  }

  private void remove(Table t, StoredObject existing) {
    long next = resourceVersion + 1;
    StoredObject tombstone = existing.withResourceVersion(next);
    resourceVersion = next;
    t.objects.remove(existing.key());
    strategy(t.type).release(existing.toTree());
    commit(t, new ChangeEvent(EventType.DELETED, tombstone, existing, next));
  }

  private void deleteNamespaceContents(String namespace) {
    for (Table t : tables.values()) {
      if (!t.type.namespaced()) {
        continue;
      }
      for (StoredObject o : range(t.objects, t.type, namespace, null)) {
        remove(t, o);
      }
    }
  }

  /** Deletes every object of a kind in a namespace (or all) that the filter accepts. */
  public List<StoredObject> deleteCollection(
      ResourceType type, String namespace, Predicate<StoredObject> filter) {
    lock.lock();
    try {
      Table t = table(type);
      List<StoredObject> deleted = new ArrayList<>();
      for (StoredObject o : range(t.objects, type, namespace, null)) {
        if (filter.test(o)) {
          if (type == namespaceType) {
            deleteNamespaceContents(o.name());
          }
          remove(t, o);
          deleted.add(o);
        }
      }
      return deleted;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Drops the history of every kind up to the current version: watches, exact reads and continue
   * tokens from older versions get 410 afterwards, as after an etcd compaction.
   *
   * @return the version compacted to
   */
  public long compact() {
    lock.lock();
    try {
      for (Table t : tables.values()) {
        t.history.compact(resourceVersion);
      }
      return resourceVersion;
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- watches

  /**
   * Registers a watcher atomically with its starting point, so it misses and repeats nothing.
   *
   * @throws KubeApiException 410 Expired when the start version is older than the kind's history
   */
  public Registration watch(ResourceType type, WatchStart start, StoreWatcher watcher) {
    lock.lock();
    try {
      Table t = table(type);
      List<StoredObject> state = List.of();
      List<ChangeEvent> replay = List.of();
      long startRv;
      if (start.sendState()) {
        state = new ArrayList<>(t.objects.values());
        startRv = resourceVersion;
      } else {
        startRv = start.fromRv();
        if (!t.history.covers(startRv)) {
          throw Statuses.expired(
              "too old resource version: " + startRv + " (" + t.history.startRv() + ")");
        }
        replay = t.history.since(startRv);
      }
      t.watchers.add(watcher);
      Runnable cancel =
          () -> {
            lock.lock();
            try {
              t.watchers.remove(watcher);
            } finally {
              lock.unlock();
            }
          };
      return new Registration(state, replay, startRv, cancel);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Passes a progress mark at the current version to a watcher, ordered after every change it was
   * given.
   */
  public void requestProgress(ResourceType type, StoreWatcher watcher) {
    lock.lock();
    try {
      if (table(type).watchers.contains(watcher)) {
        watcher.onProgress(resourceVersion);
      }
    } finally {
      lock.unlock();
    }
  }

  /** The number of registered watchers of a kind. */
  public int watcherCount(ResourceType type) {
    lock.lock();
    try {
      return table(type).watchers.size();
    } finally {
      lock.unlock();
    }
  }

  private void commit(Table t, ChangeEvent e) {
    t.history.append(e);
    t.lastChangeRv = e.resourceVersion();
    for (StoreWatcher w : t.watchers) {
      try {
        w.onChange(e);
      } catch (RuntimeException ex) {
        LOG.log(System.Logger.Level.WARNING, "a watcher failed to take a change", ex);
      }
    }
    for (Consumer<ChangeEvent> hook : commitHooks) {
      try {
        hook.accept(e);
      } catch (RuntimeException ex) {
        LOG.log(System.Logger.Level.WARNING, "a commit hook failed", ex);
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  private boolean namespaceExists(String ns) {
    return table(namespaceType).objects.containsKey(ns);
  }

  private String now() {
    return DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
  }

  private String generateName(Table t, ResourceType type, String ns, String base) {
    String prefix = base.length() > 58 ? base.substring(0, 58) : base;
    for (int attempt = 0; attempt < 16; attempt++) {
      StringBuilder sb = new StringBuilder(prefix);
      for (int i = 0; i < 5; i++) {
        sb.append(NAME_CHARS.charAt(random.nextInt(NAME_CHARS.length())));
      }
      String candidate = sb.toString();
      if (!t.objects.containsKey(StoredObject.keyOf(type, ns, candidate))) {
        return candidate;
      }
    }
    throw Statuses.alreadyExists(type.group(), type.resource(), prefix);
  }

  private static void checkTypeMeta(ResourceType type, ObjectNode obj) {
    String kind = obj.path("kind").asText("");
    String apiVersion = obj.path("apiVersion").asText("");
    if (!kind.isEmpty() && !kind.equals(type.kind())) {
      throw Statuses.badRequest(
          kind
              + " in version \""
              + versionOf(apiVersion)
              + "\" cannot be handled as a "
              + type.kind()
              + ": the object's kind \""
              + kind
              + "\" is not "
              + type.kind());
    }
    if (!apiVersion.isEmpty() && !apiVersion.equals(type.apiVersion())) {
      throw Statuses.badRequest(
          "the API version in the data ("
              + apiVersion
              + ") does not match the expected API version ("
              + type.apiVersion()
              + ")");
    }
    obj.put("kind", type.kind());
    obj.put("apiVersion", type.apiVersion());
  }

  private static String versionOf(String apiVersion) {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
  }

  private static ObjectNode metadata(ObjectNode obj) {
    JsonNode meta = obj.get("metadata");
    if (meta == null || meta.isNull()) {
      return obj.putObject("metadata");
    }
    if (!meta.isObject()) {
      throw Statuses.badRequest("metadata must be an object");
    }
    return (ObjectNode) meta;
  }

  private static void resolveNamespace(ResourceType type, String urlNamespace, ObjectNode meta) {
    if (!type.namespaced()) {
      meta.remove("namespace");
      return;
    }
    String bodyNs = meta.path("namespace").asText("");
    String url = urlNamespace == null ? "" : urlNamespace;
    if (!url.isEmpty() && !bodyNs.isEmpty() && !url.equals(bodyNs)) {
      throw Statuses.badRequest(
          "the namespace of the provided object does not match the namespace sent on the request");
    }
    String ns = url.isEmpty() ? bodyNs : url;
    if (ns.isEmpty()) {
      ns = "default";
    }
    meta.put("namespace", ns);
  }

  private static void validate(ResourceType type, ObjectNode obj, KindStrategy strategy) {
    List<Cause> causes = new ArrayList<>(ObjectValidation.validateMeta(type, obj));
    causes.addAll(strategy.validate(obj));
    if (!causes.isEmpty()) {
      throw Statuses.invalid(
          type.group(), type.kind(), obj.path("metadata").path("name").asText(""), causes);
    }
  }

  /** The object with metadata fields in the apiserver's order and status last. */
  static ObjectNode normalized(ObjectNode obj) {
    ObjectNode out = Json.object();
    out.set("kind", obj.get("kind"));
    out.set("apiVersion", obj.get("apiVersion"));
    ObjectNode meta = (ObjectNode) obj.get("metadata");
    ObjectNode orderedMeta = out.putObject("metadata");
    for (String f : META_ORDER) {
      if (meta.has(f) && !meta.get(f).isNull()) {
        orderedMeta.set(f, meta.get(f));
      }
    }
    meta.properties()
        .iterator()
        .forEachRemaining(
            e -> {
              if (!orderedMeta.has(e.getKey()) && !e.getValue().isNull()) {
                orderedMeta.set(e.getKey(), e.getValue());
              }
            });
    obj.properties()
        .iterator()
        .forEachRemaining(
            e -> {
              String k = e.getKey();
              if (!k.equals("kind")
                  && !k.equals("apiVersion")
                  && !k.equals("metadata")
                  && !k.equals("status")) {
                out.set(k, e.getValue());
              }
            });
    if (obj.has("status") && !obj.get("status").isNull()) {
      out.set("status", obj.get("status"));
    }
    return out;
  }
}
