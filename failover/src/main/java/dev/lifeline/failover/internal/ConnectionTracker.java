package dev.lifeline.failover.internal;

import dev.lifeline.failover.Endpoint;
import dev.lifeline.failover.FailoverListener.CloseReason;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Every connection the engine handed out, by endpoint: evicts them when their endpoint dies and
 * drains them when it goes away.
 *
 * <p>Thread-safe: sockets open and close on client threads, the engine evicts on its own.
 */
final class ConnectionTracker implements TrackedSocket.Reporter {

  /** Notified when an endpoint gains its first or loses its last connection, or a socket fails. */
  interface Observer {
    void inUseChanged();

    void connectionFailed(Endpoint endpoint, IOException cause);
  }

  /** Connections of one endpoint closed by a drain pass. */
  record Closed(Endpoint endpoint, int count, CloseReason reason) {}

  /**
   * How long an unanswered write holds a draining connection open: 3 s. Longer, and the write is
   * taken for one that needs no answer (an HTTP/2 acknowledgement sent late); a request whose
   * answer takes longer is cut, and retried by the client on another connection.
   */
  static final long MAX_AWAITED_ANSWER_NANOS = TimeUnit.SECONDS.toNanos(3);

  private final Map<Endpoint, Set<TrackedSocket>> open = new ConcurrentHashMap<>();
  private final Map<Endpoint, Long> drainDeadlines = new ConcurrentHashMap<>();
  private final Set<Endpoint> seeds = ConcurrentHashMap.newKeySet();
  private volatile Observer observer;

  void observer(Observer observer) {
    this.observer = observer;
  }

  @Override
  public void opened(TrackedSocket socket) {
    if (socket.viaSeed()) {
      seeds.add(socket.endpoint());
    }
    Set<TrackedSocket> sockets =
        open.computeIfAbsent(socket.endpoint(), e -> ConcurrentHashMap.newKeySet());
    boolean first;
    synchronized (sockets) {
      first = sockets.isEmpty();
      sockets.add(socket);
    }
    if (first) {
      notifyInUse();
    }
  }

  @Override
  public void closed(TrackedSocket socket) {
    Set<TrackedSocket> sockets = open.get(socket.endpoint());
    if (sockets == null) {
      return;
    }
    boolean last;
    synchronized (sockets) {
      last = sockets.remove(socket) && sockets.isEmpty();
    }
    if (last) {
      notifyInUse();
    }
  }

  @Override
  public void failed(TrackedSocket socket, IOException cause) {
    Observer o = observer;
    if (o != null) {
      o.connectionFailed(socket.endpoint(), cause);
    }
  }

  private void notifyInUse() {
    Observer o = observer;
    if (o != null) {
      o.inUseChanged();
    }
  }

  /** Open connections to {@code endpoint}. */
  int count(Endpoint endpoint) {
    Set<TrackedSocket> sockets = open.get(endpoint);
    return sockets == null ? 0 : sockets.size();
  }

  /**
   * Seed addresses with at least one open connection made through them. Such a connection may lead
   * to any apiserver, so it is closed when any of them dies.
   */
  Set<Endpoint> seedsInUse() {
    Set<Endpoint> inUse = new HashSet<>();
    for (Endpoint seed : seeds) {
      if (count(seed) > 0) {
        inUse.add(seed);
      }
    }
    return inUse;
  }

  /** Whether {@code endpoint} is a seed address that connections went through. */
  boolean isSeed(Endpoint endpoint) {
    return seeds.contains(endpoint);
  }

  /** Endpoints with at least one open connection (seed addresses included). */
  Set<Endpoint> endpointsInUse() {
    Set<Endpoint> inUse = new HashSet<>();
    open.forEach(
        (endpoint, sockets) -> {
          if (!sockets.isEmpty()) {
            inUse.add(endpoint);
          }
        });
    return inUse;
  }

  /** Closes every connection to {@code endpoint} at once; returns how many. */
  int evict(Endpoint endpoint) {
    drainDeadlines.remove(endpoint);
    Set<TrackedSocket> sockets = open.get(endpoint);
    if (sockets == null) {
      return 0;
    }
    List<TrackedSocket> victims;
    synchronized (sockets) {
      victims = new ArrayList<>(sockets);
    }
    for (TrackedSocket socket : victims) {
      socket.closeByEngine();
    }
    return victims.size();
  }

  /**
   * Starts draining {@code endpoint}: its connections close at quiet moments, all by the deadline.
   */
  void startDrain(Endpoint endpoint, long deadlineNanos) {
    drainDeadlines.putIfAbsent(endpoint, deadlineNanos);
  }

  /** Stops draining {@code endpoint} (it came back). */
  void stopDrain(Endpoint endpoint) {
    drainDeadlines.remove(endpoint);
  }

  boolean isDraining(Endpoint endpoint) {
    return drainDeadlines.containsKey(endpoint);
  }

  /**
   * Closes the quiet connections of draining endpoints, and all of them past the deadline. A
   * connection is quiet when no write is unanswered and nothing moved for {@code quietNanos}.
   * Endpoints left without connections stop draining.
   */
  List<Closed> drainPass(long now, long quietNanos) {
    List<Closed> closed = new ArrayList<>();
    for (Map.Entry<Endpoint, Long> drain : drainDeadlines.entrySet()) {
      Endpoint endpoint = drain.getKey();
      boolean expired = now - drain.getValue() >= 0;
      Set<TrackedSocket> sockets = open.get(endpoint);
      List<TrackedSocket> victims = new ArrayList<>();
      if (sockets != null) {
        synchronized (sockets) {
          for (TrackedSocket socket : sockets) {
            boolean awaitingAnswer =
                socket.hasUnansweredWrite()
                    && now - socket.unansweredSinceNanos() < MAX_AWAITED_ANSWER_NANOS;
            boolean quiet = !awaitingAnswer && now - socket.lastActivityNanos() >= quietNanos;
            if (expired || quiet) {
              victims.add(socket);
            }
          }
        }
      }
      for (TrackedSocket socket : victims) {
        socket.closeByEngine();
      }
      if (!victims.isEmpty()) {
        closed.add(
            new Closed(
                endpoint,
                victims.size(),
                expired ? CloseReason.DRAIN_TIMEOUT : CloseReason.DRAINED));
      }
      if (expired || count(endpoint) == 0) {
        drainDeadlines.remove(endpoint);
      }
    }
    return closed;
  }

  /** Endpoints with a connection whose write has been unanswered for {@code thresholdNanos}. */
  Set<Endpoint> stalled(long now, long thresholdNanos) {
    Set<Endpoint> stalled = new HashSet<>();
    open.forEach(
        (endpoint, sockets) -> {
          synchronized (sockets) {
            for (TrackedSocket socket : sockets) {
              if (socket.takeStall(now, thresholdNanos)) {
                stalled.add(endpoint);
              }
            }
          }
        });
    return stalled;
  }
}
