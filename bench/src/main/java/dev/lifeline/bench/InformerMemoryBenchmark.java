package dev.lifeline.bench;

import dev.lifeline.testkit.FakeControlPlane;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The memory scenario: 10,000 realistic pods (3 to 5 KB of JSON each) on the fake control plane,
 * watched by an informer of each client in its own JVM, keeping name, namespace, labels, node name,
 * pod IP and phase. Reports the heap each informer retains once synced and the time it took to
 * sync, with ratios against fabric8.
 *
 * <p>Run it from the repository root:
 *
 * <pre>
 * export JAVA_HOME=$(bin/find-jdk)
 * ./mvnw -B -ntp -pl bench -am package -DskipTests
 * $JAVA_HOME/bin/java -cp bench/target/classes:$(cat bench/target/classpath.txt) \
 *     dev.lifeline.bench.InformerMemoryBenchmark [pods] [runs]
 * </pre>
 *
 * <p>Defaults: 10,000 pods, 3 runs per client (the median is reported). Each measurement JVM runs
 * with the serial collector, so that forced full collections leave exactly the reachable heap; the
 * retained heap is the used heap after full collections with the informer synced minus the same
 * before it started, with the client already connected (so the transport is not counted, only what
 * the informer holds).
 */
public final class InformerMemoryBenchmark {
  private static final String NAMESPACE = "bench";
  private static final List<String> CLIENTS =
      List.of("fabric8", "kubernetes-java", "lifeline", "lifeline-list");
  private static final Pattern RESULT =
      Pattern.compile("RESULT client=(\\S+) items=(\\d+) retainedBytes=(-?\\d+) syncMillis=(\\d+)");

  private InformerMemoryBenchmark() {}

  /** One measurement. */
  record Result(String client, int items, long retainedBytes, long syncMillis) {}

  public static void main(String[] args) throws Exception {
    int pods = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    try (FakeControlPlane cp =
        FakeControlPlane.builder().ephemeralPort().instances(1).identityLeases(false).start()) {
      cp.store()
          .create(
              "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\""
                  + NAMESPACE
                  + "\"}}");
      long jsonBytes = 0;
      for (int i = 0; i < pods; i++) {
        String pod = RealisticPods.pod(NAMESPACE, i);
        jsonBytes += pod.getBytes(StandardCharsets.UTF_8).length;
        cp.store().create(pod);
      }
      Path kubeconfig = Files.createTempFile("lifeline-bench", ".kubeconfig");
      cp.kubeconfig().writeTo(kubeconfig);
      System.out.printf(
          Locale.ROOT,
          "%d pods, %.1f KB of JSON each on average (as created; the store adds metadata)%n",
          pods,
          jsonBytes / 1024.0 / pods);
      Map<String, List<Result>> results = new LinkedHashMap<>();
      for (int run = 0; run < runs; run++) {
        for (String client : CLIENTS) {
          Result r = measure(client, kubeconfig, pods);
          System.out.printf(
              Locale.ROOT,
              "run %d %-16s %6.1f MB retained  %6d ms to sync%n",
              run + 1,
              client,
              r.retainedBytes() / 1e6,
              r.syncMillis());
          results.computeIfAbsent(client, k -> new ArrayList<>()).add(r);
        }
      }
      Files.deleteIfExists(kubeconfig);
      report(results, pods);
    }
  }

  private static Result measure(String client, Path kubeconfig, int pods)
      throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        List.of(
            java,
            "-XX:+UseSerialGC",
            "-Xms256m",
            "-Xmx2g",
            "-cp",
            System.getProperty("java.class.path"),
            InformerScenario.class.getName(),
            client,
            kubeconfig.toString(),
            NAMESPACE,
            Integer.toString(pods));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    Result result = null;
    StringBuilder output = new StringBuilder();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        Matcher m = RESULT.matcher(line);
        if (m.matches()) {
          result =
              new Result(
                  m.group(1),
                  Integer.parseInt(m.group(2)),
                  Long.parseLong(m.group(3)),
                  Long.parseLong(m.group(4)));
        } else {
          output.append(line).append('\n');
        }
      }
    }
    int exit = process.waitFor();
    if (result == null || exit != 0) {
      throw new IllegalStateException(client + " failed (exit " + exit + "):\n" + output);
    }
    return result;
  }

  private static Result median(List<Result> runs) {
    List<Result> byHeap = new ArrayList<>(runs);
    byHeap.sort((a, b) -> Long.compare(a.retainedBytes(), b.retainedBytes()));
    List<Result> bySync = new ArrayList<>(runs);
    bySync.sort((a, b) -> Long.compare(a.syncMillis(), b.syncMillis()));
    Result heap = byHeap.get(byHeap.size() / 2);
    Result sync = bySync.get(bySync.size() / 2);
    return new Result(heap.client(), heap.items(), heap.retainedBytes(), sync.syncMillis());
  }

  private static void report(Map<String, List<Result>> results, int pods) {
    Result fabric8 = median(results.get("fabric8"));
    System.out.println();
    System.out.println(
        "| client | retained heap | per pod | vs fabric8 | time to sync | vs fabric8 |");
    System.out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
    for (String client : CLIENTS) {
      Result r = median(results.get(client));
      System.out.printf(
          Locale.ROOT,
          "| %s | %.1f MB | %,d B | %.0f %% | %,d ms | %.2f× |%n",
          client,
          r.retainedBytes() / 1e6,
          r.retainedBytes() / pods,
          100.0 * r.retainedBytes() / fabric8.retainedBytes(),
          r.syncMillis(),
          (double) r.syncMillis() / fabric8.syncMillis());
    }
    Result light = median(results.get("lifeline"));
    boolean heapOk = light.retainedBytes() <= fabric8.retainedBytes() / 5;
    boolean syncOk = light.syncMillis() <= fabric8.syncMillis();
    System.out.printf(
        Locale.ROOT,
        "%ntargets: retained heap at most 20 %% of fabric8's: %s; sync no slower than fabric8's: %s%n",
        heapOk ? "met" : "MISSED",
        syncOk ? "met" : "MISSED");
  }
}
