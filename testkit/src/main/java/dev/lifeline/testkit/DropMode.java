package dev.lifeline.testkit;

/** How a blackhole fault drops traffic. */
public enum DropMode {
  /**
   * Real packet drops with iptables rules (root only). When not root, the call fails or skips the
   * calling test as {@link RequiresRoot} tests do: skipped with a message, or failed when {@code
   * LIFELINE_REQUIRE_ROOT_TESTS=1}.
   */
  REAL_DROPS_REQUIRED,
  /** Real drops when running as root with iptables, the user-space blackhole otherwise. */
  BEST_AVAILABLE,
  /**
   * User space only: the server stops reading and writing on its connections and new connections
   * get no TLS handshake. The kernel still completes TCP handshakes and acknowledges data, which
   * real drops do not.
   */
  USER_SPACE
}
