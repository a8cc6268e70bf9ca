package dev.lifeline.failover.internal;

import dev.lifeline.failover.DiscoveredEndpoint;
import dev.lifeline.failover.Endpoint;
import dev.lifeline.failover.EndpointState;
import dev.lifeline.failover.EndpointStatus;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;

/**
 * The endpoints the engine knows, their membership and health, and their order.
 *
 * <p>Pure state, no I/O, no threads: every method takes its time from the injected clock and
 * returns what changed, for the engine to act on (events, eviction, draining, probes). Thread-safe
 * through its own monitor; callers act on the returned {@link Changes} after the call returns.
 *
 * <p>Membership: the first set (at start, or after a clear) is taken at once; afterwards a new
 * endpoint must stay listed for {@code debounce} before it is admitted (a starting apiserver adds
 * and removes itself), an endpoint that is no longer listed or not ready starts draining at once,
 * and a set without a single ready endpoint is ignored (never replace a set with an empty one).
 *
 * <p>Order: usable (up or unknown) before draining before down; among usable ones, those whose last
 * connect failed go last (postponed, not banned, forgiven on the next success); then same node
 * first, then up before unknown, then the last working endpoint, then lower latency (by
 * power-of-two buckets, so that noise does not reorder equal endpoints), then a per-process random
 * rank that spreads processes over the apiservers. Down endpoints are ordered by how long ago they
 * failed, oldest first.
 */
final class EndpointTable {

  /** Why an endpoint drains: it left discovery, or its health says it is going away. */
  enum DrainCause {
    DISCOVERY,
    HEALTH
  }

  /** A state change of one endpoint. */
  record Transition(Endpoint endpoint, EndpointState from, EndpointState to, String reason) {}

  /** What one call changed. */
  record Changes(
      List<Transition> transitions,
      List<Endpoint> admitted,
      boolean setChanged,
      List<Endpoint> listed,
      String source) {
    static final Changes NONE = new Changes(List.of(), List.of(), false, List.of(), "");

    boolean isEmpty() {
      return transitions.isEmpty() && admitted.isEmpty() && !setChanged;
    }
  }

  private static final class Entry {
    final Endpoint endpoint;
    final int rank;
    EndpointState state = EndpointState.UNKNOWN;
    String reason = "";
    DrainCause drainCause;
    boolean listed = true;
    boolean sameNode;
    int consecutiveFailures;
    long lastFailureNanos;
    long latencyNanos = -1;

    Entry(Endpoint endpoint, int rank, boolean sameNode) {
      this.endpoint = endpoint;
      this.rank = rank;
      this.sameNode = sameNode;
    }

    int stateRank() {
      return switch (state) {
        case UP, UNKNOWN -> 0;
        case DRAINING -> 1;
        case DOWN -> 2;
      };
    }

    int latencyBucket() {
      if (latencyNanos < 0) {
        return Integer.MAX_VALUE;
      }
      long quarterMillis = latencyNanos / 250_000;
      return 64 - Long.numberOfLeadingZeros(quarterMillis);
    }
  }

  private final LongSupplier clock;
  private final long debounceNanos;
  private final Random random;
  private final Set<InetAddress> sameNodeAddresses;
  private final Map<Endpoint, Entry> entries = new LinkedHashMap<>();
  private final Map<Endpoint, Long> pending = new HashMap<>();
  private boolean trusted;
  private String source = "";
  private Endpoint lastWorking;
  private long lastReachableNanos;

  EndpointTable(
      LongSupplier clock, Duration debounce, Random random, Set<InetAddress> sameNodeAddresses) {
    this.clock = clock;
    this.debounceNanos = debounce.toNanos();
    this.random = random;
    this.sameNodeAddresses = new HashSet<>(sameNodeAddresses);
    this.lastReachableNanos = clock.getAsLong();
  }

