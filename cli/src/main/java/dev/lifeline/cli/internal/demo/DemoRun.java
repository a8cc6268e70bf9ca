package dev.lifeline.cli.internal.demo;

import dev.lifeline.client.KubeClient;
import dev.lifeline.client.KubeConfig;
import dev.lifeline.client.ListOptions;
import dev.lifeline.client.ResourceType;
import dev.lifeline.failover.EndpointState;
import dev.lifeline.failover.EndpointStatus;
import dev.lifeline.failover.FailoverConfig;
import dev.lifeline.failover.FailoverEngine;
import dev.lifeline.testkit.ApiServerInstance;
import dev.lifeline.testkit.ClusterIpListener;
import dev.lifeline.testkit.DropMode;
import dev.lifeline.testkit.FakeControlPlane;
import dev.lifeline.testkit.Fault;
import dev.lifeline.testkit.RootRequirement;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * {@code lifeline demo}: the same light client twice on a fake three-apiserver control plane, one
 * wired to the failover engine and one not, through a blackhole and a reset.
 *
 * <h2>Why it is set up this way</h2>
 *
 * <ul>
 *   <li><b>The same client.</b> Both are {@link KubeClient}s built from the same kubeconfig file
 *       with the same (default) settings: HTTP/2 pings every 10 s, 10 s connect and 30 s read
 *       timeouts, retries of failed reads. One builder goes through {@code
 *       engine.configure(builder)}, which sets its name resolver and socket factory, and nothing
 *       else; the engine has its defaults too. Each client gets a distinct user agent so that the
 *       control plane's request logs say which apiserver answers which client.
 *   <li><b>Where they connect.</b> The kubeconfig names the {@code kubernetes} Service, served by
 *       the testkit's kube-proxy stand-in on loopback, as in-cluster clients use {@code
 *       https://10.96.0.1:443}: without Lifeline, each new connection goes to a random apiserver of
 *       the EndpointSlice, with no health checks, so a blackholed apiserver keeps receiving new
 *       connections until its lease expires and it leaves the slice; with Lifeline, the engine
 *       dials the endpoints itself (the connection level works for an IP host on another port). The
 *       faults target the apiserver the client with Lifeline uses, so the demo reconnects the other
 *       client until kube-proxy sends it to the same apiserver (and says how many connections that
 *       took); otherwise the comparison would be empty two times in three. If the engine leaves
 *       that apiserver during the warm-up without a fault (a late PING answer on a busy machine),
 *       the other client follows it the same way, at most twice.
 *   <li><b>The faults.</b> The apiserver the client with Lifeline uses is blackholed (real packet
 *       drops with iptables when root, else the testkit's user-space blackhole, and the timeline
 *       says which); after {@code --blackhole}, the apiserver it moved to is reset (every
 *       connection gets an RST, new connects are refused) while the first stays blackholed; after
 *       {@code --reset} both are restored, and {@code --settle} gives the other client time to come
 *       back. The control plane keeps kube-apiserver's endpoint lease (15 s), so a blackholed
 *       apiserver leaves the EndpointSlice when it would on a real cluster.
 *   <li><b>The load.</b> Each client sends a GET every 100 ms whether or not earlier ones were
 *       answered ({@link RequestLoop}), and holds an informer on ConfigMaps that a writer updates
 *       every 100 ms straight in the store ({@link ConfigMapWriter}); the store's own history is
 *       the reference for events lost or repeated ({@link WatchAudit}).
 * </ul>
 *
 * <p>Not thread-safe; run one at a time per JVM (faults use loopback addresses shared by the
 * machine; the port is free by default).
 */
public final class DemoRun {
  static final Duration REQUEST_INTERVAL = Duration.ofMillis(100);
  static final Duration WRITE_INTERVAL = Duration.ofMillis(100);
  static final int OBJECTS = 5;
  static final String NAMESPACE = "lifeline-demo";
  static final String AGENT_WITH = "demo-app/1.0 (failover: lifeline)";
  static final String AGENT_WITHOUT = "demo-app/1.0 (failover: none)";

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration CATCH_UP = Duration.ofSeconds(5);
  private static final Duration POLL = Duration.ofMillis(20);
  private static final Duration REALIGN_WARM_UP = Duration.ofSeconds(2);
  private static final int MAX_REALIGNMENTS = 2;
  private static final int MAX_CONNECTIONS = 25;
  private static final int WARM_UP_REQUESTS = 5;

