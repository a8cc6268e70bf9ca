package dev.lifeline.fabric8;

import dev.lifeline.fabric8.internal.Backends;
import dev.lifeline.failover.FailoverEngine;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.utils.HttpClientUtils;
import java.util.Objects;

/**
 * Wires a {@link FailoverEngine} into fabric8 (7.x) for the HTTP backend in use, and says what that
 * backend allows.
 *
 * <ul>
 *   <li><b>OkHttp</b> ({@code kubernetes-httpclient-okhttp}): the connection level, through the
 *       factory's {@code additionalConfig} hook. IP hosts ({@code https://10.96.0.1} in a pod) and
 *       port mismatches fail over, and connections to a dead apiserver are closed at once, so
 *       requests and watches move within a second.
 *   <li><b>JDK</b>, <b>Vert.x</b> (fabric8's default; fabric8 creates its Vert.x instance with
 *       {@code vertx.disableDnsResolver=true}, so Vert.x resolves through the JDK) and
 *       <b>Jetty</b>: the name level, through {@code lifeline-jdk-resolver} (which must be on the
 *       class path, Java 18+). New connections go to a healthy apiserver; but an IP host is never
 *       resolved (no failover for {@code https://10.96.0.1}), a port mismatch cannot be fixed, and
 *       connections already open are not closed: a request on a dead connection waits for the
 *       backend's own timeout. Set the JVM's DNS cache TTL to 1 s or less.
 * </ul>
 *
 * <p>The first time a backend is wired, the level it allows is logged once.
 */
public final class LifelineFabric8 {
  private LifelineFabric8() {}

  /** What failover a backend allows. */
  public enum Level {
    /** Sockets come from the engine: every rule applies, including eviction. */
    CONNECTION,
    /** The JVM's resolver answers through the engine: new connections only. */
    NAME,
    /** Nothing: an unknown backend, or a name-level one without lifeline-jdk-resolver. */
    NONE
  }

  /**
   * A builder for {@code config}, wired for fabric8's default backend (the one {@link
   * HttpClientUtils#getHttpClientFactory()} picks from the class path).
   *
   * @throws IllegalArgumentException when {@code config}'s master URL is not the engine's server
   */
  public static KubernetesClientBuilder clientBuilder(FailoverEngine engine, Config config) {
    return clientBuilder(engine, config, HttpClientUtils.getHttpClientFactory());
  }

  /**
   * A builder for {@code config}, wired for {@code backend}. For the OkHttp backend the builder
   * gets a factory of its own (a subclass of fabric8's {@code OkHttpClientFactory}); if you use
   * your own subclass, call {@code LifelineOkHttp.configure} in its {@code additionalConfig}
   * instead.
   *
   * @throws IllegalArgumentException when {@code config}'s master URL is not the engine's server
   */
  public static KubernetesClientBuilder clientBuilder(
      FailoverEngine engine, Config config, HttpClient.Factory backend) {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(backend, "backend");
    Backends.checkSameServer(engine, config.getMasterUrl());
    return Backends.wire(engine, backend, new KubernetesClientBuilder().withConfig(config));
  }

  /** The level {@code backend} allows (with lifeline-jdk-resolver present or not). */
  public static Level levelFor(HttpClient.Factory backend) {
    return Backends.levelFor(backend);
  }
}
