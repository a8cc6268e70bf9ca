package dev.lifeline.fabric8.internal;

import dev.lifeline.failover.FailoverEngine;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Recognises fabric8's HTTP backends and wires each at the level it allows. */
public final class Backends {
  private static final System.Logger LOG = System.getLogger(Backends.class.getName());
  private static final String OKHTTP = "io.fabric8.kubernetes.client.okhttp.OkHttpClientFactory";
  private static final Set<String> NAME_LEVEL =
      Set.of(
          "io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory",
          "io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory",
          "io.fabric8.kubernetes.client.jetty.JettyHttpClientFactory");
  private static final String JDK_RESOLVER = "dev.lifeline.jdkresolver.JdkResolver";
  private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

  private Backends() {}

  public static dev.lifeline.fabric8.LifelineFabric8.Level levelFor(HttpClient.Factory backend) {
    if (isA(backend.getClass(), OKHTTP)) {
      return dev.lifeline.fabric8.LifelineFabric8.Level.CONNECTION;
    }
    if (nameLevel(backend.getClass())) {
      return jdkResolver() != null
          ? dev.lifeline.fabric8.LifelineFabric8.Level.NAME
          : dev.lifeline.fabric8.LifelineFabric8.Level.NONE;
    }
    return dev.lifeline.fabric8.LifelineFabric8.Level.NONE;
  }

  public static KubernetesClientBuilder wire(
      FailoverEngine engine, HttpClient.Factory backend, KubernetesClientBuilder builder) {
    dev.lifeline.fabric8.LifelineFabric8.Level level = levelFor(backend);
    String name = backend.getClass().getName();
    switch (level) {
      case CONNECTION -> {
        if (backend.getClass().getName().equals(OKHTTP)) {
          builder.withHttpClientFactory(new EngineOkHttpClientFactory(engine));
        } else {
          LOG.log(
              System.Logger.Level.WARNING,
              () ->
                  name
                      + " is a subclass of fabric8's OkHttpClientFactory: call"
                      + " LifelineOkHttp.configure(builder, engine) in its additionalConfig;"
                      + " Lifeline leaves it as it is");
          builder.withHttpClientFactory(backend);
          return builder;
        }
        logOnce(
            name,
            "fabric8's OkHttp backend: connection-level failover (IP hosts, port mismatch, eviction of"
                + " connections to a dead apiserver)");
      }
      case NAME -> {
        register(engine);
        builder.withHttpClientFactory(backend);
        logOnce(
            name,
            "fabric8's "
                + shortName(name)
                + " backend: name-level failover only, through the JVM's resolver: new connections go"
                + " to a healthy apiserver, but an IP host (https://10.96.0.1 in a pod) never fails"
                + " over, a port mismatch is not fixed and open connections are not closed; use"
                + " the OkHttp backend (kubernetes-httpclient-okhttp) for all of it");
      }
      case NONE -> {
        builder.withHttpClientFactory(backend);
        logOnce(
            name,
            nameLevel(backend.getClass())
                ? "fabric8's "
                    + shortName(name)
                    + " backend resolves through the JVM, but lifeline-jdk-resolver (Java 18+) is"
                    + " not on the class path: no failover; add it, or use the OkHttp backend"
                : "fabric8's HTTP backend "
                    + name
                    + " is unknown to Lifeline: no failover; use the OkHttp backend");
      }
    }
    return builder;
  }

  public static void checkSameServer(FailoverEngine engine, String masterUrl) {
    String host = masterUrl == null ? null : URI.create(masterUrl).getHost();
    if (host != null && host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host == null || !engine.owns(host.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(
          "the fabric8 Config talks to "
              + masterUrl
              + " but the failover engine serves "
              + engine.config().server()
              + "; build both from the same kubeconfig");
    }
  }

  private static void register(FailoverEngine engine) {
    Class<?> resolver = jdkResolver();
    try {
      resolver.getMethod("register", FailoverEngine.class).invoke(null, engine);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException("cannot register with the JDK resolver", e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("lifeline-jdk-resolver does not match this version", e);
    }
  }

  private static Class<?> jdkResolver() {
    try {
      return Class.forName(JDK_RESOLVER, true, Backends.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError absent) {
      return null;
    }
  }

  private static boolean nameLevel(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      if (NAME_LEVEL.contains(c.getName())) {
        return true;
      }
    }
    return false;
  }

  private static boolean isA(Class<?> type, String className) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      if (c.getName().equals(className)) {
        return true;
      }
    }
    return false;
  }

  private static String shortName(String factory) {
    if (factory.contains(".jdkhttp.")) {
      return "JDK HttpClient";
    }
    if (factory.contains(".vertx.")) {
      return "Vert.x";
    }
    if (factory.contains(".jetty.")) {
      return "Jetty";
    }
    return factory;
  }

  private static void logOnce(String backend, String message) {
    if (LOGGED.add(backend)) {
      LOG.log(System.Logger.Level.INFO, message);
    }
  }
}