  private final DemoSettings settings;
  private final PrintWriter out;
  private final LongSupplier nanoTime;
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private final List<FaultRecord> faults = new ArrayList<>();
  private Timeline timeline;
  private FakeControlPlane controlPlane;
  private ApiserverNames names;
  private DemoClient without;

  private DemoRun(DemoSettings settings, PrintWriter out, LongSupplier nanoTime) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.out = Objects.requireNonNull(out, "out");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
  }

  /**
   * Runs the demo, printing the introduction and the live timeline to {@code out}, and returns the
   * numbers for the summary. Everything it started is stopped before it returns, including iptables
   * rules.
   *
   * @throws DemoFailure when the demo cannot run (addresses or port taken, nothing reachable)
   * @throws InterruptedException when interrupted; everything is stopped first
   */
  public static DemoResult run(DemoSettings settings, PrintWriter out) throws InterruptedException {
    return new DemoRun(settings, out, System::nanoTime).run();
  }

  private DemoResult run() throws InterruptedException {
    DemoResult result;
    try {
      result = runPhases();
    } catch (RuntimeException | InterruptedException e) {
      closeAll(e);
      throw e;
    }
    closeAll(null);
    return result;
  }

  private DemoResult runPhases() throws InterruptedException {
    out.println(
        "lifeline demo: the same Kubernetes client with and without Lifeline, side by side");
    out.flush();
    timeline = new Timeline(out, nanoTime);
    controlPlane = startControlPlane();
    names = new ApiserverNames(controlPlane.instances());
    ConfigMapWriter writer =
        closeLater(new ConfigMapWriter(controlPlane.store(), NAMESPACE, OBJECTS, WRITE_INTERVAL));
    writer.createObjects();
    StoreHistory history = new StoreHistory(NAMESPACE, nanoTime);
    controlPlane.store().addListener(history);
    KubeConfig kubeConfig = writeKubeconfig();
    printSetup(kubeConfig);
    timeline.printHeadings();
    timeline.log(
        Actor.CONTROL_PLANE,
        controlPlane.instances().size()
            + " apiservers serving; the kubernetes EndpointSlice lists "
            + String.join(", ", controlPlane.endpointAddresses()));

    warmUpJvm(kubeConfig);
    writer.start();
    timeline.log(
        Actor.DEMO,
        "writer started: one change every "
            + Durations.text(WRITE_INTERVAL)
            + " to each of "
            + OBJECTS
            + " ConfigMaps in turn, straight to the store");

    FailoverEngine engine =
        closeLater(
            FailoverEngine.start(
                FailoverConfig.builder(kubeConfig)
                    .listener(new EngineEvents(timeline, names))
                    .build()));
    awaitOrFail(
        () -> allUp(engine, controlPlane.instances().size()),
        () ->
            "the failover engine did not see every apiserver up within "
                + READY_TIMEOUT.toSeconds()
                + " s; it sees "
                + engine.endpoints());
    DemoClient with =
        closeLater(
            new DemoClient(
                Actor.WITH_LIFELINE,
                AGENT_WITH,
                engine.configure(KubeClient.builder(kubeConfig)).userAgent(AGENT_WITH).build(),
                controlPlane,
                timeline,
                history,
                nanoTime));
    with.start();
    awaitOrFail(
        with::isReady,
        () ->
            "the client with Lifeline did not reach the fake control plane within "
                + READY_TIMEOUT.toSeconds()
                + " s (see the library log "
                + settings.logFile()
                + ")");
    resources.push(this::closeWithout);
    startWithoutOn(where(with, "the client with Lifeline"), kubeConfig, history);
    timeline.log(Actor.DEMO, "warm-up for " + Durations.text(settings.warmUp()));
    pause(settings.warmUp());
    for (int realign = 1;
        realign <= MAX_REALIGNMENTS && !onSameApiserver(with, without);
        realign++) {
      ApiServerInstance target = where(with, "the client with Lifeline");
      timeline.log(
          Actor.DEMO,
          "the client with Lifeline left for "
              + ApiserverNames.of(target)
              + " although no fault was injected (see the engine's lines above); connecting the"
              + " client without Lifeline again, so that both face the same fault");
      closeWithout();
      startWithoutOn(target, kubeConfig, history);
      pause(REALIGN_WARM_UP);
    }

    ApiServerInstance first = blackhole(with, without);
    pause(settings.blackhole());
    ApiServerInstance second = reset(with, first);
    pause(settings.reset());
    first.restore();
    second.restore();
    timeline.log(
        Actor.FAULT,
        "restored "
            + ApiserverNames.of(first)
            + " and "
            + ApiserverNames.of(second)
            + "; settling for "
            + Durations.text(settings.settle()));
    pause(settings.settle());

    with.stopRequests();
    without.stopRequests();
    long end = nanoTime.getAsLong();
    writer.stop();
    if (writer.failure() != null) {
      throw new DemoFailure(
          "the demo's writer could not update its ConfigMaps: " + writer.failure().getMessage(),
          writer.failure());
    }
    // The store's own view of the last change: the history hears of it on another thread.
    long lastChange =
        controlPlane.store().list("v1", "ConfigMap", NAMESPACE).stream()
            .mapToLong(o -> o.get("metadata").get("resourceVersion").asLong())
            .max()
            .orElse(0);
    timeline.log(
        Actor.DEMO,
        "stopped sending and writing; waiting up to "
            + Durations.text(CATCH_UP)
            + " for answers on their way and for the watches to catch up");
    await(
        () ->
            history.lastRv() >= lastChange
                && with.reachedRv() >= lastChange
                && without.reachedRv() >= lastChange
                && with.inFlight() == 0
                && without.inFlight() == 0,
        CATCH_UP);
    ClientResult withResult = with.result(faults, end);
    ClientResult withoutResult = without.result(faults, end);
    timeline.log(Actor.DEMO, "done");
    return new DemoResult(
        faults,
        withResult,
        withoutResult,
        nanoTime.getAsLong() - timeline.startNanos(),
        settings.logFile());
  }

  /**
   * Runs the TLS, HTTP/2 and JSON code a few times per apiserver with a throwaway client before the
   * engine starts, so that their one-time costs (class loading, TLS and cipher set-up, the first
   * interpreted runs) are paid before the engine's PINGs count. On a small machine those costs can
   * hold the fake apiservers' shared event-loop threads long enough for the engine to miss a PING
   * answer and leave a healthy apiserver.
   */
  private void warmUpJvm(KubeConfig kubeConfig) {
    for (ApiServerInstance instance : controlPlane.instances()) {
      KubeConfig direct = kubeConfig.toBuilder().server(instance.url().toString()).build();
      try (KubeClient client =
          KubeClient.builder(direct).userAgent("lifeline-demo-warm-up").build()) {
        for (int i = 0; i < WARM_UP_REQUESTS; i++) {
          client.get(ResourceType.CONFIG_MAP, NAMESPACE, ConfigMapWriter.name(i % OBJECTS));
        }
        client.list(ResourceType.CONFIG_MAP, ListOptions.all());
      } catch (RuntimeException e) {
        throw new DemoFailure(
            "cannot reach "
                + ApiserverNames.of(instance)
                + " of the fake control plane: "
                + Timeline.oneLine(e),
            e);
      }
    }
  }

  /** Whether both clients were last answered by the same apiserver. */
  private boolean onSameApiserver(DemoClient with, DemoClient without) {
    Optional<ApiServerInstance> a = with.instance();
    return a.isPresent() && a.equals(without.instance());
  }

  /**
   * Starts the client without Lifeline on {@code target}, the apiserver the client with Lifeline
   * uses. Through the kube-proxy stand-in each new connection goes to a random apiserver, so the
   * demo builds the client again (a new connection) until one lands there, and says how many it
   * took; the client's HTTP/2 connection then carries its requests and its watch. Without that, the
   * blackhole of "the apiserver the client with Lifeline uses" would miss the other client two
   * times in three, and the comparison would say nothing.
   */
  private void startWithoutOn(ApiServerInstance target, KubeConfig kubeConfig, StoreHistory history)
      throws InterruptedException {
    Optional<ApiServerInstance> landed = Optional.empty();
    int connections = 0;
    KubeClient client = null;
    while (connections < MAX_CONNECTIONS && !landed.equals(Optional.of(target))) {
      if (client != null) {
        client.close();
      }
      connections++;
      client = KubeClient.builder(kubeConfig).userAgent(AGENT_WITHOUT).build();
      try {
        client.get(ResourceType.CONFIG_MAP, NAMESPACE, ConfigMapWriter.name(0));
      } catch (RuntimeException e) {
        client.close();
        throw new DemoFailure(
            "the client without Lifeline cannot reach the fake control plane through the"
                + " kube-proxy stand-in: "
                + Timeline.oneLine(e),
            e);
      }
      landed = controlPlane.instanceUsedBy(AGENT_WITHOUT);
    }
    timeline.log(
        Actor.DEMO,
        landed.equals(Optional.of(target))
            ? "kube-proxy sent the client without Lifeline to "
                + ApiserverNames.of(target)
                + (connections == 1 ? " too" : " on its " + ordinal(connections) + " connection")
                + "; both clients start there"
            : "kube-proxy sent the client without Lifeline to "
                + landed.map(ApiserverNames::of).orElse("no apiserver")
                + " "
                + connections
                + " times in a row, never to "
                + ApiserverNames.of(target)
                + "; the clients start apart");
    without =
        new DemoClient(
            Actor.WITHOUT_LIFELINE,
            AGENT_WITHOUT,
            client,
            controlPlane,
            timeline,
            history,
            nanoTime);
    without.start();
    awaitOrFail(
        without::isReady,
        () ->
            "the client without Lifeline did not reach the fake control plane within "
                + READY_TIMEOUT.toSeconds()
                + " s");
  }

  private static String ordinal(int n) {
    return n
        + switch (n % 100 > 10 && n % 100 < 14 ? 0 : n % 10) {
          case 1 -> "st";
          case 2 -> "nd";
          case 3 -> "rd";
          default -> "th";
        };
  }

  private void closeWithout() {
    DemoClient client = without;
    without = null;
    if (client != null) {
      client.close();
    }
  }

  private FakeControlPlane startControlPlane() {
    // On loopback rather than on 10.96.0.1:443, which would add an address to lo and, on a
    // Kubernetes node, collide with the real kube-proxy's rules for that ClusterIP.
    FakeControlPlane.Builder builder =
        FakeControlPlane.builder()
            .instances(settings.instances())
            .clusterIpListener(ClusterIpListener.LOOPBACK);
    if (settings.port() == 0) {
      builder.ephemeralPort();
    } else {
      builder.port(settings.port());
    }
    try {
      return closeLater(builder.start());
    } catch (RuntimeException e) {
      if (causedByBind(e)) {
        throw new DemoFailure(
            "cannot listen on "
                + (settings.port() == 0 ? "a free port" : "port " + settings.port())
                + " of 127.0.0.2 to 127.0.0."
                + (1 + settings.instances())
                + " ("
                + e.getMessage()
                + "); "
                + (settings.port() == 0
                    ? "this machine must route 127.0.0.0/8 to loopback (Linux does)"
                    : "choose another with --port, or --port 0 for any free port"),
            e);
      }
      throw e;
    }
  }

  private static boolean causedByBind(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof BindException) {
        return true;
      }
    }
    return false;
  }

  private KubeConfig writeKubeconfig() {
    try {
      Path dir = Files.createTempDirectory("lifeline-demo");
      resources.push(() -> deleteTree(dir));
      // Also when Ctrl-C ends the JVM mid-demo (deleted in reverse order: the file, then the dir).
      dir.toFile().deleteOnExit();
      Path file = dir.resolve("kubeconfig");
      file.toFile().deleteOnExit();
      controlPlane.kubeconfig().serverByService().writeTo(file);
      return KubeConfig.loader().environment(Map.of()).kubeconfig(file).load();
    } catch (IOException e) {
      throw new DemoFailure(
          "cannot write the demo's kubeconfig to a temporary folder: " + e.getMessage(), e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private void printSetup(KubeConfig kubeConfig) {
    List<ApiServerInstance> instances = controlPlane.instances();
    String addresses =
        instances.stream().map(i -> i.address().getHostAddress()).collect(Collectors.joining(", "));
    InetSocketAddress service = controlPlane.serviceAddress();
    out.println();
    out.println(
        "  control plane   "
            + instances.size()
            + " fake apiservers on "
            + addresses
            + ", port "
            + controlPlane.port()
            + " (TLS, HTTP/2, endpoint lease 15 s as kube-apiserver),");
    out.println(
        "                  and a kube-proxy stand-in for the kubernetes Service on "
            + service.getAddress().getHostAddress()
            + ":"
            + service.getPort()
            + " (in a pod: 10.96.0.1:443)");
    out.println(
        "  both clients    Lifeline's light KubeClient, from the same kubeconfig (server "
            + kubeConfig.server()
            + ") with the same settings:");
    out.println(
        "                  HTTP/2 ping every "
            + Durations.text(KubeClient.Builder.DEFAULT_PING_INTERVAL)
            + ", connect timeout "
            + Durations.text(KubeClient.Builder.DEFAULT_CONNECT_TIMEOUT)
            + ", read timeout "
            + Durations.text(KubeClient.Builder.DEFAULT_READ_TIMEOUT)
            + ", failed GETs retried; each sends a GET every "
            + Durations.text(REQUEST_INTERVAL));
    out.println(
        "                  and watches "
            + OBJECTS
            + " ConfigMaps that a writer changes every "
            + Durations.text(WRITE_INTERVAL));
    out.println(
        "  with Lifeline   built through engine.configure(builder): the failover engine dials each"
            + " connection to a healthy");
    out.println(
        "                  apiserver itself, past kube-proxy, and closes its connections to one"
            + " that dies");
    out.println(
        "  without         kube-proxy picks a random apiserver for each new connection and keeps"
            + " sending new ones to a dead");
    out.println(
        "                  apiserver until it leaves the EndpointSlice; the demo reconnects this"
            + " client until both start together");
    out.println(
        "  faults          blackhole the apiserver the client with Lifeline uses ("
            + Durations.text(settings.blackhole())
            + "), then reset the one it moved to ("
            + Durations.text(settings.reset())
            + "), restore both, settle ("
            + Durations.text(settings.settle())
            + ");");
    out.println("                  " + dropModeExplanation());
    out.println("  library logs    " + settings.logFile());
    out.println();
    out.flush();
  }

  private boolean mayDropPackets() {
    return settings.realDrops()
        && RootRequirement.isRoot()
        && RootRequirement.hasCommand("iptables");
  }

  private String dropModeExplanation() {
    if (mayDropPackets()) {
      return "the blackhole drops packets for real (iptables, running as root)";
    }
    String why =
        !settings.realDrops()
            ? "--no-real-drops"
            : !RootRequirement.isRoot() ? "not root" : "iptables is not installed";
    return "the blackhole is in user space ("
        + why
        + "): the apiserver stops reading and writing, but the kernel still"
        + " completes TCP handshakes";
  }

  private ApiServerInstance blackhole(DemoClient with, DemoClient without) {
    ApiServerInstance target = where(with, "the client with Lifeline");
    Optional<ApiServerInstance> other = without.instance();
    if (other.isPresent() && other.get() == target) {
      timeline.log(Actor.DEMO, "both clients are on " + ApiserverNames.of(target));
    } else {
      timeline.log(
          Actor.DEMO,
          "the client with Lifeline is on "
              + ApiserverNames.of(target)
              + ", the one without on "
              + other.map(ApiserverNames::of).orElse("no apiserver yet")
              + " (they started apart: the comparison is weaker)");
    }
    String how;
    boolean real = false;
    if (mayDropPackets()) {
      try {
        target.inject(Fault.blackhole(DropMode.REAL_DROPS_REQUIRED));
        real = target.isDroppingPackets();
        how = "packets dropped by iptables";
      } catch (RuntimeException e) {
        target.inject(Fault.blackhole(DropMode.USER_SPACE));
        how = "in user space, because iptables failed (" + Timeline.oneLine(e) + ")";
      }
    } else {
      target.inject(Fault.blackhole(DropMode.USER_SPACE));
      how = "in user space";
    }
    // From here on the fault is in effect (installing iptables rules takes a few milliseconds,
    // during which requests still get through).
    long at = nanoTime.getAsLong();
    faults.add(
        new FaultRecord(
            "blackhole of apiserver " + target.index(), at, at - timeline.startNanos(), real));
    timeline.log(
        Actor.FAULT,
        "blackhole "
            + ApiserverNames.of(target)
            + " for "
            + Durations.text(settings.blackhole())
            + " ("
            + how
            + ")");
    return target;
  }

  private ApiServerInstance reset(DemoClient with, ApiServerInstance blackholed) {
    ApiServerInstance target = where(with, "the client with Lifeline");
    if (target == blackholed) {
      target =
          controlPlane.instances().stream().filter(i -> i != blackholed).findFirst().orElseThrow();
      timeline.log(
          Actor.DEMO,
          "the client with Lifeline was last answered by the blackholed apiserver; resetting "
              + ApiserverNames.of(target)
              + " instead");
    }
    target.inject(Fault.reset());
    long at = nanoTime.getAsLong();
    faults.add(
        new FaultRecord(
            "reset of apiserver " + target.index(), at, at - timeline.startNanos(), false));
    timeline.log(
        Actor.FAULT,
        "reset "
            + ApiserverNames.of(target)
            + " for "
            + Durations.text(settings.reset())
            + " (connections reset, connects refused); "
            + ApiserverNames.of(blackholed)
            + " stays blackholed");
    return target;
  }

  private ApiServerInstance where(DemoClient client, String who) {
    return client
        .instance()
        .orElseThrow(() -> new DemoFailure(who + " has not been answered by any apiserver", null));
  }

  private static boolean allUp(FailoverEngine engine, int count) {
    List<EndpointStatus> endpoints = engine.endpoints();
    return endpoints.size() == count
        && endpoints.stream().allMatch(s -> s.state() == EndpointState.UP);
  }

  private void awaitOrFail(BooleanSupplier condition, java.util.function.Supplier<String> message)
      throws InterruptedException {
    if (!await(condition, READY_TIMEOUT)) {
      throw new DemoFailure(message.get(), null);
    }
  }

  private boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = nanoTime.getAsLong() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (nanoTime.getAsLong() >= deadline) {
        return false;
      }
      Thread.sleep(POLL.toMillis());
    }
    return true;
  }

  /** A phase: the demo waits on purpose while the clients run. */
  private static void pause(Duration phase) throws InterruptedException {
    Thread.sleep(phase.toMillis());
  }

  private <T extends AutoCloseable> T closeLater(T resource) {
    resources.push(resource);
    return resource;
  }

  /**
   * Closes everything in reverse order of creation, each even when an earlier one failed; with a
   * primary failure, close failures are attached to it instead of thrown.
   */
  private void closeAll(Exception primary) {
    RuntimeException failure = null;
    while (!resources.isEmpty()) {
      try {
        resources.pop().close();
      } catch (Exception e) {
        if (primary != null) {
          primary.addSuppressed(e);
        } else if (failure == null) {
          failure = new IllegalStateException("stopping the demo failed: " + e.getMessage(), e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
