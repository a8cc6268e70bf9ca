package dev.lifeline.failover.internal;

import dev.lifeline.failover.Endpoint;
import dev.lifeline.failover.FailoverListener;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every event as a line of text. */
final class RecordingListener implements FailoverListener {
  final List<String> events = new CopyOnWriteArrayList<>();

  List<String> startingWith(String prefix) {
    return events.stream().filter(e -> e.startsWith(prefix)).toList();
  }

  @Override
  public void endpointsChanged(List<Endpoint> endpoints, String source) {
    events.add(
        "endpoints "
            + endpoints.stream().sorted(java.util.Comparator.comparing(Endpoint::toString)).toList()
            + " from "
            + source);
  }

  @Override
  public void endpointUp(Endpoint endpoint) {
    events.add("up " + endpoint);
  }

  @Override
  public void endpointDown(Endpoint endpoint, String reason) {
    events.add("down " + endpoint + ": " + reason);
  }

  @Override
  public void endpointDraining(Endpoint endpoint, String reason) {
    events.add("draining " + endpoint + ": " + reason);
  }

  @Override
  public void connectionsClosed(Endpoint endpoint, int count, CloseReason reason) {
    events.add("closed " + count + " " + reason + " " + endpoint);
  }

  @Override
  public void failover(Endpoint from, Endpoint to) {
    events.add("failover " + from + " -> " + to);
  }

  @Override
  public void fallbackToSeed(InetSocketAddress seed) {
    events.add("seed " + seed);
  }

  @Override
  public void fallbackToDns(String host, FallbackReason reason) {
    events.add("dns " + host + " " + reason);
  }

  @Override
  public void discoveryFailed(String source, String message) {
    events.add("discovery failed " + source + ": " + message);
  }
}
