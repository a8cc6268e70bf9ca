package dev.lifeline.bench;

import dev.lifeline.client.Informer;
import dev.lifeline.client.KubeClient;
import dev.lifeline.client.KubeConfig;
import dev.lifeline.client.Projection;
import dev.lifeline.client.ResourceType;
import dev.lifeline.client.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodList;
import io.kubernetes.client.util.ClientBuilder;
import java.io.StringReader;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One measurement in its own JVM: connects one client to the fake, measures the live heap, starts
 * an informer on the pods, waits until it holds them all, and measures again. Prints one {@code
 * RESULT} line for {@link InformerMemoryBenchmark}, which starts it; not meant to be run by hand.
 *
 * <p>Arguments: the client ({@code lifeline}, {@code fabric8}, {@code kubernetes-java}), the
 * kubeconfig file, the namespace, the number of pods to expect.
 */
public final class InformerScenario {
  private static final Duration SYNC_TIMEOUT = Duration.ofMinutes(5);

  private InformerScenario() {}

  /** A running informer: how many objects it holds, and what to close. */
  private interface Running extends AutoCloseable {
    int size();

    @Override
    void close();
  }

  /** Connects and starts informers of one client. */
  private interface Contender {
    /**
     * Connects (and makes one request, so that connections and lazy state exist before the
     * baseline).
     */
    void connect(String kubeconfig, String namespace) throws Exception;

    /** Starts the informer and returns once it has synced. */
    Running inform(String namespace) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    String which = args[0];
    String kubeconfig = Files.readString(Path.of(args[1]));
    String namespace = args[2];
    int expected = Integer.parseInt(args[3]);
    Contender contender =
        switch (which) {
          case "lifeline" -> new Lifeline(Path.of(args[1]), true);
          case "lifeline-list" -> new Lifeline(Path.of(args[1]), false);
          case "fabric8" -> new Fabric8();
          case "kubernetes-java" -> new KubernetesJava();
          default -> throw new IllegalArgumentException("unknown client " + which);
        };
    contender.connect(kubeconfig, namespace);
    long baseline = HeapMeter.usedAfterFullGc();
    long start = System.nanoTime();
    Running running = contender.inform(namespace);
    long deadline = System.nanoTime() + SYNC_TIMEOUT.toNanos();
    while (running.size() < expected) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            which + " held " + running.size() + " of " + expected + " pods");
      }
      Thread.onSpinWait();
    }
    long syncNanos = System.nanoTime() - start;
    long retained = HeapMeter.usedAfterFullGc() - baseline;
    System.out.printf(
        Locale.ROOT,
        "RESULT client=%s items=%d retainedBytes=%d syncMillis=%d%n",
        which,
        running.size(),
        retained,
        TimeUnit.NANOSECONDS.toMillis(syncNanos));
    System.out.flush();
    Reference.reachabilityFence(running);
    running.close();
    System.exit(0);
  }

  /** The light client with the benchmark's projection. */
  private static final class Lifeline implements Contender {
    private final Path kubeconfig;
    private final boolean watchList;
    private KubeClient client;

    Lifeline(Path kubeconfig, boolean watchList) {
      this.kubeconfig = kubeconfig;
      this.watchList = watchList;
    }

    @Override
    public void connect(String text, String namespace) {
      client = KubeClient.builder(KubeConfig.loader().kubeconfig(kubeconfig).load()).build();
      client.get(ResourceType.NAMESPACE, null, namespace);
    }

    @Override
    public Running inform(String namespace) throws InterruptedException {
      ResourceType<Pod> pods =
          ResourceType.POD.withProjection(
              Projection.of("metadata.labels", "spec.nodeName", "status.podIP", "status.phase"));
      Informer<Pod> informer =
          client.informer(pods).namespace(namespace).watchList(watchList).start();
      if (!informer.awaitSynced(SYNC_TIMEOUT)) {
        throw new IllegalStateException("the light client's informer did not sync");
      }
      return new Running() {
        @Override
        public int size() {
          return informer.store().size();
        }

        @Override
        public void close() {
          informer.close();
          client.close();
        }
      };
    }
  }

  /** fabric8's SharedIndexInformer with its default HTTP client. */
  private static final class Fabric8 implements Contender {
    private KubernetesClient client;

    @Override
    public void connect(String kubeconfig, String namespace) {
      client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
      client.namespaces().withName(namespace).get();
    }

    @Override
    public Running inform(String namespace) {
      SharedIndexInformer<io.fabric8.kubernetes.api.model.Pod> informer =
          client
              .pods()
              .inNamespace(namespace)
              .inform(
                  new ResourceEventHandler<io.fabric8.kubernetes.api.model.Pod>() {
                    @Override
                    public void onAdd(io.fabric8.kubernetes.api.model.Pod pod) {}

                    @Override
                    public void onUpdate(
                        io.fabric8.kubernetes.api.model.Pod oldPod,
                        io.fabric8.kubernetes.api.model.Pod newPod) {}

                    @Override
                    public void onDelete(
                        io.fabric8.kubernetes.api.model.Pod pod, boolean unknown) {}
                  });
      return new Running() {
        @Override
        public int size() {
          return informer.getStore().list().size();
        }

        @Override
        public void close() {
          informer.close();
          client.close();
        }
      };
    }
  }

  /** kubernetes-client/java's SharedIndexInformer. */
  private static final class KubernetesJava implements Contender {
    private ApiClient api;
    private CoreV1Api core;

    @Override
    public void connect(String kubeconfig, String namespace) throws Exception {
      api =
          ClientBuilder.kubeconfig(
                  io.kubernetes.client.util.KubeConfig.loadKubeConfig(new StringReader(kubeconfig)))
              .build();
      api.setHttpClient(api.getHttpClient().newBuilder().readTimeout(0, TimeUnit.SECONDS).build());
      core = new CoreV1Api(api);
      core.readNamespace(namespace).execute();
    }

    @Override
    public Running inform(String namespace) {
      SharedInformerFactory factory = new SharedInformerFactory(api);
      io.kubernetes.client.informer.SharedIndexInformer<V1Pod> informer =
          factory.sharedIndexInformerFor(
              params ->
                  core.listNamespacedPod(namespace)
                      .resourceVersion(params.resourceVersion)
                      .watch(params.watch)
                      .timeoutSeconds(params.timeoutSeconds)
                      .buildCall(null),
              V1Pod.class,
              V1PodList.class);
      factory.startAllRegisteredInformers();
      return new Running() {
        @Override
        public int size() {
          return informer.hasSynced() ? informer.getIndexer().list().size() : 0;
        }

        @Override
        public void close() {
          factory.stopAllRegisteredInformers();
        }
      };
    }
  }
}
