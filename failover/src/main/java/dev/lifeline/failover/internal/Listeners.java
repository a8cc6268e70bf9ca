package dev.lifeline.failover.internal;

import dev.lifeline.failover.Endpoint;
import dev.lifeline.failover.FailoverListener;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Delivers events to every listener on the scheduler's event lane; a throwing listener is logged.
 */
final class Listeners implements FailoverListener {
  private static final System.Logger LOG = System.getLogger(Listeners.class.getName());

  private final Scheduler scheduler;
  private final List<FailoverListener> listeners = new CopyOnWriteArrayList<>();

  Listeners(Scheduler scheduler, List<FailoverListener> initial) {
    this.scheduler = scheduler;
    this.listeners.addAll(initial);
  }

  void add(FailoverListener listener) {
    listeners.add(listener);
  }

  void remove(FailoverListener listener) {
    listeners.remove(listener);
  }

  private void each(String event, Consumer<FailoverListener> call) {
    scheduler.dispatch(
        () -> {
          for (FailoverListener listener : listeners) {
            try {
              call.accept(listener);
            } catch (RuntimeException e) {
              LOG.log(
                  Level.WARNING,
                  () -> "failover listener " + listener + " threw on " + event + "; ignored",
                  e);
            }
          }
        });
  }

  @Override
  public void endpointsChanged(List<Endpoint> endpoints, String source) {
    each("endpointsChanged", l -> l.endpointsChanged(endpoints, source));
  }

  @Override
  public void endpointUp(Endpoint endpoint) {
    each("endpointUp", l -> l.endpointUp(endpoint));
  }

  @Override
  public void endpointDown(Endpoint endpoint, String reason) {
    each("endpointDown", l -> l.endpointDown(endpoint, reason));
  }

  @Override
  public void endpointDraining(Endpoint endpoint, String reason) {
    each("endpointDraining", l -> l.endpointDraining(endpoint, reason));
  }

  @Override
  public void connectionsClosed(Endpoint endpoint, int count, CloseReason reason) {
    each("connectionsClosed", l -> l.connectionsClosed(endpoint, count, reason));
  }

  @Override
  public void failover(Endpoint from, Endpoint to) {
    each("failover", l -> l.failover(from, to));
  }

  @Override
  public void fallbackToSeed(InetSocketAddress seed) {
    each("fallbackToSeed", l -> l.fallbackToSeed(seed));
  }

  @Override
  public void fallbackToDns(String host, FallbackReason reason) {
    each("fallbackToDns", l -> l.fallbackToDns(host, reason));
  }

  @Override
  public void discoveryFailed(String source, String message) {
    each("discoveryFailed", l -> l.discoveryFailed(source, message));
  }
}
