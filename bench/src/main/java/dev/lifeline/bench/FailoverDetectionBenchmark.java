package dev.lifeline.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeline.client.KubeClient;
import dev.lifeline.client.KubeConfig;
import dev.lifeline.client.ListOptions;
import dev.lifeline.client.ResourceType;
import dev.lifeline.client.model.ConfigMap;
import dev.lifeline.failover.Endpoint;
import dev.lifeline.failover.EndpointState;
import dev.lifeline.failover.EndpointStatus;
import dev.lifeline.failover.FailoverConfig;
import dev.lifeline.failover.FailoverEngine;
import dev.lifeline.failover.FailoverListener;
import dev.lifeline.testkit.ApiServerInstance;
import dev.lifeline.testkit.DropMode;
import dev.lifeline.testkit.FakeControlPlane;
import dev.lifeline.testkit.Fault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The failover engine's failure detector against three fake apiservers, with the engine's defaults:
 * how fast it knows a blackholed apiserver is dead, and how often it declares a healthy one down
 * while the machine is loaded.
 *
 * <p>Run it from the repository root, as root (the blackholes are real {@code iptables} drops):
 *
 * <pre>
 * export JAVA_HOME=$(bin/find-jdk)
 * ./mvnw -B -ntp -pl bench -am package -DskipTests
 * $JAVA_HOME/bin/java -cp bench/target/classes:$(cat bench/target/classpath.txt) \
 *     dev.lifeline.bench.FailoverDetectionBenchmark blackhole [--runs 50] [load options]
 * $JAVA_HOME/bin/java -cp bench/target/classes:$(cat bench/target/classpath.txt) \
 *     dev.lifeline.bench.FailoverDetectionBenchmark false-down [--minutes 5] [load options]
 * </pre>
 *
 * <p>{@code blackhole}: per run, a new engine and a light client through it (one read, so the
 * engine watches the apiserver the client uses); after a random delay of up to one PING interval,
 * that apiserver is blackholed; the time from the drop rule to the engine's {@code endpointDown} is
 * one sample. Prints each sample and the percentiles.
 *
 * <p>{@code false-down}: one engine and a light client through it that reads every 100 ms and
 * watches ConfigMaps that change every 100 ms, against apiservers that stay healthy; counts the
 * engine's {@code endpointDown} events (each is a false verdict, evicting healthy connections).
 *
 * <p>Load options (this JVM runs the fake apiservers too, as {@code lifeline demo} does): {@code
 * --spinners N} threads spinning on the CPU, {@code --live-set-mb M} retained small objects with
 * allocation churn, {@code --gc-every-ms T} explicit full collections, {@code --cpu-quota P} a CFS
 * quota of P ms per 100 ms on the whole process (root, cgroup {@code cpu} controller).
 */
public final class FailoverDetectionBenchmark {
  private static final String AGENT = "failover-detection-bench";
  private static final Duration READY = Duration.ofSeconds(30);

