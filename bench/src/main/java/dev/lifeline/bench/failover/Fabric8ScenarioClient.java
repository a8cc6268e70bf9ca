package dev.lifeline.bench.failover;

import dev.lifeline.fabric8.LifelineFabric8;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * fabric8 7.8 at its defaults with a given HTTP backend; with an engine, wired by {@link
 * LifelineFabric8#clientBuilder(dev.lifeline.failover.FailoverEngine, Config, HttpClient.Factory)}.
 */
final class Fabric8ScenarioClient implements ScenarioClient {
  private final ScenarioSetup setup;
  private final KubernetesClient client;
  private SharedIndexInformer<ConfigMap> informer;

  Fabric8ScenarioClient(ScenarioSetup setup, HttpClient.Factory backend) throws IOException {
    this.setup = setup;
    Config config = Config.fromKubeconfig(Files.readString(setup.kubeconfig()));
    config.setUserAgent(setup.userAgent());
    KubernetesClientBuilder builder =
        setup.engine().isPresent()
            ? LifelineFabric8.clientBuilder(setup.engine().get(), config, backend)
            : new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(backend);
    this.client = builder.build();
  }

  @Override
  public void get() {
    ConfigMap found =
        client.configMaps().inNamespace(setup.namespace()).withName(setup.objectName()).get();
    if (found == null) {
      throw new IllegalStateException("fabric8 answered null: 404 for " + setup.objectName());
    }
  }

  @Override
  public void startWatch(DeliverySink sink, Duration timeout) throws TimeoutException {
    informer =
        client
            .configMaps()
            .inNamespace(setup.namespace())
            .inform(
                new ResourceEventHandler<ConfigMap>() {
                  @Override
                  public void onAdd(ConfigMap obj) {
                    sink.delivered(
                        'A', obj.getMetadata().getName(), obj.getMetadata().getResourceVersion());
                  }

                  @Override
                  public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
                    sink.delivered(
                        'U',
                        newObj.getMetadata().getName(),
                        newObj.getMetadata().getResourceVersion());
                  }

                  @Override
                  public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
                    sink.delivered(
                        'D', obj.getMetadata().getName(), obj.getMetadata().getResourceVersion());
                  }
                },
                0);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!informer.hasSynced()) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("fabric8's informer did not sync within " + timeout);
      }
      LockSupport.parkNanos(10_000_000L);
    }
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
    client.close();
  }
}
