package dev.lifeline.testkit.internal.forward;

import java.net.InetSocketAddress;
import java.util.Optional;

/** Chooses the backend of each new forwarded connection. Thread-safe. */
public interface Backends {
  /** The backend for a new connection, or empty when there is none to choose from. */
  Optional<InetSocketAddress> pick();
}
