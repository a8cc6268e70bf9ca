package dev.lifeline.kubernetesjava;

import dev.lifeline.failover.FailoverEngine;
import dev.lifeline.kubernetesjava.internal.CallListerWatcher;
import dev.lifeline.kubernetesjava.internal.ResumingListerWatcher;
import dev.lifeline.kubernetesjava.internal.ResumingWatch;
import dev.lifeline.okhttp.LifelineOkHttp;
import io.kubernetes.client.common.KubernetesListObject;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.informer.ListerWatcher;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.CallGenerator;
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
 *
 * <p>kubernetes-client/java's informers list everything again whenever a watch breaks, even when it
 * could resume: the changes made in between reach the handlers folded into one update, and every
 * unchanged object is delivered a second time. Give the informer a {@link #listerWatcher} (or wrap
 * yours with {@link #resumingWatches}) and a broken watch resumes from its last resourceVersion, as
 * client-go's reflector does, so a failover loses and repeats nothing:
 *
 * <pre>{@code
 * SharedIndexInformer<V1Pod> pods =
 *     factory.sharedIndexInformerFor(
 *         LifelineKubernetesJava.listerWatcher(
 *             client,
 *             params -> core.listNamespacedPod(ns)
 *                 .resourceVersion(params.resourceVersion)
 *                 .watch(params.watch)
 *                 .timeoutSeconds(params.timeoutSeconds)
 *                 .buildCall(null),
 *             V1Pod.class,
 *             V1PodList.class),
 *         V1Pod.class,
 *         0);
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

  /**
   * The {@link ListerWatcher} that {@code
   * SharedInformerFactory.sharedIndexInformerFor(CallGenerator, ...)} would build from {@code
   * calls}, with watches that {@link #resumingWatches resume} when their stream breaks. Pass it to
   * {@code sharedIndexInformerFor(ListerWatcher, Class, long)}. Watches run on {@code client}'s
   * OkHttp client without a read timeout; lists keep the client's.
   */
  public static <T extends KubernetesObject, L extends KubernetesListObject>
      ListerWatcher<T, L> listerWatcher(
          ApiClient client, CallGenerator calls, Class<T> type, Class<L> listType) {
    return resumingWatches(new CallListerWatcher<>(client, calls, type, listType));
  }

  /**
   * Wraps {@code listerWatcher} so that a watch whose stream breaks (a reset, a connection the
   * engine closed because its apiserver died, a GOAWAY) is opened again from the last
   * resourceVersion it delivered, at once, then with a backoff from 100 ms to 5 s while the
   * apiserver cannot be reached or answers 429 or 5xx. Other failures, and a 410 Expired, still
   * reach kubernetes-client/java's reflector, which lists again as before.
   */
  public static <T extends KubernetesObject, L extends KubernetesListObject>
      ListerWatcher<T, L> resumingWatches(ListerWatcher<T, L> listerWatcher) {
    Objects.requireNonNull(listerWatcher, "listerWatcher");
    if (listerWatcher instanceof ResumingListerWatcher) {
      return listerWatcher;
    }
    return new ResumingListerWatcher<>(listerWatcher, ResumingWatch.Backoff.standard());
  }

  private static String strip(String host) {
    String h =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    return h.toLowerCase(Locale.ROOT);
  }
}
