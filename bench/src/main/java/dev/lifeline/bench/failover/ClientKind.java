package dev.lifeline.bench.failover;

import io.fabric8.kubernetes.client.okhttp.OkHttpClientFactory;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The clients the failover benchmark measures. */
enum ClientKind {
  /** kubernetes-client/java (OkHttp underneath): connection level with Lifeline. */
  KUBERNETES_JAVA("kubernetes-java", "kubernetes-client/java 27.0.0", false),
  /** fabric8 with its OkHttp backend: connection level with Lifeline. */
  FABRIC8_OKHTTP("fabric8-okhttp", "fabric8 7.8.0, OkHttp backend", false),
  /** fabric8 with its default Vert.x backend: name level with Lifeline (the JDK resolver). */
  FABRIC8_VERTX("fabric8-vertx", "fabric8 7.8.0, Vert.x backend (default)", true),
  /** Lifeline's light client: connection level with Lifeline. */
  LIGHT("lifeline-client", "Lifeline light client", false);

  private final String id;
  private final String label;
  private final boolean nameLevel;

  ClientKind(String id, String label, boolean nameLevel) {
    this.id = id;
    this.label = label;
    this.nameLevel = nameLevel;
  }

  /** The name on the command line and in result files. */
  String id() {
    return id;
  }

  /** The name in reports, with the version. */
  String label() {
    return label;
  }

  /**
   * Whether Lifeline reaches this client only through name lookups: it then needs a host name on
   * the endpoints' own port (the load balancer listener, by the name {@code localhost}) instead of
   * the ClusterIP, and the JDK resolver on the class path.
   */
  boolean isNameLevel() {
    return nameLevel;
  }

  /** Creates the client; called in the scenario client JVM. */
  ScenarioClient open(ScenarioSetup setup) throws Exception {
    return switch (this) {
      case KUBERNETES_JAVA -> new KubernetesJavaScenarioClient(setup);
      case FABRIC8_OKHTTP -> new Fabric8ScenarioClient(setup, new OkHttpClientFactory());
      case FABRIC8_VERTX -> new Fabric8ScenarioClient(setup, new VertxHttpClientFactory());
      case LIGHT -> new LightScenarioClient(setup);
    };
  }

  /**
   * The client with that {@link #id()}.
   *
   * @throws IllegalArgumentException naming the known ones
   */
  static ClientKind byId(String id) {
    for (ClientKind kind : values()) {
      if (kind.id.equals(id)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "unknown client '"
            + id
            + "'; known: "
            + Arrays.stream(values()).map(ClientKind::id).collect(Collectors.joining(", ")));
  }
}
