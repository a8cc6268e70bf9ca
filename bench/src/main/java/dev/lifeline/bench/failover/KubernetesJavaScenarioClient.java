package dev.lifeline.bench.failover;

import dev.lifeline.kubernetesjava.LifelineKubernetesJava;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ConfigMapList;
import io.kubernetes.client.util.CallGenerator;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * kubernetes-client/java 27 at its defaults ({@code ClientBuilder}: no read timeout, an HTTP/2 ping
 * every minute), its {@code SharedIndexInformer} for the watch; with an engine, wired by {@link
 * LifelineKubernetesJava#configure}, and the informer's list/watch from {@link
 * LifelineKubernetesJava#listerWatcher}, which resumes a broken watch instead of listing again.
 */
final class KubernetesJavaScenarioClient implements ScenarioClient {
  private final ScenarioSetup setup;
  private final ApiClient api;
  private final CoreV1Api core;
  private SharedInformerFactory factory;

  KubernetesJavaScenarioClient(ScenarioSetup setup) throws IOException {
    this.setup = setup;
    try (Reader reader = Files.newBufferedReader(setup.kubeconfig())) {
      api = ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(reader)).build();
    }
    api.setUserAgent(setup.userAgent());
    setup.engine().ifPresent(engine -> LifelineKubernetesJava.configure(api, engine));
    core = new CoreV1Api(api);
  }

  @Override
  public void get() throws Exception {
    core.readNamespacedConfigMap(setup.objectName(), setup.namespace()).execute();
  }

  @Override
  public void startWatch(DeliverySink sink, Duration timeout) throws TimeoutException {
    factory = new SharedInformerFactory(api);
    CallGenerator calls =
        params ->
            core.listNamespacedConfigMap(setup.namespace())
                .resourceVersion(params.resourceVersion)
                .watch(params.watch)
                .timeoutSeconds(params.timeoutSeconds)
                .buildCall(null);
    SharedIndexInformer<V1ConfigMap> informer =
        setup.engine().isPresent()
            ? factory.sharedIndexInformerFor(
                LifelineKubernetesJava.listerWatcher(
                    api, calls, V1ConfigMap.class, V1ConfigMapList.class),
                V1ConfigMap.class,
                0)
            : factory.sharedIndexInformerFor(calls, V1ConfigMap.class, V1ConfigMapList.class, 0);
    informer.addEventHandler(
        new ResourceEventHandler<V1ConfigMap>() {
          @Override
          public void onAdd(V1ConfigMap obj) {
            sink.delivered(
                'A', obj.getMetadata().getName(), obj.getMetadata().getResourceVersion());
          }

          @Override
          public void onUpdate(V1ConfigMap oldObj, V1ConfigMap newObj) {
            sink.delivered(
                'U', newObj.getMetadata().getName(), newObj.getMetadata().getResourceVersion());
          }

          @Override
          public void onDelete(V1ConfigMap obj, boolean deletedFinalStateUnknown) {
            sink.delivered(
                'D', obj.getMetadata().getName(), obj.getMetadata().getResourceVersion());
          }
        });
    factory.startAllRegisteredInformers();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!informer.hasSynced()) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(
            "kubernetes-client/java's informer did not sync within " + timeout);
      }
      LockSupport.parkNanos(10_000_000L);
    }
  }

  @Override
  public void close() {
    if (factory != null) {
      factory.stopAllRegisteredInformers();
    }
    api.getHttpClient().dispatcher().executorService().shutdownNow();
    api.getHttpClient().connectionPool().evictAll();
  }
}
