package dev.lifeline.failover.internal;

import dev.lifeline.failover.Endpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Makes the TCP connection behind a {@link TrackedSocket}. */
interface Dialer {

  /**
   * A connected socket and the endpoint it reached: null when it is not a connection to the server;
   * the seed address itself when the connection went through the seed ({@code viaSeed}), which may
   * lead to any apiserver (a Service IP, a load balancer, a name).
   */
  record Dialed(Socket socket, Endpoint endpoint, boolean viaSeed) {
    Dialed(Socket socket, Endpoint endpoint) {
      this(socket, endpoint, false);
    }
  }

  /** Prepares each attempt's socket before it connects (options, local bind). */
  interface Attempts {
    /**
     * Applies the caller's options to {@code attempt} and remembers it so that a concurrent close
     * aborts it.
     *
     * @throws IOException when the tracked socket was closed meanwhile
     */
    void prepare(Socket attempt) throws IOException;

    /** Whether the socket being connected was closed meanwhile: then the dial stops. */
    boolean isClosed();
  }

  /**
   * Connects to {@code target}, or to the best endpoint when {@code target} is the server.
   *
   * @param timeoutMillis the caller's connect timeout, 0 for none
   */
  Dialed dial(InetSocketAddress target, int timeoutMillis, Attempts attempts) throws IOException;
}