  /** Takes an untrusted set (from the endpoints file) when the table is empty. */
  synchronized Changes bootstrap(List<Endpoint> endpoints, String from) {
    if (!entries.isEmpty() || endpoints.isEmpty()) {
      return Changes.NONE;
    }
    List<Endpoint> admitted = new ArrayList<>();
    for (Endpoint endpoint : endpoints) {
      admit(endpoint);
      admitted.add(endpoint);
    }
    source = from;
    return new Changes(List.of(), admitted, true, listed(), from);
  }

  /** Applies a complete observed set from discovery. */
  synchronized Changes applyDiscovered(Collection<DiscoveredEndpoint> observed, String from) {
    Map<Endpoint, DiscoveredEndpoint> byEndpoint = new LinkedHashMap<>();
    for (DiscoveredEndpoint d : observed) {
      byEndpoint.merge(d.endpoint(), d, (a, b) -> a.ready() ? a : b);
    }
    boolean anyReady = byEndpoint.values().stream().anyMatch(DiscoveredEndpoint::ready);
    if (!anyReady) {
      return Changes.NONE;
    }
    long now = clock.getAsLong();
    List<Transition> transitions = new ArrayList<>();
    List<Endpoint> admitted = new ArrayList<>();
    boolean setChanged = !trusted;
    for (DiscoveredEndpoint d : byEndpoint.values()) {
      if (!d.ready()) {
        continue;
      }
      Entry entry = entries.get(d.endpoint());
      if (entry == null) {
        if (trusted && debounceNanos > 0) {
          pending.putIfAbsent(d.endpoint(), now);
        } else {
          admit(d.endpoint());
          admitted.add(d.endpoint());
          setChanged = true;
        }
      } else if (!entry.listed) {
        // Listed again while it was draining out: it is ours again, but must prove itself.
        entry.listed = true;
        setChanged = true;
        if (entry.state == EndpointState.DRAINING && entry.drainCause == DrainCause.DISCOVERY) {
          transitions.add(set(entry, EndpointState.UNKNOWN, "listed again"));
          admitted.add(entry.endpoint);
        }
      }
    }
    pending.keySet().removeIf(e -> !isReady(byEndpoint.get(e)));
    for (Entry entry : entries.values()) {
      DiscoveredEndpoint d = byEndpoint.get(entry.endpoint);
      if (isReady(d) || !entry.listed) {
        continue;
      }
      entry.listed = false;
      setChanged = true;
      String why =
          d == null
              ? "left " + from
              : "not ready in "
                  + from
                  + " (serving="
                  + d.serving()
                  + ", terminating="
                  + d.terminating()
                  + ")";
      Transition t = drain(entry, why, DrainCause.DISCOVERY);
      if (t != null) {
        transitions.add(t);
      }
    }
    trusted = true;
    source = from;
    return new Changes(transitions, admitted, setChanged, listed(), from);
  }

  /** Admits pending endpoints that stayed listed for {@code debounce}. */
  synchronized Changes admitDue() {
    long now = clock.getAsLong();
    List<Endpoint> admitted = new ArrayList<>();
    for (Iterator<Map.Entry<Endpoint, Long>> it = pending.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Endpoint, Long> p = it.next();
      if (now - p.getValue() >= debounceNanos) {
        it.remove();
        admit(p.getKey());
        admitted.add(p.getKey());
      }
    }
    if (admitted.isEmpty()) {
      return Changes.NONE;
    }
    return new Changes(List.of(), admitted, true, listed(), source);
  }

  /** Nanoseconds until the next pending endpoint is due, or -1 when none is pending. */
  synchronized long nanosUntilNextAdmission() {
    long now = clock.getAsLong();
    long next = -1;
    for (long since : pending.values()) {
      long due = Math.max(0, since + debounceNanos - now);
      next = next < 0 ? due : Math.min(next, due);
    }
    return next;
  }

  /** Forgets an endpoint that left discovery once its connections are gone. */
  synchronized boolean removeIfUnlisted(Endpoint endpoint) {
    Entry entry = entries.get(endpoint);
    if (entry != null && !entry.listed) {
      entries.remove(endpoint);
      if (endpoint.equals(lastWorking)) {
        lastWorking = null;
      }
      return true;
    }
    return false;
  }

