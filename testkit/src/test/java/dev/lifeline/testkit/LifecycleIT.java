package dev.lifeline.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Start-up time, clean shutdown (ports, threads, iptables), discovery and health documents. */
class LifecycleIT {
  @Test
  void threeInstancesStartWellUnderASecondOnceWarm() {
    FakeControlPlane.builder().ephemeralPort().start().close();
    long start = System.nanoTime();
    try (FakeControlPlane cp = FakeControlPlane.builder().ephemeralPort().start()) {
      long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
      System.out.println("started 3 instances in " + millis + " ms");
      assertThat(millis).isLessThan(1000);
      assertThat(cp.endpointAddresses()).containsExactly("127.0.0.2", "127.0.0.3", "127.0.0.4");
    }
  }

  @Test
  void closingReleasesThePortsAndStopsEveryThread() throws IOException {
    FakeControlPlane cp = FakeControlPlane.builder().instances(2).ephemeralPort().start();
    int port = cp.port();
    try (KubeHttp http = new KubeHttp(cp, 0, cp.admin().token());
        KubeHttp.Watch w = http.watch("/api/v1/pods?watch=true")) {
      assertThat(w.code).isEqualTo(200);
      cp.close();
    }
    cp.close();
    for (String ip : List.of("127.0.0.2", "127.0.0.3")) {
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(ip, port));
      }
    }
    assertThat(Thread.getAllStackTraces().keySet())
        .extracting(Thread::getName)
        .noneMatch(n -> n.startsWith("lifeline-testkit-"));
  }

  @Test
  void eachInstanceAnswersOnEventLoopsOfItsOwn() {
    try (FakeControlPlane cp = FakeControlPlane.builder().instances(2).ephemeralPort().start();
        KubeHttp first = new KubeHttp(cp, 0, cp.admin().token());
        KubeHttp second = new KubeHttp(cp, 1, cp.admin().token())) {
      assertThat(first.get("/version").code()).isEqualTo(200);
      assertThat(second.get("/version").code()).isEqualTo(200);
      java.util.Map<String, Long> loopsPerInstance =
          Thread.getAllStackTraces().keySet().stream()
              .map(Thread::getName)
              .map(
                  n ->
                      java.util.regex.Pattern.compile("lifeline-testkit-\\d+-apiserver-(\\d+)-\\d+")
                          .matcher(n))
              .filter(java.util.regex.Matcher::matches)
              .collect(
                  java.util.stream.Collectors.groupingBy(
                      m -> m.group(1), java.util.stream.Collectors.counting()));
      // Separate groups, as separate processes: a burst on one instance never queues the other's
      // answers (PINGs included) behind it.
      assertThat(loopsPerInstance).containsOnlyKeys("0", "1");
      assertThat(loopsPerInstance.values()).allSatisfy(n -> assertThat(n).isBetween(1L, 2L));
    }
  }

  @Test
  void aGracefulStopLetsInFlightRequestsFinish() throws Exception {
    try (FakeControlPlane cp = FakeControlPlane.builder().instances(1).ephemeralPort().start();
        java.net.http.HttpClient client =
            java.net.http.HttpClient.newBuilder().sslContext(KubeHttp.sslContext(cp)).build()) {
      ApiServerInstance i = cp.instance(0);
      i.inject(Fault.latency(Duration.ofMillis(700)));
      var pending =
          client.sendAsync(
              java.net.http.HttpRequest.newBuilder(java.net.URI.create(i.url() + "/version"))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> i.inFlightRequests() == 1);

      i.stopGracefully();

      assertThat(pending.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      assertThat(i.inFlightRequests()).isZero();
      assertThat(i.state()).isEqualTo(ApiServerInstance.State.STOPPED);
    }
  }

  @Test
  @RequiresRoot(value = "iptables rules for real packet drops", commands = "iptables")
  void closingRemovesTheIptablesChain() throws Exception {
    String chains;
    try (FakeControlPlane cp = FakeControlPlane.builder().instances(1).ephemeralPort().start()) {
      cp.instance(0).inject(Fault.blackhole(DropMode.REAL_DROPS_REQUIRED));
      assertThat(iptables("-S")).contains("LLTK-" + ProcessHandle.current().pid() + "-");
    }
    chains = iptables("-S");
    assertThat(chains).doesNotContain("LLTK-" + ProcessHandle.current().pid() + "-");
  }

  @Test
  @RequiresRoot(value = "iptables chains left by a crashed run", commands = "iptables")
  void startingRemovesChainsLeftByADeadProcess() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    assertThat(gone.waitFor(10, TimeUnit.SECONDS)).isTrue();
    String stale = "LLTK-" + gone.pid() + "-1";
    iptables("-N", stale);
    iptables("-I", "INPUT", "1", "-j", stale);
    try (FakeControlPlane cp = FakeControlPlane.builder().instances(1).ephemeralPort().start()) {
      assertThat(cp.instances()).hasSize(1);
      assertThat(iptables("-S")).doesNotContain(stale);
    }
  }

  private static String iptables(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("iptables", "-w", "10"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  @Test
  void discoveryHealthAndVersionLookLikeAnApiservers() {
    try (FakeControlPlane cp = FakeControlPlane.builder().instances(1).ephemeralPort().start();
        KubeHttp http = new KubeHttp(cp, 0, cp.admin().token());
        KubeHttp anonymous = new KubeHttp(cp, 0, null)) {
      JsonNode api = http.get("/api").json();
      assertThat(api.path("kind").asText()).isEqualTo("APIVersions");
      assertThat(api.at("/serverAddressByClientCIDRs/0/serverAddress").asText())
          .isEqualTo("127.0.0.2:" + cp.port());
      JsonNode core = http.get("/api/v1").json();
      assertThat(core.path("kind").asText()).isEqualTo("APIResourceList");
      assertThat(core.path("resources").findValuesAsText("name"))
          .contains("pods", "pods/status", "pods/eviction", "services", "endpoints", "namespaces");
      JsonNode groups = http.get("/apis").json();
      assertThat(groups.path("groups").findValuesAsText("name"))
          .containsExactly(
              "apps",
              "discovery.k8s.io",
              "coordination.k8s.io",
              "policy",
              "events.k8s.io",
              "authorization.k8s.io");
      assertThat(http.get("/apis/policy").json().at("/preferredVersion/groupVersion").asText())
          .isEqualTo("policy/v1");
      assertThat(http.get("/apis/discovery.k8s.io/v1").json().at("/resources/0/kind").asText())
          .isEqualTo("EndpointSlice");
      assertThat(anonymous.get("/version").json().path("gitVersion").asText()).isEqualTo("v1.33.0");
      assertThat(anonymous.get("/livez").body()).isEqualTo("ok");
      KubeHttp.Response verbose = anonymous.get("/healthz?verbose");
      assertThat(verbose.body())
          .startsWith("[+]ping ok\n[+]log ok\n[+]etcd ok\n")
          .endsWith("healthz check passed\n");
      assertThat(anonymous.get("/readyz/shutdown").body()).isEqualTo("ok");
      assertThat(anonymous.get("/readyz/poststarthook/bootstrap-controller").body())
          .isEqualTo("ok");
      assertThat(http.get("/").json().path("paths").toString())
          .contains("\"/apis/policy/v1\"", "\"/readyz\"");
      assertThat(anonymous.get("/readyz?exclude=etcd&verbose").body())
          .contains("[+]etcd excluded: ok");
    }
  }
}
