package dev.lifeline.kubernetesjava;

import dev.lifeline.failover.FailoverEngine;
import dev.lifeline.okhttp.LifelineOkHttp;
import io.kubernetes.client.openapi.ApiClient;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * Wires a {@link FailoverEngine} into a kubernetes-client/java {@link ApiClient}: its OkHttp client
 * gets the engine's sockets and name resolution ({@link LifelineOkHttp#configure}), so API calls,
 * watches and informers made through it fail over at the connection level and their connections are
 * closed the moment their apiserver is known dead.
 *
 * <pre>{@code
 * FailoverEngine engine = FailoverEngine.start(FailoverConfig.builder(KubeConfig.load()).build());
 * ApiClient client = LifelineKubernetesJava.configure(ClientBuilder.standard().build(), engine);
 * }</pre>
 */
public final class LifelineKubernetesJava {
  private LifelineKubernetesJava() {}

  /**
   * Replaces {@code client}'s OkHttp client with one wired to {@code engine}, keeping everything
   * else it had (TLS, authentication interceptors, timeouts). Call it before creating APIs, watches
   * or informers from the client.
   *
   * @return {@code client}
   * @throws IllegalArgumentException when the client talks to another server than the engine
   */
  public static ApiClient configure(ApiClient client, FailoverEngine engine) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(engine, "engine");
    URI base = URI.create(client.getBasePath());
    String host = base.getHost();
    if (host == null || !engine.owns(strip(host))) {
      throw new IllegalArgumentException(
          "the ApiClient talks to "
              + client.getBasePath()
              + " but the failover engine serves "
              + engine.config().server()
              + "; build the engine from the same kubeconfig");
    }
    client.setHttpClient(
        LifelineOkHttp.configure(client.getHttpClient().newBuilder(), engine).build());
    return client;
  }

  private static String strip(String host) {
    String h =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    return h.toLowerCase(Locale.ROOT);
  }
}
