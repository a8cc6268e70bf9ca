package dev.lifeline.bench.failover;

import dev.lifeline.client.Informer;
import dev.lifeline.client.KubeClient;
import dev.lifeline.client.KubeConfig;
import dev.lifeline.client.ResourceHandler;
import dev.lifeline.client.ResourceType;
import dev.lifeline.client.model.ConfigMap;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Lifeline's light client at its defaults; with an engine, wired by {@link
 * dev.lifeline.failover.FailoverEngine#configure}.
 */
final class LightScenarioClient implements ScenarioClient {
  private final ScenarioSetup setup;
  private final KubeClient client;
  private Informer<ConfigMap> informer;

  LightScenarioClient(ScenarioSetup setup) {
    this.setup = setup;
    KubeClient.Builder builder = KubeClient.builder(loadConfig(setup)).userAgent(setup.userAgent());
    setup.engine().ifPresent(engine -> engine.configure(builder));
    this.client = builder.build();
  }

  /** The kubeconfig as the light client (and the engine) read it, ignoring the environment. */
  static KubeConfig loadConfig(ScenarioSetup setup) {
    return KubeConfig.loader().environment(Map.of()).kubeconfig(setup.kubeconfig()).load();
  }

  @Override
  public void get() {
    client.get(ResourceType.CONFIG_MAP, setup.namespace(), setup.objectName());
  }

  @Override
  public void startWatch(DeliverySink sink, Duration timeout)
      throws InterruptedException, TimeoutException {
    informer =
        client
            .informer(ResourceType.CONFIG_MAP)
            .namespace(setup.namespace())
            .handler(
                new ResourceHandler<ConfigMap>() {
                  @Override
                  public void onAdd(ConfigMap object, boolean isInInitialList) {
                    sink.delivered('A', object.name(), object.metadata().resourceVersion());
                  }

                  @Override
                  public void onUpdate(ConfigMap oldObject, ConfigMap newObject) {
                    sink.delivered('U', newObject.name(), newObject.metadata().resourceVersion());
                  }

                  @Override
                  public void onDelete(ConfigMap object, boolean finalStateUnknown) {
                    sink.delivered('D', object.name(), object.metadata().resourceVersion());
                  }
                })
            .start();
    if (!informer.awaitSynced(timeout)) {
      throw new TimeoutException("the light client's informer did not sync within " + timeout);
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
