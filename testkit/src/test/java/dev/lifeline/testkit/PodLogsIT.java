package dev.lifeline.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.fabric8.kubernetes.client.okhttp.OkHttpClientFactory;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The pods' log subresource: options, errors and following, as the apiserver and kubelet serve. */
class PodLogsIT {
  @RegisterExtension
  static final FakeControlPlaneExtension cp =
      new FakeControlPlaneExtension(
          FakeControlPlane.builder()
              .instances(1)
              .ephemeralPort()
              .user("reader", u -> u.allow(AccessRule.readOnly("pods"))));

  private static final String NS = "logs";
  private static KubeHttp http;

  @BeforeAll
  static void pods() {
    http = new KubeHttp(cp, 0, cp.admin().token());
    cp.store()
        .create("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"logs\"}}");
    pod("single", "[{\"name\":\"app\",\"image\":\"busybox\"}]", "[]", "");
    pod(
        "multi",
        "[{\"name\":\"a\",\"image\":\"busybox\"},{\"name\":\"b\",\"image\":\"busybox\"}]",
        "[{\"name\":\"init\",\"image\":\"busybox\"}]",
        "");
  }

  @AfterAll
  static void close() {
    http.close();
  }

  private static void pod(String name, String containers, String init, String extra) {
    cp.store()
        .create(
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\""
                + name
                + "\",\"namespace\":\"logs\"},\"spec\":{\"containers\":"
                + containers
                + ",\"initContainers\":"
                + init
                + extra
                + "}}");
  }

  private static String path(String pod, String query) {
    return "/api/v1/namespaces/"
        + NS
        + "/pods/"
        + pod
        + "/log"
        + (query.isEmpty() ? "" : "?" + query);
  }

  @Test
  void theOnlyContainersLogIsServedAsPlainText() {
    cp.podLogs().append(NS, "single", "app", "first", "second");

    KubeHttp.Response r = http.get(path("single", ""));

    assertThat(r.code()).isEqualTo(200);
    assertThat(r.header("Content-Type")).isEqualTo("text/plain");
    assertThat(r.body()).isEqualTo("first\nsecond\n");
  }

  @Test
  void tailSinceTimestampsAndLimitSelectAsTheKubeletDoes() {
    pod("timed", "[{\"name\":\"app\",\"image\":\"busybox\"}]", "[]", "");
    Instant now = Instant.now();
    cp.podLogs().append(NS, "timed", "app", now.minusSeconds(100), "old");
    cp.podLogs().append(NS, "timed", "app", now.minusSeconds(50).plusMillis(120), "middle");
    cp.podLogs().append(NS, "timed", "app", now.minusSeconds(1), "new");

    assertThat(http.get(path("timed", "tailLines=2")).body()).isEqualTo("middle\nnew\n");
    assertThat(http.get(path("timed", "tailLines=0")).body()).isEmpty();
    assertThat(http.get(path("timed", "sinceSeconds=60")).body()).isEqualTo("middle\nnew\n");
    assertThat(
            http.get(
                    path(
                        "timed",
                        "sinceTime=" + now.minusSeconds(10).toString().replace(":", "%3A")))
                .body())
        .isEqualTo("new\n");
    assertThat(http.get(path("timed", "limitBytes=9")).body()).isEqualTo("old\nmiddl");
    String stamped = http.get(path("timed", "timestamps=true&tailLines=2")).body();
    assertThat(stamped.lines().toList())
        .containsExactly(
            KubeTime.rfc3339Nano(now.minusSeconds(50).plusMillis(120)) + " middle",
            KubeTime.rfc3339Nano(now.minusSeconds(1)) + " new");
  }

  @Test
  void aPodWithSeveralContainersNeedsOneNamed() {
    cp.podLogs().append(NS, "multi", "b", "from b");

    KubeHttp.Response unnamed = http.get(path("multi", ""));
    assertThat(unnamed.code()).isEqualTo(400);
    assertThat(unnamed.json().path("message").asText())
        .isEqualTo(
            "a container name must be specified for pod multi, choose one of: [a b] or one of"
                + " the init containers: [init]");
    assertThat(unnamed.json().path("reason").asText()).isEqualTo("BadRequest");

    KubeHttp.Response unknown = http.get(path("multi", "container=c"));
    assertThat(unknown.code()).isEqualTo(400);
    assertThat(unknown.json().path("message").asText())
        .isEqualTo("container c is not valid for pod multi");

    assertThat(http.get(path("multi", "container=b")).body()).isEqualTo("from b\n");
    assertThat(http.get(path("multi", "container=init")).body()).isEmpty();
  }

  @Test
  void aMissingPodIs404AndBadOptionsAreInvalid() {
    KubeHttp.Response missing = http.get(path("nope", ""));
    assertThat(missing.code()).isEqualTo(404);
    assertThat(missing.json().path("message").asText()).isEqualTo("pods \"nope\" not found");

    KubeHttp.Response invalid = http.get(path("single", "tailLines=-1&limitBytes=0"));
    assertThat(invalid.code()).isEqualTo(422);
    assertThat(invalid.json().path("message").asText())
        .isEqualTo(
            "PodLogOptions \"single\" is invalid: [tailLines: Invalid value: -1: must be greater"
                + " than or equal to 0, limitBytes: Invalid value: 0: must be greater than 0]");
  }

