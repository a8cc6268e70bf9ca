package dev.lifeline.failover.internal;

import dev.lifeline.failover.DiscoveredEndpoint;
import dev.lifeline.failover.Endpoint;
import dev.lifeline.failover.EndpointDiscovery;
import java.util.Arrays;

/** A discovery source the test drives by hand. */
final class TestDiscovery implements EndpointDiscovery {
  volatile Context context;
  volatile boolean closed;

  @Override
  public void start(Context context) {
    this.context = context;
  }

  void publish(Endpoint... endpoints) {
    context.publish(Arrays.stream(endpoints).map(DiscoveredEndpoint::ready).toList(), "test slice");
  }

  @Override
  public void close() {
    closed = true;
  }
}
