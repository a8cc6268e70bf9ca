package dev.lifeline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.testkit.FakeControlPlane;
import dev.lifeline.testkit.FakeControlPlaneExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@link KubeClient#logs} and {@link KubeClient#followLogs} against the fake control plane. */
class PodLogsIT {
  @RegisterExtension
  static final FakeControlPlaneExtension cp =
      new FakeControlPlaneExtension(FakeControlPlane.builder().ephemeralPort().instances(1));

  private static final String NS = "pod-logs";
  @TempDir static Path dir;
  static KubeClient client;

  @BeforeAll
  static void connect() {
    client = FakeClusters.client(cp.kubeconfig(), dir);
    cp.store()
        .create(
            "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\""
                + NS
                + "\"}}");
  }

  @AfterAll
  static void disconnect() {
    client.close();
  }

  private static void pod(String name, String... containers) {
    StringBuilder list = new StringBuilder();
    for (String c : containers) {
      list.append(list.length() == 0 ? "" : ",")
          .append("{\"name\":\"")
          .append(c)
          .append("\",\"image\":\"busybox\"}");
    }
    cp.store()
        .create(
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\""
                + name
                + "\",\"namespace\":\""
                + NS
                + "\"},\"spec\":{\"containers\":["
                + list
                + "]}}");
  }

  @Test
  void readsAContainersLogWithTheOptions() {
    pod("reader", "main", "sidecar");
    Instant now = Instant.now();
    cp.podLogs().append(NS, "reader", "main", now.minusSeconds(120), "too old");
    cp.podLogs().append(NS, "reader", "main", now.minusSeconds(30), "recent");
    cp.podLogs().append(NS, "reader", "main", "newest");

    assertThat(client.logs(NS, "reader", LogOptions.defaults().container("main")))
        .isEqualTo("too old\nrecent\nnewest\n");
    assertThat(
            client.logs(
                NS, "reader", LogOptions.defaults().container("main").since(Duration.ofMinutes(1))))
        .isEqualTo("recent\nnewest\n");
    assertThat(client.logs(NS, "reader", LogOptions.defaults().container("main").tailLines(1)))
        .isEqualTo("newest\n");
    assertThat(
            client.logs(
                NS,
                "reader",
                LogOptions.defaults().container("main").timestamps(true).tailLines(1)))
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z newest\n");
  }

  @Test
  void readsThePreviousLogAfterARestart() {
    pod("restarted", "app");
    cp.podLogs().append(NS, "restarted", "app", "panic: boom");
    cp.podLogs().restartContainer(NS, "restarted", "app");

    assertThat(client.logs(NS, "restarted", LogOptions.defaults().previous(true)))
        .isEqualTo("panic: boom\n");
    assertThat(client.logs(NS, "restarted", LogOptions.defaults())).isEmpty();
  }

  @Test
  void failsWithTheServersReasonWhenNoContainerIsNamed() {
    pod("two", "a", "b");

    assertThatThrownBy(() -> client.logs(NS, "two", LogOptions.defaults()))
        .isInstanceOfSatisfying(
            KubeApiException.class,
            e -> {
              assertThat(e.code()).isEqualTo(400);
              assertThat(e.statusMessage())
                  .isEqualTo(
                      "a container name must be specified for pod two, choose one of: [a b]");
            });
    assertThatThrownBy(() -> client.logs(NS, "missing", LogOptions.defaults()))
        .isInstanceOfSatisfying(KubeApiException.class, e -> assertThat(e.code()).isEqualTo(404));
  }

  @Test
  void followsALogUntilThePodIsDeleted() throws Exception {
    pod("followed", "app");
    cp.podLogs().append(NS, "followed", "app", "one");

    try (LogStream stream = client.followLogs(NS, "followed", LogOptions.defaults())) {
      assertThat(stream.readLine()).isEqualTo("one");
      cp.podLogs().append(NS, "followed", "app", "two", "three");
      assertThat(stream.readLine()).isEqualTo("two");
      assertThat(stream.readLine()).isEqualTo("three");

      CompletableFuture<String> end = CompletableFuture.supplyAsync(() -> read(stream));
      cp.store().delete("v1", "Pod", NS, "followed");
      assertThat(end.get(10, TimeUnit.SECONDS)).as("end of the log").isNull();
    }
  }

  @Test
  void closingAFollowedLogReleasesTheStream() throws Exception {
    pod("closed", "app");
    LogStream stream = client.followLogs(NS, "closed", LogOptions.defaults().tailLines(0));
    CompletableFuture<String> blocked = CompletableFuture.supplyAsync(() -> read(stream));

    stream.close();

    assertThat(blocked.handle((line, failure) -> line == null).get(10, TimeUnit.SECONDS)).isTrue();
  }

  private static String read(LogStream stream) {
    try {
      return stream.readLine();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