  @Test
  void thePreviousLogIsTheOneBeforeARestart() {
    pod("restarting", "[{\"name\":\"app\",\"image\":\"busybox\"}]", "[]", "");
    KubeHttp.Response none = http.get(path("restarting", "previous=true"));
    assertThat(none.code()).isEqualTo(400);
    assertThat(none.json().path("message").asText())
        .isEqualTo("previous terminated container \"app\" in pod \"restarting\" not found");

    cp.podLogs().append(NS, "restarting", "app", "crashed");
    cp.podLogs().restartContainer(NS, "restarting", "app");
    cp.podLogs().append(NS, "restarting", "app", "again");

    assertThat(http.get(path("restarting", "previous=true")).body()).isEqualTo("crashed\n");
    assertThat(http.get(path("restarting", "")).body()).isEqualTo("again\n");
  }

  @Test
  void aWaitingContainerOfAScheduledPodHasNoLogYet() {
    cp.store()
        .create(
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"starting\","
                + "\"namespace\":\"logs\"},\"spec\":{\"nodeName\":\"node-1\",\"containers\":"
                + "[{\"name\":\"app\",\"image\":\"busybox\"}]},\"status\":{\"phase\":\"Pending\","
                + "\"containerStatuses\":[{\"name\":\"app\",\"ready\":false,\"restartCount\":0,"
                + "\"image\":\"busybox\",\"imageID\":\"\",\"state\":{\"waiting\":"
                + "{\"reason\":\"ContainerCreating\"}}}]}}");

    KubeHttp.Response r = http.get(path("starting", ""));

    assertThat(r.code()).isEqualTo(400);
    assertThat(r.json().path("message").asText())
        .isEqualTo("container \"app\" in pod \"starting\" is waiting to start: ContainerCreating");
  }

  @Test
  void aFollowedLogStreamsNewLinesAndEndsWhenThePodIsDeleted() throws Exception {
    pod("followed", "[{\"name\":\"app\",\"image\":\"busybox\"}]", "[]", "");
    cp.podLogs().append(NS, "followed", "app", "before");
    try (HttpClient client = HttpClient.newBuilder().sslContext(KubeHttp.sslContext(cp)).build()) {
      HttpResponse<InputStream> r =
          client.send(
              HttpRequest.newBuilder(
                      URI.create(cp.instance(0).url() + path("followed", "follow=true")))
                  .header("Authorization", "Bearer " + cp.admin().token())
                  .build(),
              HttpResponse.BodyHandlers.ofInputStream());
      BlockingQueue<String> lines = new LinkedBlockingQueue<>();
      Thread reader = readLines(r.body(), lines);

      assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo("before");
      cp.podLogs().append(NS, "followed", "app", "after");
      assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo("after");

      cp.store().delete("v1", "Pod", NS, "followed");
      reader.join(10_000);
      assertThat(reader.isAlive()).as("the stream ended").isFalse();
      assertThat(lines).isEmpty();
    }
  }

  @Test
  void fabric8ReadsAndWatchesLogsUnchanged() throws Exception {
    pod("fabric8", "[{\"name\":\"app\",\"image\":\"busybox\"}]", "[]", "");
    cp.podLogs().append(NS, "fabric8", "app", "one");
    Config config = Config.fromKubeconfig(cp.kubeconfig().toYaml());
    try (KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(config)
            .withHttpClientFactory(new OkHttpClientFactory())
            .build()) {
      assertThat(client.pods().inNamespace(NS).withName("fabric8").getLog()).isEqualTo("one\n");

      BlockingQueue<String> lines = new LinkedBlockingQueue<>();
      try (LogWatch watch = client.pods().inNamespace(NS).withName("fabric8").watchLog()) {
        Thread reader = readLines(watch.getOutput(), lines);
        assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo("one");
        cp.podLogs().append(NS, "fabric8", "app", "two");
        assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo("two");
        cp.podLogs().restartContainer(NS, "fabric8", "app");
        reader.join(10_000);
        assertThat(reader.isAlive()).as("a restart ends the followed log").isFalse();
      }
    }
  }

  @Test
  void readingLogsNeedsThePodsLogPermission() {
    try (KubeHttp reader = new KubeHttp(cp, 0, cp.user("reader").token())) {
      KubeHttp.Response r = reader.get(path("single", ""));
      assertThat(r.code()).isEqualTo(403);
      assertThat(r.json().path("message").asText())
          .isEqualTo(
              "pods \"single\" is forbidden: User \"reader\" cannot get resource \"pods/log\""
                  + " in API group \"\" in the namespace \"logs\"");
    }
  }

  @Test
  void appendingChecksThePodAndTheContainer() {
    assertThatThrownBy(() -> cp.podLogs().append(NS, "nope", "app", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("there is no pod logs/nope");
    assertThatThrownBy(() -> cp.podLogs().append(NS, "multi", "c", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pod logs/multi has no container c; it has [a, b, init]");
    assertThatThrownBy(() -> cp.podLogs().append(NS, "single", "app", "two\nlines"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not contain a line terminator");
    assertThat(cp.podLogs().lines(NS, "single", "app")).doesNotContain("two\nlines");
  }

  private static Thread readLines(InputStream in, BlockingQueue<String> lines) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  lines.add(line);
                }
              } catch (java.io.IOException ended) {
                // The stream was closed.
              }
            },
            "test-log-reader");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Go's RFC3339Nano, as the kubelet stamps log lines. */
  static final class KubeTime {
    private KubeTime() {}

    static String rfc3339Nano(Instant t) {
      String s = java.time.format.DateTimeFormatter.ISO_INSTANT.format(t);
      // ISO_INSTANT prints 0, 3, 6 or 9 fraction digits; Go trims trailing zeros.
      if (s.contains(".")) {
        s = s.substring(0, s.length() - 1).replaceAll("0+$", "");
        s = s.endsWith(".") ? s.substring(0, s.length() - 1) + "Z" : s + "Z";
      }
      return s;
    }
  }
}
