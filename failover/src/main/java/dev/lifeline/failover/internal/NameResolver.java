package dev.lifeline.failover.internal;

import dev.lifeline.failover.Endpoint;
import dev.lifeline.failover.FailoverConfig;
import dev.lifeline.failover.FailoverListener;
import dev.lifeline.failover.FailoverListener.FallbackReason;
import dev.lifeline.failover.HostResolver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The name level (seed 000): answers lookups of the server's host name with the ordered endpoint
 * addresses, and falls back to the system resolver when it has no endpoints, when their port is not
 * the URL's, and after {@code timeout} with no reachable endpoint (then the set is cleared).
 *
 * <p>Unlike the Go original it answers for names from {@code /etc/hosts} too: Java clients ask
 * their resolver hook for every name. Thread-safe.
 */
final class NameResolver {

  /** What the last lookup of the server's name answered with. */
  private enum Answer {
    NONE,
    ENDPOINTS,
    NO_ENDPOINTS,
    PORT_MISMATCH,
    TIMEOUT
  }

  /** Set while the engine resolves its own seed address, so that its lookup is never answered. */
  private final ThreadLocal<Boolean> seedLookup = ThreadLocal.withInitial(() -> Boolean.FALSE);

  private final FailoverConfig config;
  private final EndpointTable table;
  private final LongSupplier clock;
  private final FailoverListener listener;
  private final Runnable clearAfterTimeout;
  private final java.util.function.Consumer<Endpoint> answered;
  private final String host;
  private final AtomicReference<Answer> last = new AtomicReference<>(Answer.NONE);

  NameResolver(
      FailoverConfig config,
      EndpointTable table,
      LongSupplier clock,
      FailoverListener listener,
      Runnable clearAfterTimeout,
      java.util.function.Consumer<Endpoint> answered) {
    this.config = config;
    this.table = table;
    this.clock = clock;
    this.listener = listener;
    this.clearAfterTimeout = clearAfterTimeout;
    this.answered = answered;
    this.host = normalize(config.host());
  }

  boolean owns(String name) {
    return name != null && normalize(name).equals(host);
  }

  List<InetAddress> resolve(String name, HostResolver fallback) throws UnknownHostException {
    if (!owns(name) || seedLookup.get() || config.hostAddress().isPresent()) {
      return fallback.resolve(name);
    }
    if (checkTimeout() || (table.isEmpty() && last.get() == Answer.TIMEOUT)) {
      return fallback.resolve(name);
    }
    if (table.isEmpty()) {
      return fallBack(name, fallback, Answer.NO_ENDPOINTS);
    }
    List<InetAddress> addresses = new ArrayList<>();
    Endpoint first = null;
    for (Endpoint endpoint : table.order()) {
      if (endpoint.port() == config.port()) {
        addresses.add(IpLiterals.withHostName(name, endpoint.address()));
        if (first == null) {
          first = endpoint;
        }
      }
    }
    if (first == null) {
      return fallBack(name, fallback, Answer.PORT_MISMATCH);
    }
    last.set(Answer.ENDPOINTS);
    answered.accept(first);
    return addresses;
  }

  /** One address for the server's name, for clients whose sockets come from the engine. */
  List<InetAddress> resolveForDialer(String name, HostResolver fallback)
      throws UnknownHostException {
    if (!owns(name) || seedLookup.get()) {
      return fallback.resolve(name);
    }
    if (config.hostAddress().isPresent()) {
      return List.of(IpLiterals.withHostName(name, config.hostAddress().get()));
    }
    List<Endpoint> order = table.order();
    if (!order.isEmpty()) {
      return List.of(IpLiterals.withHostName(name, order.get(0).address()));
    }
    // No endpoint yet: the seed, resolved as the dialer will resolve it (the seed resolver).
    List<InetAddress> seeds = seedAddresses();
    return seeds.isEmpty() ? seeds : List.of(IpLiterals.withHostName(name, seeds.get(0)));
  }

  /**
   * Clears the endpoint set when no endpoint has been reachable for {@code timeout}, and reports
   * the fallback once. Returns whether it did.
   */
  boolean checkTimeout() {
    boolean timedOut =
        !table.isEmpty()
            && !table.anyUp()
            && clock.getAsLong() - table.lastReachableNanos() > config.timeout().toNanos();
    if (!timedOut) {
      return false;
    }
    clearAfterTimeout.run();
    if (last.getAndSet(Answer.TIMEOUT) != Answer.TIMEOUT) {
      listener.fallbackToDns(config.host(), FallbackReason.TIMEOUT);
    }
    return true;
  }

  /** The seed addresses: the URL's IP, or what the seed resolver says the URL's host is. */
  List<InetAddress> seedAddresses() throws UnknownHostException {
    if (config.hostAddress().isPresent()) {
      return List.of(config.hostAddress().get());
    }
    seedLookup.set(Boolean.TRUE);
    try {
      return config.seedResolver().resolve(config.host());
    } finally {
      seedLookup.set(Boolean.FALSE);
    }
  }

  private List<InetAddress> fallBack(String name, HostResolver fallback, Answer answer)
      throws UnknownHostException {
    if (last.getAndSet(answer) != answer) {
      listener.fallbackToDns(name, FallbackReason.valueOf(answer.name()));
    }
    return fallback.resolve(name);
  }

  private static String normalize(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }
}
