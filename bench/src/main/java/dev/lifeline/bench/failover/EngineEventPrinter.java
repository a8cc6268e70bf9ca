package dev.lifeline.bench.failover;

import dev.lifeline.failover.Endpoint;
import dev.lifeline.failover.FailoverListener;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Consumer;

/** Writes the engine's events as {@link ClientRecord.EngineEvent}s, stamped on arrival. */
final class EngineEventPrinter implements FailoverListener {
  private final Consumer<ClientRecord> out;

  EngineEventPrinter(Consumer<ClientRecord> out) {
    this.out = out;
  }

  private void emit(String kind, Object endpoint, String detail) {
    out.accept(
        new ClientRecord.EngineEvent(System.nanoTime(), kind, String.valueOf(endpoint), detail));
  }

  @Override
  public void endpointsChanged(List<Endpoint> endpoints, String source) {
    emit("endpoints", endpoints.size(), source);
  }

  @Override
  public void endpointUp(Endpoint endpoint) {
    emit("up", endpoint, "");
  }

  @Override
  public void endpointDown(Endpoint endpoint, String reason) {
    emit("down", endpoint, reason);
  }

  @Override
  public void endpointDraining(Endpoint endpoint, String reason) {
    emit("draining", endpoint, reason);
  }

  @Override
  public void connectionsClosed(Endpoint endpoint, int count, CloseReason reason) {
    emit("closed", endpoint, count + " " + reason);
  }

  @Override
  public void failover(Endpoint from, Endpoint to) {
    emit("failover", to, "from " + from);
  }

  @Override
  public void fallbackToSeed(InetSocketAddress seed) {
    emit("seed", seed.getAddress().getHostAddress() + ":" + seed.getPort(), "");
  }

  @Override
  public void fallbackToDns(String host, FallbackReason reason) {
    emit("dns", host, reason.name());
  }

  @Override
  public void discoveryFailed(String source, String message) {
    emit("discovery", source.replace(' ', '_'), message);
  }
}
