package dev.lifeline.bench.failover;

import java.time.Duration;

/**
 * A Kubernetes client as the failover benchmark drives it: one GET of a ConfigMap at a time, and a
 * watch of the namespace's ConfigMaps through the client's own informer (which reconnects and
 * resumes as that client does). Implementations are created in the scenario client JVM by {@link
 * ClientKind#open}; one per JVM.
 */
interface ScenarioClient extends AutoCloseable {

  /** Receives what the watch delivers; called from the client's informer threads. */
  @FunctionalInterface
  interface DeliverySink {
    /**
     * A change was delivered.
     *
     * @param type {@code A}dded, {@code U}pdated or {@code D}eleted
     * @param name the object's name
     * @param resourceVersion the object's resource version as delivered
     */
    void delivered(char type, String name, String resourceVersion);
  }

  /**
   * Reads the ConfigMap once. Returns normally when the client got it; throws what the client threw
   * otherwise (a client that answers a failure with null throws here instead).
   */
  void get() throws Exception;

  /**
   * Starts the watch and returns once the initial list was delivered.
   *
   * @throws Exception when it is not delivered within {@code timeout}, or the client fails
   */
  void startWatch(DeliverySink sink, Duration timeout) throws Exception;

  /** Stops the watch and the client. */
  @Override
  void close();
}
