package dev.lifeline.cli.internal.demo;

import dev.lifeline.failover.Endpoint;
import dev.lifeline.failover.FailoverListener;
import dev.lifeline.testkit.ApiServerInstance;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The failover engine's events as timeline lines. The engine delivers them in order on one thread
 * within milliseconds of happening, so the timeline's clock is the events' clock (as {@link
 * FailoverListener} suggests).
 */
final class EngineEvents implements FailoverListener {
  private final Timeline timeline;
  private final ApiserverNames names;
  private Set<String> listed;
  private volatile boolean explainedLateAnswer;

  EngineEvents(Timeline timeline, ApiserverNames names) {
    this.timeline = Objects.requireNonNull(timeline, "timeline");
    this.names = Objects.requireNonNull(names, "names");
  }

  private void log(String text) {
    timeline.log(Actor.ENGINE, text);
  }

  private String name(Endpoint endpoint) {
    return names.of(endpoint.address());
  }

  @Override
  public synchronized void endpointsChanged(List<Endpoint> endpoints, String source) {
    Set<String> now =
        endpoints.stream()
            .map(e -> names.shortName(e.address()))
            .collect(Collectors.toCollection(TreeSet::new));
    if (listed == null) {
      log("learnt " + String.join(", ", now) + " from the " + source);
    } else {
      Set<String> left = new TreeSet<>(listed);
      left.removeAll(now);
      Set<String> joined = new TreeSet<>(now);
      joined.removeAll(listed);
      StringBuilder change = new StringBuilder();
      if (!left.isEmpty()) {
        change.append(String.join(", ", left)).append(" left");
      }
      if (!joined.isEmpty()) {
        change.append(change.length() > 0 ? ", " : "").append(String.join(", ", joined));
        change.append(" joined");
      }
      log(
          "the "
              + source
              + " now lists "
              + String.join(", ", now)
              + (change.length() > 0 ? " (" + change + ")" : ""));
    }
    listed = now;
  }

  @Override
  public void endpointUp(Endpoint endpoint) {
    log(name(endpoint) + " up");
  }

  @Override
  public void endpointDown(Endpoint endpoint, String reason) {
    boolean unfaulted = isUnfaulted(endpoint);
    log(name(endpoint) + " down: " + reason + (unfaulted ? " (no fault is injected there)" : ""));
    if (unfaulted && !explainedLateAnswer) {
      explainedLateAnswer = true;
      timeline.log(
          Actor.DEMO,
          "an answer came too late: here three apiservers, both clients and the engine share one"
              + " JVM and this machine's cores, and a burst of work (such as the backlog a restore"
              + " releases) can delay a PING answer past the engine's 500 ms, and the engine takes a"
              + " late answer for a dead apiserver");
    }
  }

  /**
   * Whether the demo injected no fault into that apiserver: then the engine judged from a late
   * answer. The engine's line is true either way; the note keeps a reader from taking it for one of
   * the demo's faults.
   */
  private boolean isUnfaulted(Endpoint endpoint) {
    return names
        .instance(endpoint.address())
        .filter(i -> i.activeFaults().isEmpty() && i.state() == ApiServerInstance.State.RUNNING)
        .isPresent();
  }

  @Override
  public void endpointDraining(Endpoint endpoint, String reason) {
    log(name(endpoint) + " draining: " + reason);
  }

  @Override
  public void connectionsClosed(Endpoint endpoint, int count, CloseReason reason) {
    log(
        "closed "
            + Timeline.plural(count, "connection")
            + " to "
            + name(endpoint)
            + switch (reason) {
              case EVICTED -> " at once (evicted)";
              case DRAINED -> " at a quiet moment (drained)";
              case DRAIN_TIMEOUT -> " (drain time exceeded)";
            });
  }

  @Override
  public void failover(Endpoint from, Endpoint to) {
    log("failover: new connections go to " + name(to) + " instead of " + name(from));
  }

  @Override
  public void fallbackToSeed(InetSocketAddress seed) {
    log("every known apiserver failed; connected to the seed address " + seed);
  }

  @Override
  public void fallbackToDns(String host, FallbackReason reason) {
    log(
        "resolver answers "
            + host
            + " from DNS ("
            + reason.name().toLowerCase(Locale.ROOT).replace('_', ' ')
            + ")");
  }

  @Override
  public void discoveryFailed(String source, String message) {
    log("cannot read the " + source + ": " + message + "; keeping the last good set");
  }
}
