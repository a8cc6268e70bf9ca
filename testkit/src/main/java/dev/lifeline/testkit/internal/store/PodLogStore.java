package dev.lifeline.testkit.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeline.testkit.PodLogs;
import dev.lifeline.testkit.internal.api.ResourceType;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The pods' container logs: per pod uid and container, the current log, the previous one (after a
 * restart) and the followers of the current one. Followers are called under this store's lock in
 * append order, so they must only enqueue; a pod's deletion (seen through a commit hook of the
 * object store) ends its followers and drops its logs.
 *
 * <p>Lock order: the object store's lock may be held when this lock is taken (the commit hook),
 * never the other way round. Thread-safe.
 */
public final class PodLogStore implements PodLogs {
  /** One log line and its time. */
  public record Line(Instant time, String text) {}

  /** Gets a followed log's new lines and its end. Called under the lock: only enqueue. */
  public interface Follower {
    /** A line was appended. */
    void line(Line line);

    /** The log ended: the pod was deleted or the container restarted. */
    void end();
  }

  /**
   * What a read finds.
   *
   * @param exists whether anything was ever logged by this container (or, for previous, whether
   *     there is a previous log)
   * @param lines the lines at the moment of the read
   * @param cancel stops following (no-op when not following)
   */
  public record Read(boolean exists, List<Line> lines, Runnable cancel) {}

  private static final class ContainerLog {
    List<Line> current = new ArrayList<>();
    List<Line> previous;
    boolean written;
    final List<Follower> followers = new ArrayList<>();
  }

  private final ObjectStore store;
  private final ResourceType pods;
  private final Clock clock;
  private final Map<String, Map<String, ContainerLog>> byPodUid = new HashMap<>();

  /** Logs for the pods of a store, stamped by its clock. */
  public PodLogStore(ObjectStore store) {
    this.store = store;
    this.pods = store.registry().byKind("v1", "Pod").orElseThrow();
    this.clock = store.clock();
    store.addCommitHook(
        e -> {
          if (e.type() == ChangeEvent.EventType.DELETED && e.object().type().equals(pods)) {
            podDeleted(e.object().uid());
          }
        });
  }

  @Override
  public void append(String namespace, String pod, String container, String... lines) {
    Objects.requireNonNull(lines, "lines");
    String uid = containerOf(namespace, pod, container);
    Instant now = clock.instant();
    for (String l : lines) {
      checkLine(l);
    }
    synchronized (this) {
      ContainerLog log = log(uid, container);
      for (String l : lines) {
        add(log, new Line(now, l));
      }
    }
  }

  @Override
  public void append(String namespace, String pod, String container, Instant time, String line) {
    Objects.requireNonNull(time, "time");
    checkLine(line);
    String uid = containerOf(namespace, pod, container);
    synchronized (this) {
      ContainerLog log = log(uid, container);
      if (!log.current.isEmpty() && time.isBefore(log.current.getLast().time())) {
        throw new IllegalArgumentException(
            "log line time "
                + time
                + " is before the last line's time "
                + log.current.getLast().time()
                + " (container "
                + container
                + " of pod "
                + namespace
                + "/"
                + pod
                + ")");
      }
      add(log, new Line(time, line));
    }
  }

  private static void checkLine(String line) {
    Objects.requireNonNull(line, "line");
    if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
      throw new IllegalArgumentException(
          "a log line must not contain a line terminator; pass each line separately: " + line);
    }
  }

  private static void add(ContainerLog log, Line line) {
    log.current.add(line);
    log.written = true;
    for (Follower f : log.followers) {
      f.line(line);
    }
  }

  @Override
  public void restartContainer(String namespace, String pod, String container) {
    String uid = containerOf(namespace, pod, container);
    synchronized (this) {
      ContainerLog log = log(uid, container);
      log.previous = log.current;
      log.current = new ArrayList<>();
      endFollowers(log);
    }
  }

  @Override
  public List<String> lines(String namespace, String pod, String container) {
    String uid = containerOf(namespace, pod, container);
    synchronized (this) {
      Map<String, ContainerLog> containers = byPodUid.get(uid);
      ContainerLog log = containers == null ? null : containers.get(container);
      return log == null ? List.of() : log.current.stream().map(Line::text).toList();
    }
  }

  /**
   * Reads a container's log and, when {@code follower} is not null, follows it from there on, as
   * one step (no line is missed or seen twice).
   */
  public synchronized Read read(
      String podUid, String container, boolean previous, Follower follower) {
    Map<String, ContainerLog> containers = byPodUid.get(podUid);
    ContainerLog log = containers == null ? null : containers.get(container);
    if (previous) {
      return log == null || log.previous == null
          ? new Read(false, List.of(), () -> {})
          : new Read(true, List.copyOf(log.previous), () -> {});
    }
    if (follower == null) {
      return log == null
          ? new Read(false, List.of(), () -> {})
          : new Read(log.written, List.copyOf(log.current), () -> {});
    }
    ContainerLog target = log(podUid, container);
    target.followers.add(follower);
    Runnable cancel =
        () -> {
          synchronized (PodLogStore.this) {
            target.followers.remove(follower);
          }
        };
    return new Read(target.written, List.copyOf(target.current), cancel);
  }

  private synchronized void podDeleted(String uid) {
    Map<String, ContainerLog> containers = byPodUid.remove(uid);
    if (containers != null) {
      containers.values().forEach(PodLogStore::endFollowers);
    }
  }

  private static void endFollowers(ContainerLog log) {
    for (Follower f : log.followers) {
      f.end();
    }
    log.followers.clear();
  }

  private ContainerLog log(String uid, String container) {
    return byPodUid
        .computeIfAbsent(uid, u -> new HashMap<>())
        .computeIfAbsent(container, c -> new ContainerLog());
  }

  /** The uid of the pod after checking that the container is one of its containers. */
  private String containerOf(String namespace, String pod, String container) {
    Objects.requireNonNull(container, "container");
    Optional<StoredObject> found = store.get(pods, namespace, pod);
    if (found.isEmpty()) {
      throw new IllegalArgumentException("there is no pod " + namespace + "/" + pod);
    }
    JsonNode spec = found.get().toTree().path("spec");
    List<String> names = containerNames(spec);
    if (!names.contains(container)) {
      throw new IllegalArgumentException(
          "pod " + namespace + "/" + pod + " has no container " + container + "; it has " + names);
    }
    return found.get().uid();
  }

  /** The names of the containers, init containers and ephemeral containers of a pod spec. */
  public static List<String> containerNames(JsonNode spec) {
    List<String> names = new ArrayList<>();
    for (String field : List.of("containers", "initContainers", "ephemeralContainers")) {
      spec.path(field).forEach(c -> names.add(c.path("name").asText()));
    }
    return names;
  }
}