  /**
   * Forgets everything (after {@code timeout} with nothing reachable); the next set is taken at
   * once.
   */
  synchronized List<Endpoint> clear() {
    List<Endpoint> cleared = new ArrayList<>(entries.keySet());
    entries.clear();
    pending.clear();
    trusted = false;
    lastWorking = null;
    lastReachableNanos = clock.getAsLong();
    return cleared;
  }

  /** Marks the endpoint up; a no-op for one draining because it left discovery. */
  synchronized Transition up(Endpoint endpoint) {
    Entry entry = entries.get(endpoint);
    if (entry == null
        || entry.state == EndpointState.UP
        || (entry.state == EndpointState.DRAINING && entry.drainCause == DrainCause.DISCOVERY)) {
      return null;
    }
    entry.consecutiveFailures = 0;
    lastReachableNanos = clock.getAsLong();
    return set(entry, EndpointState.UP, "");
  }

  /** Marks the endpoint down (dead), unless it already is. */
  synchronized Transition down(Endpoint endpoint, String reason) {
    Entry entry = entries.get(endpoint);
    if (entry == null) {
      return null;
    }
    entry.consecutiveFailures++;
    entry.lastFailureNanos = clock.getAsLong();
    if (entry.state == EndpointState.DOWN) {
      entry.reason = reason;
      return null;
    }
    return set(entry, EndpointState.DOWN, reason);
  }

  /** Starts draining the endpoint because its health says it is going away. */
  synchronized Transition draining(Endpoint endpoint, String reason) {
    Entry entry = entries.get(endpoint);
    return entry == null ? null : drain(entry, reason, DrainCause.HEALTH);
  }

  /** Records a successful probe: reachable now, and a latency sample. */
  synchronized void probeSucceeded(Endpoint endpoint, long latencyNanos) {
    lastReachableNanos = clock.getAsLong();
    Entry entry = entries.get(endpoint);
    if (entry != null) {
      sample(entry, latencyNanos);
    }
  }

  /**
   * Records a connection made to {@code endpoint} and returns the previous last working endpoint
   * (or null).
   */
  synchronized Endpoint connected(Endpoint endpoint, long connectNanos) {
    lastReachableNanos = clock.getAsLong();
    Endpoint previous = lastWorking;
    Entry entry = entries.get(endpoint);
    if (entry != null) {
      entry.consecutiveFailures = 0;
      sample(entry, connectNanos);
      lastWorking = endpoint;
    }
    return previous;
  }

  /**
   * Records that the resolver answered with {@code endpoint} first: name-level clients connect to
   * it, so it becomes the last working endpoint (keeping the answer stable). Returns the previous
   * last working endpoint (or null).
   */
  synchronized Endpoint answered(Endpoint endpoint) {
    Endpoint previous = lastWorking;
    if (entries.containsKey(endpoint)) {
      lastWorking = endpoint;
    }
    return previous;
  }

  /** Records a failed connect: the endpoint is postponed until its next success. */
  synchronized void connectFailed(Endpoint endpoint) {
    Entry entry = entries.get(endpoint);
    if (entry != null) {
      entry.consecutiveFailures++;
      entry.lastFailureNanos = clock.getAsLong();
    }
  }

  /** Adds addresses that make an endpoint same node. */
  synchronized void addSameNodeAddresses(Collection<InetAddress> addresses) {
    for (InetAddress address : addresses) {
      sameNodeAddresses.add(IpLiterals.withoutHostName(address));
    }
    for (Entry entry : entries.values()) {
      entry.sameNode = sameNodeAddresses.contains(entry.endpoint.address());
    }
  }

  synchronized Optional<EndpointState> stateOf(Endpoint endpoint) {
    Entry entry = entries.get(endpoint);
    return entry == null ? Optional.empty() : Optional.of(entry.state);
  }

  synchronized boolean contains(Endpoint endpoint) {
    return entries.containsKey(endpoint);
  }

  synchronized boolean isEmpty() {
    return entries.isEmpty();
  }

