package dev.lifeline.bench.failover;

import dev.lifeline.client.KubeConfig;
import dev.lifeline.failover.EndpointState;
import dev.lifeline.failover.EndpointStatus;
import dev.lifeline.failover.FailoverConfig;
import dev.lifeline.failover.FailoverEngine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * The scenario client JVM: starts one client of one configuration, reads a ConfigMap every {@link
 * #GET_INTERVAL} (one GET at a time), holds a watch on the namespace's ConfigMaps, and writes every
 * GET, every delivered change and every engine event to standard output as {@link ClientRecord}
 * lines. Reads commands from standard input: {@code status} (the engine's endpoint states) and
 * {@code quit}; end of input also quits. Started by {@link ClientProcess}; not meant to be run by
 * hand.
 *
 * <p>Arguments, as {@code key=value}: {@code configuration}, {@code kubeconfig}, {@code namespace},
 * {@code object}, {@code userAgent}.
 */
public final class ScenarioClientMain {
  /**
   * The pace of the GET loop: a GET starts this long after the previous one started, or when it
   * ends if later.
   */
  static final Duration GET_INTERVAL = Duration.ofMillis(50);

  private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(60);

  private final PrintStream out;
  private volatile boolean running = true;

  private ScenarioClientMain(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    ScenarioClientMain main =
        new ScenarioClientMain(new PrintStream(System.out, false, StandardCharsets.UTF_8));
    main.write(new ClientRecord.Clock(System.nanoTime()));
    int exit = 0;
    try {
      main.run(arguments(args));
    } catch (Throwable t) {
      main.write(new ClientRecord.Fatal(describe(t)));
      exit = 1;
    }
    System.exit(exit);
  }

  private static Map<String, String> arguments(String[] args) {
    Map<String, String> map = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("arguments are key=value, got '" + arg + "'");
      }
      map.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    for (String key : List.of("configuration", "kubeconfig", "namespace", "object", "userAgent")) {
      if (!map.containsKey(key)) {
        throw new IllegalArgumentException("missing argument " + key + "=...");
      }
    }
    return map;
  }

  private void run(Map<String, String> args) throws Exception {
    Configuration configuration = Configuration.byId(args.get("configuration"));
    ScenarioSetup bare =
        new ScenarioSetup(
            Path.of(args.get("kubeconfig")),
            args.get("namespace"),
            args.get("object"),
            args.get("userAgent"),
            Optional.empty());
    FailoverEngine engine = configuration.lifeline() ? startEngine(configuration, bare) : null;
    if (engine != null && configuration.awaitsDiscovery()) {
      awaitEndpointsUp(engine);
    }
    ScenarioSetup setup =
        new ScenarioSetup(
            bare.kubeconfig(),
            bare.namespace(),
            bare.objectName(),
            bare.userAgent(),
            Optional.ofNullable(engine));
    try (ScenarioClient client = configuration.client().open(setup)) {
      client.startWatch(
          (type, name, rv) ->
              write(new ClientRecord.Delivery(System.nanoTime(), type, name, parseVersion(rv))),
          SYNC_TIMEOUT);
      Thread loop = Thread.ofPlatform().name("failover-bench-get").start(() -> getLoop(client));
      write(new ClientRecord.Ready(System.nanoTime()));
      commands(engine);
      running = false;
      loop.interrupt();
      loop.join(Duration.ofSeconds(5));
    } finally {
      if (engine != null) {
        engine.close();
      }
    }
  }

  private FailoverEngine startEngine(Configuration configuration, ScenarioSetup setup) {
    KubeConfig kubeConfig = LightScenarioClient.loadConfig(setup);
    FailoverConfig.Builder builder =
        FailoverConfig.builder(kubeConfig).listener(new EngineEventPrinter(this::write));
    if (configuration.client().isNameLevel()) {
      // The engine's own seed lookups must not go through the provider it feeds.
      builder.seedResolver(NameLevelSeed.resolver());
    }
    return FailoverEngine.start(builder.build());
  }

  /** Waits until the engine knows endpoints and every one is up. */
  private static void awaitEndpointsUp(FailoverEngine engine) {
    long deadline = System.nanoTime() + SYNC_TIMEOUT.toNanos();
    while (true) {
      List<EndpointStatus> endpoints = engine.endpoints();
      if (!endpoints.isEmpty() && endpoints.stream().allMatch(s -> s.state() == EndpointState.UP)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the engine did not have every endpoint up within "
                + SYNC_TIMEOUT.toSeconds()
                + " s: "
                + endpoints);
      }
      LockSupport.parkNanos(10_000_000L);
    }
  }

  private void getLoop(ScenarioClient client) {
    long interval = GET_INTERVAL.toNanos();
    while (running) {
      long start = System.nanoTime();
      boolean ok;
      String detail = "";
      try {
        client.get();
        ok = true;
      } catch (Throwable t) {
        ok = false;
        detail = describe(t);
      }
      long end = System.nanoTime();
      write(new ClientRecord.Get(start, end, ok, detail));
      long next = start + interval;
      while (running && System.nanoTime() < next) {
        LockSupport.parkNanos(next - System.nanoTime());
      }
    }
  }

  private void commands(FailoverEngine engine) throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      switch (line.strip()) {
        case "status" -> write(status(engine));
        case "quit" -> {
          return;
        }
        default -> write(new ClientRecord.Fatal("unknown command '" + line + "'"));
      }
    }
  }

  private static ClientRecord status(FailoverEngine engine) {
    if (engine == null) {
      return new ClientRecord.EndpointStates(System.nanoTime(), 0, "");
    }
    List<EndpointStatus> endpoints = engine.endpoints();
    int up = (int) endpoints.stream().filter(s -> s.state() == EndpointState.UP).count();
    return new ClientRecord.EndpointStates(
        System.nanoTime(),
        up,
        endpoints.stream()
            .map(s -> s.endpoint() + "=" + s.state() + "/" + s.connections())
            .collect(Collectors.joining(",")));
  }

  private synchronized void write(ClientRecord record) {
    out.println(record.format());
    out.flush();
  }

  private static long parseVersion(String rv) {
    try {
      return Long.parseLong(rv);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The exception and its causes, one line: what a failed request looked like to the client. */
  static String describe(Throwable t) {
    StringBuilder text = new StringBuilder();
    for (Throwable c = t; c != null && text.length() < 300; c = c.getCause()) {
      if (!text.isEmpty()) {
        text.append(" <- ");
      }
      text.append(c.getClass().getSimpleName());
      if (c.getMessage() != null) {
        text.append(": ").append(c.getMessage());
      }
    }
    return text.toString();
  }
}