  private FailoverDetectionBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !List.of("blackhole", "false-down").contains(args[0])) {
      System.err.println(
          "usage: FailoverDetectionBenchmark blackhole|false-down [--runs N] [--minutes M]"
              + " [--spinners N] [--live-set-mb M] [--gc-every-ms T] [--cpu-quota P]");
      System.exit(2);
    }
    Map<String, String> options = options(args);
    // The engine's own log lines (System.Logger, so java.util.logging here) would bury the results;
    // the listener sees every verdict.
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.OFF);
    MachineLoad.Settings load =
        new MachineLoad.Settings(
            Integer.parseInt(options.getOrDefault("--spinners", "0")),
            Integer.parseInt(options.getOrDefault("--live-set-mb", "0")),
            options.containsKey("--gc-every-ms")
                ? Duration.ofMillis(Long.parseLong(options.get("--gc-every-ms")))
                : null,
            Integer.parseInt(options.getOrDefault("--cpu-quota", "0")));
    try (FakeControlPlane cp =
        FakeControlPlane.builder()
            .instances(3)
            .ephemeralPort()
            .endpointLease(Duration.ofSeconds(3), Duration.ofMillis(500))
            .start()) {
      Path kubeconfig = Files.createTempFile("lifeline-bench", ".kubeconfig");
      try {
        cp.kubeconfig().writeTo(kubeconfig);
        KubeConfig kubeConfig =
            KubeConfig.loader().environment(Map.of()).kubeconfig(kubeconfig).load();
        if (args[0].equals("blackhole")) {
          blackholes(cp, kubeConfig, Integer.parseInt(options.getOrDefault("--runs", "50")), load);
        } else {
          falseDowns(
              cp,
              kubeConfig,
              Duration.ofMinutes(Long.parseLong(options.getOrDefault("--minutes", "5"))),
              load);
        }
      } finally {
        Files.deleteIfExists(kubeconfig);
      }
    }
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new java.util.HashMap<>();
    for (int i = 1; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(args[i] + " needs a value");
      }
      options.put(args[i], args[i + 1]);
    }
    return options;
  }

  // ---- blackhole detection

  private static void blackholes(
      FakeControlPlane cp, KubeConfig kubeConfig, int runs, MachineLoad.Settings load)
      throws Exception {
    System.out.printf(Locale.ROOT, "blackhole detection, %d runs, %s%n", runs, load);
    List<Long> samples = new ArrayList<>();
    int missed = 0;
    try (MachineLoad machine = MachineLoad.start(load)) {
      for (int run = 1; run <= runs; run++) {
        awaitOrFail(() -> cp.endpointAddresses().size() == 3, "all three apiservers listed");
        Recorder events = new Recorder();
        try (FailoverEngine engine =
                FailoverEngine.start(FailoverConfig.builder(kubeConfig).listener(events).build());
            KubeClient client =
                engine.configure(KubeClient.builder(kubeConfig)).userAgent(AGENT).build()) {
          awaitOrFail(() -> allUp(engine), "every endpoint up");
          client.list(ResourceType.NAMESPACE, ListOptions.all());
          ApiServerInstance victim = cp.instanceUsedBy(AGENT).orElseThrow();
          Endpoint target = new Endpoint(victim.address(), victim.port());
          Thread.sleep(ThreadLocalRandom.current().nextLong(250));
          victim.inject(Fault.blackhole(DropMode.REAL_DROPS_REQUIRED));
          long blackholed = System.nanoTime();
          long deadline = blackholed + TimeUnit.SECONDS.toNanos(10);
          Long down = null;
          while (down == null && System.nanoTime() < deadline) {
            down = events.downAfter(target, blackholed);
            if (down == null) {
              Thread.sleep(5);
            }
          }
          if (down == null) {
            missed++;
            System.out.printf(Locale.ROOT, "run %d: %s not detected within 10 s%n", run, target);
          } else {
            long millis = TimeUnit.NANOSECONDS.toMillis(down - blackholed);
            samples.add(millis);
            System.out.printf(
                Locale.ROOT,
                "run %d: blackhole of %s detected in %d ms (%s)%n",
                run,
                target,
                millis,
                events.reasonOf(target));
          }
          victim.restore();
        }
      }
      System.out.println(machine.collections());
    }
    System.out.printf(
        Locale.ROOT,
        "RESULT blackhole runs=%d missed=%d min=%d p50=%d p90=%d p99=%d max=%d (ms)%n",
        runs,
        missed,
        percentile(samples, 0),
        percentile(samples, 50),
        percentile(samples, 90),
        percentile(samples, 99),
        percentile(samples, 100));
  }

  /** Nearest-rank percentile of {@code samples}, or -1 when there are none. */
  static long percentile(List<Long> samples, int percent) {
    if (samples.isEmpty()) {
      return -1;
    }
    List<Long> sorted = samples.stream().sorted().toList();
    int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  // ---- false downs

  private static void falseDowns(
      FakeControlPlane cp, KubeConfig kubeConfig, Duration duration, MachineLoad.Settings load)
      throws Exception {
    System.out.printf(
        Locale.ROOT,
        "false downs, %d min against healthy apiservers, %s%n",
        duration.toMinutes(),
        load);
    String namespace = "bench";
    cp.store()
        .create(
            "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\""
                + namespace
                + "\"}}");
    for (int i = 0; i < 5; i++) {
      cp.store().create(configMap(namespace, i));
    }
    awaitOrFail(() -> cp.endpointAddresses().size() == 3, "all three apiservers listed");
    Recorder events = new Recorder();
    AtomicLong reads = new AtomicLong();
    AtomicLong failedReads = new AtomicLong();
    AtomicLong watched = new AtomicLong();
    ScheduledExecutorService loops = Executors.newScheduledThreadPool(2);
    try (FailoverEngine engine =
            FailoverEngine.start(FailoverConfig.builder(kubeConfig).listener(events).build());
        KubeClient client =
            engine.configure(KubeClient.builder(kubeConfig)).userAgent(AGENT).build()) {
      awaitOrFail(() -> allUp(engine), "every endpoint up");
      var informer =
          client
              .informer(ResourceType.CONFIG_MAP)
              .namespace(namespace)
              .handler(
                  new dev.lifeline.client.ResourceHandler<ConfigMap>() {
                    @Override
                    public void onUpdate(ConfigMap before, ConfigMap after) {
                      watched.incrementAndGet();
                    }
                  })
              .start();
      AtomicLong version = new AtomicLong();
      loops.scheduleAtFixedRate(
          () -> {
            long v = version.incrementAndGet();
            String name = "bench-" + (v % 5);
            try {
              ObjectNode object = cp.store().get("v1", "ConfigMap", namespace, name).orElseThrow();
              ((ObjectNode) object.get("data")).put("version", Long.toString(v));
              cp.store().update(object);
            } catch (RuntimeException e) {
              System.out.println("writer: " + e);
            }
          },
          100,
          100,
          TimeUnit.MILLISECONDS);
      loops.scheduleAtFixedRate(
          () -> {
            try {
              client.get(ResourceType.CONFIG_MAP, namespace, "bench-0");
              reads.incrementAndGet();
            } catch (RuntimeException e) {
              failedReads.incrementAndGet();
            }
          },
          100,
          100,
          TimeUnit.MILLISECONDS);
      long start = System.nanoTime();
      try (MachineLoad machine = MachineLoad.start(load)) {
        long end = start + duration.toNanos();
        long nextReport = start + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() < end) {
          Thread.sleep(200);
          if (System.nanoTime() >= nextReport) {
            System.out.printf(
                Locale.ROOT,
                "%d min: %d downs so far; %s%n",
                TimeUnit.NANOSECONDS.toMinutes(System.nanoTime() - start),
                events.downs().size(),
                machine.collections());
            nextReport += TimeUnit.MINUTES.toNanos(1);
          }
        }
        System.out.println(machine.collections());
      }
      loops.shutdownNow();
      informer.close();
      for (Recorder.Down down : events.downs()) {
        System.out.printf(
            Locale.ROOT,
            "  down at %6.1f s: %s: %s%n",
            (down.nanos() - start) / 1e9,
            down.endpoint(),
            down.reason());
      }
      System.out.printf(
          Locale.ROOT,
          "RESULT false-down minutes=%d downs=%d evictions=%d reads=%d failedReads=%d"
              + " watchEvents=%d%n",
          duration.toMinutes(),
          events.downs().size(),
          events.evictions(),
          reads.get(),
          failedReads.get(),
          watched.get());
    } finally {
      loops.shutdownNow();
    }
  }

  private static String configMap(String namespace, int index) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"bench-"
        + index
        + "\",\"namespace\":\""
        + namespace
        + "\"},\"data\":{\"version\":\"0\"}}";
  }

  // ---- common

  private static boolean allUp(FailoverEngine engine) {
    List<EndpointStatus> endpoints = engine.endpoints();
    return endpoints.size() == 3 && endpoints.stream().allMatch(s -> s.state() == EndpointState.UP);
  }

  private static void awaitOrFail(BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + READY.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not reached within " + READY.toSeconds() + " s: " + what);
      }
      Thread.sleep(20);
    }
  }

  /** The engine's down verdicts and evictions, with the time each arrived. */
  private static final class Recorder implements FailoverListener {
    record Down(long nanos, Endpoint endpoint, String reason) {}

    private final List<Down> downs = new CopyOnWriteArrayList<>();
    private final AtomicLong evictions = new AtomicLong();

    @Override
    public void endpointDown(Endpoint endpoint, String reason) {
      downs.add(new Down(System.nanoTime(), endpoint, reason));
    }

    @Override
    public void connectionsClosed(Endpoint endpoint, int count, CloseReason reason) {
      if (reason == CloseReason.EVICTED) {
        evictions.addAndGet(count);
      }
    }

    List<Down> downs() {
      return downs;
    }

    long evictions() {
      return evictions.get();
    }

    Long downAfter(Endpoint endpoint, long sinceNanos) {
      return downs.stream()
          .filter(d -> d.endpoint().equals(endpoint) && d.nanos() - sinceNanos >= 0)
          .map(Down::nanos)
          .findFirst()
          .orElse(null);
    }

    String reasonOf(Endpoint endpoint) {
      return downs.stream()
          .filter(d -> d.endpoint().equals(endpoint))
          .reduce((a, b) -> b)
          .map(Down::reason)
          .orElse("");
    }
  }
}