  synchronized boolean isTrusted() {
    return trusted;
  }

  /** Whether any endpoint is up. */
  synchronized boolean anyUp() {
    return entries.values().stream().anyMatch(e -> e.state == EndpointState.UP);
  }

  synchronized long lastReachableNanos() {
    return lastReachableNanos;
  }

  synchronized Endpoint lastWorking() {
    return lastWorking;
  }

  /** The endpoints still listed by discovery (or the file): what is worth persisting. */
  synchronized List<Endpoint> listed() {
    List<Endpoint> listed = new ArrayList<>();
    for (Entry entry : entries.values()) {
      if (entry.listed) {
        listed.add(entry.endpoint);
      }
    }
    return listed;
  }

  /** Every endpoint, in the order new connections try them. */
  synchronized List<Endpoint> order() {
    List<Endpoint> order = new ArrayList<>();
    for (Entry entry : sorted()) {
      order.add(entry.endpoint);
    }
    return order;
  }

  /** The first endpoint a new connection would try, if it is usable (up or unknown). */
  synchronized Optional<Endpoint> preferred() {
    List<Entry> sorted = sorted();
    if (sorted.isEmpty() || sorted.get(0).stateRank() != 0) {
      return Optional.empty();
    }
    return Optional.of(sorted.get(0).endpoint);
  }

  /** A status per endpoint, in order. */
  synchronized List<EndpointStatus> snapshot(ToIntFunction<Endpoint> connections) {
    List<EndpointStatus> statuses = new ArrayList<>();
    for (Entry e : sorted()) {
      statuses.add(
          new EndpointStatus(
              e.endpoint,
              e.state,
              e.reason,
              e.sameNode,
              e.endpoint.equals(lastWorking),
              connections.applyAsInt(e.endpoint),
              e.latencyNanos < 0
                  ? Optional.empty()
                  : Optional.of(Duration.ofNanos(e.latencyNanos))));
    }
    return statuses;
  }

  private List<Entry> sorted() {
    Comparator<Entry> order =
        Comparator.comparingInt(Entry::stateRank)
            .thenComparingLong(e -> e.state == EndpointState.DOWN ? e.lastFailureNanos : 0)
            .thenComparing(e -> e.consecutiveFailures > 0)
            .thenComparing(e -> !e.sameNode)
            .thenComparing(e -> e.state != EndpointState.UP)
            .thenComparing(e -> !e.endpoint.equals(lastWorking))
            .thenComparingInt(Entry::latencyBucket)
            .thenComparingInt(e -> e.rank);
    List<Entry> sorted = new ArrayList<>(entries.values());
    sorted.sort(order);
    return sorted;
  }

  private void admit(Endpoint endpoint) {
    pending.remove(endpoint);
    entries.put(
        endpoint,
        new Entry(endpoint, random.nextInt(), sameNodeAddresses.contains(endpoint.address())));
  }

  private Transition drain(Entry entry, String reason, DrainCause cause) {
    if (entry.state == EndpointState.DOWN) {
      return null;
    }
    if (entry.state == EndpointState.DRAINING) {
      if (cause == DrainCause.DISCOVERY) {
        entry.drainCause = cause;
      }
      return null;
    }
    entry.drainCause = cause;
    return set(entry, EndpointState.DRAINING, reason);
  }

  private static Transition set(Entry entry, EndpointState to, String reason) {
    EndpointState from = entry.state;
    entry.state = to;
    entry.reason = reason;
    if (to != EndpointState.DRAINING) {
      entry.drainCause = null;
    }
    return new Transition(entry.endpoint, from, to, reason);
  }

  private static void sample(Entry entry, long latencyNanos) {
    if (latencyNanos < 0) {
      return;
    }
    entry.latencyNanos =
        entry.latencyNanos < 0 ? latencyNanos : (entry.latencyNanos * 7 + latencyNanos * 3) / 10;
  }

  private static boolean isReady(DiscoveredEndpoint d) {
    return d != null && d.ready();
  }
}
