package dev.lifeline.bench.failover;

import java.util.ArrayList;
import java.util.List;

/**
 * One client configuration of the benchmark: a client, with or without Lifeline, and for the
 * name-level client with Lifeline the JVM's DNS cache setting.
 *
 * @param client the client
 * @param lifeline whether a failover engine is wired in at Lifeline's defaults
 * @param jvmDefaultDnsCache for a name-level client with Lifeline: keep the JVM's default positive
 *     DNS cache (30 s) instead of the 1 s that {@code docs/adapters.md} asks for, to measure what
 *     the cache costs
 */
record Configuration(ClientKind client, boolean lifeline, boolean jvmDefaultDnsCache) {

  Configuration {
    if (jvmDefaultDnsCache && !(lifeline && client.isNameLevel())) {
      throw new IllegalArgumentException(
          "the JVM default DNS cache variant applies to a name-level client with Lifeline, not to "
              + client.id()
              + (lifeline ? "" : " without Lifeline"));
    }
  }

  /** The name on the command line and in result files, e.g. {@code fabric8-okhttp+lifeline}. */
  String id() {
    return client.id() + (lifeline ? "+lifeline" : "") + (jvmDefaultDnsCache ? "+dnscache30s" : "");
  }

  /** The name in reports. */
  String label() {
    return client.label()
        + (lifeline ? ", with Lifeline" : ", without")
        + (jvmDefaultDnsCache ? " (JVM DNS cache 30 s)" : "");
  }

  /** The same client without Lifeline. */
  Configuration without() {
    return new Configuration(client, false, false);
  }

  /** JVM options of the scenario client JVM. */
  List<String> jvmOptions() {
    List<String> options = new ArrayList<>(List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC"));
    if (lifeline && client.isNameLevel() && !jvmDefaultDnsCache) {
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
    return lifeline && client.isNameLevel();
  }

  /**
   * The configurations of a full run: every client without and with Lifeline, and the name-level
   * client with Lifeline but the JVM's default DNS cache.
   */
  static List<Configuration> all() {
    List<Configuration> all = new ArrayList<>();
    for (ClientKind kind : ClientKind.values()) {
      all.add(new Configuration(kind, true, false));
      all.add(new Configuration(kind, false, false));
      if (kind.isNameLevel()) {
        all.add(new Configuration(kind, true, true));
      }
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
