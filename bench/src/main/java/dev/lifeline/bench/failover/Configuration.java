package dev.lifeline.bench.failover;

import java.util.ArrayList;
import java.util.List;

/**
 * One client configuration of the benchmark: a client and how Lifeline is (or is not) wired in.
 *
 * @param client the client
 * @param wiring without Lifeline, or with it in one of the ways measured
 */
record Configuration(ClientKind client, Wiring wiring) {

  /** How Lifeline is wired into the client. */
  enum Wiring {
    /** The client on its own. */
    WITHOUT("", "without Lifeline"),
    /**
     * A failover engine at its defaults, the client built right after starting it, as {@code
     * docs/adapters.md} shows. The client's first connection may go to the seed address before
     * discovery has delivered the endpoints.
     */
    LIFELINE("+lifeline", "with Lifeline"),
    /**
     * As {@link #LIFELINE}, but the client is built only once the engine reports every endpoint up,
     * so that every connection it makes is dialled to an endpoint.
     */
    LIFELINE_AFTER_DISCOVERY("+lifeline+ready", "with Lifeline, client built after discovery"),
    /**
     * For the name-level client: as {@link #LIFELINE} but with the JVM's default positive DNS cache
     * (30 s) instead of the 1 s {@code docs/adapters.md} asks for.
     */
    LIFELINE_JVM_DNS_CACHE("+lifeline+dnscache30s", "with Lifeline, JVM DNS cache 30 s");

    private final String suffix;
    private final String label;

    Wiring(String suffix, String label) {
      this.suffix = suffix;
      this.label = label;
    }

    /** How the report names it. */
    String label() {
      return label;
    }
  }

  Configuration {
    if (wiring == Wiring.LIFELINE_JVM_DNS_CACHE && !client.isNameLevel()) {
      throw new IllegalArgumentException(
          "the JVM default DNS cache variant applies to the name-level client, not to "
              + client.id());
    }
  }

  /** The name on the command line and in result files, e.g. {@code fabric8-okhttp+lifeline}. */
  String id() {
    return client.id() + wiring.suffix;
  }

  /** The name in reports. */
  String label() {
    return client.label() + ", " + wiring.label();
  }

  /** Whether a failover engine is wired in. */
  boolean lifeline() {
    return wiring != Wiring.WITHOUT;
  }

  /** Whether the client is built only once the engine reports every endpoint up. */
  boolean awaitsDiscovery() {
    return wiring == Wiring.LIFELINE_AFTER_DISCOVERY;
  }

  /** The same client without Lifeline. */
  Configuration without() {
    return new Configuration(client, Wiring.WITHOUT);
  }

  /** JVM options of the scenario client JVM. */
  List<String> jvmOptions() {
    List<String> options = new ArrayList<>(List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC"));
    if (lifeline() && client.isNameLevel() && wiring != Wiring.LIFELINE_JVM_DNS_CACHE) {
      options.add("-Dsun.net.inetaddr.ttl=1");
    }
    return options;
  }

  /**
   * Whether the JDK resolver provider goes on the class path: only where it is used. The provider
   * is JVM-global: elsewhere it would add a layer to every lookup of the configurations it is not
   * part of.
   */
  boolean needsJdkResolver() {
    return lifeline() && client.isNameLevel();
  }

  /**
   * The configurations of a full run: every client without and with Lifeline; the clients Lifeline
   * reaches at the connection level also with the client built after discovery; the name-level
   * client also with the JVM's default DNS cache.
   */
  static List<Configuration> all() {
    List<Configuration> all = new ArrayList<>();
    for (ClientKind kind : ClientKind.values()) {
      all.add(new Configuration(kind, Wiring.LIFELINE));
      if (kind.isNameLevel()) {
        all.add(new Configuration(kind, Wiring.LIFELINE_JVM_DNS_CACHE));
      } else {
        all.add(new Configuration(kind, Wiring.LIFELINE_AFTER_DISCOVERY));
      }
      all.add(new Configuration(kind, Wiring.WITHOUT));
    }
    return all;
  }

  /**
   * The configuration with that {@link #id()}.
   *
   * @throws IllegalArgumentException naming the known ones
   */
  static Configuration byId(String id) {
    for (Configuration c : all()) {
      if (c.id().equals(id)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "unknown configuration '"
            + id
            + "'; known: "
            + String.join(", ", all().stream().map(Configuration::id).toList()));
  }
}
