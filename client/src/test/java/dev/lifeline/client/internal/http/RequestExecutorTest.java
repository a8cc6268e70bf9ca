package dev.lifeline.client.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.client.KubeApiException;
import dev.lifeline.client.KubeException;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class RequestExecutorTest {
  private final MockWebServer server = new MockWebServer();
  private final List<Duration> waits = new ArrayList<>();
  private final AtomicLong nanos = new AtomicLong();
  private OkHttpClient http;

  @BeforeEach
  void start() throws IOException {
    server.start();
    http =
        new OkHttpClient.Builder()
            .eventListenerFactory(RequestSent.FACTORY)
            .retryOnConnectionFailure(false)
            .readTimeout(2, TimeUnit.SECONDS)
            .build();
  }

  @AfterEach
  void stop() {
    server.close();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  private RequestExecutor executor(HttpUrl base) {
    return new RequestExecutor(
        http,
        base,
        new RetryPolicy(
            3, Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofSeconds(2), () -> 0.0),
        delay -> {
          waits.add(delay);
          nanos.addAndGet(delay.toNanos());
        },
        nanos::get,
        "localhost");
  }

  private RequestExecutor executor() {
    return executor(server.url("/"));
  }

  private static MockResponse status(int code, String reason, String extra) {
    return new MockResponse.Builder()
        .code(code)
        .setHeader("Content-Type", "application/json")
        .body(
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"m"
                + code
                + "\",\"reason\":\""
                + reason
                + "\",\"code\":"
                + code
                + extra
                + "}")
        .build();
  }

  private static MockResponse ok(String body) {
    return new MockResponse.Builder().code(200).body(body).build();
  }

  private static final ApiRequest GET = ApiRequest.of("GET", List.of("api", "v1", "pods"));
  private static final ApiRequest POST =
      ApiRequest.of("POST", List.of("api", "v1", "namespaces", "a", "pods"))
          .body("{}".getBytes(), ApiRequest.JSON);

  private String read(ApiRequest request) {
    return executor().execute(request, okhttp3.ResponseBody::string);
  }

  @Test
  void aReadIsRetriedAfterServerErrorsWithGrowingBackoff() {
    server.enqueue(status(503, "ServiceUnavailable", ""));
    server.enqueue(status(500, "InternalError", ""));
    server.enqueue(ok("fine"));

    assertThat(read(GET)).isEqualTo("fine");
    assertThat(waits).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100));
  }

  @Test
  void retryAfterSecondsIsHonoured() {
    server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "3").build());
    server.enqueue(ok("fine"));

    assertThat(read(GET)).isEqualTo("fine");
    assertThat(waits).containsExactly(Duration.ofSeconds(3));
  }

  @Test
  void aWriteIsNotRetriedAfterAServerError() throws InterruptedException {
    server.enqueue(status(503, "ServiceUnavailable", ""));
    server.enqueue(ok("{}"));

    assertThatThrownBy(() -> read(POST))
        .isInstanceOf(KubeApiException.class)
        .hasMessageContaining("503");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aWriteIsRetriedWhenThrottledWithRetryAfter() {
    server.enqueue(
        new MockResponse.Builder(status(429, "TooManyRequests", ""))
            .setHeader("Retry-After", "1")
            .build());
    server.enqueue(ok("{}"));

    assertThat(read(POST)).isEqualTo("{}");
    assertThat(waits).containsExactly(Duration.ofSeconds(1));
  }

  @Test
  void whenRetriesRunOutTheLastErrorCarriesEveryEarlierOne() {
    for (int i = 0; i < 4; i++) {
      server.enqueue(status(503, "ServiceUnavailable", ""));
    }

    KubeApiException e = (KubeApiException) catchFailure(() -> read(GET));

    assertThat(e.code()).isEqualTo(503);
    assertThat(e.getMessage()).isEqualTo("GET /api/v1/pods: 503 ServiceUnavailable: m503");
    Throwable earlier = e.getSuppressed()[0];
    int depth = 1;
    while (earlier.getSuppressed().length > 0) {
      earlier = earlier.getSuppressed()[0];
      depth++;
    }
    assertThat(depth).isEqualTo(3);
    assertThat(waits).hasSize(3);
  }

  private static Throwable catchFailure(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("expected a failure");
  }

  @Test
  void aRefusedConnectionIsRetriedEvenForWrites() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    HttpUrl closed = HttpUrl.get("http://127.0.0.1:" + port + "/");

    assertThatThrownBy(() -> executor(closed).execute(POST, okhttp3.ResponseBody::string))
        .isInstanceOf(KubeException.class)
        .hasMessageStartingWith("POST /api/v1/namespaces/a/pods: ");
    assertThat(waits).hasSize(3);
  }

  @Test
  void aConnectionLostAfterTheWriteWasSentIsNotRetried() {
    server.enqueue(
        new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
    server.enqueue(ok("{}"));

    assertThatThrownBy(() -> read(POST)).isInstanceOf(KubeException.class);
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(waits).isEmpty();
  }

  @Test
  void aConnectionLostDuringAReadIsRetried() {
    server.enqueue(
        new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
    server.enqueue(ok("fine"));

    assertThat(read(GET)).isEqualTo("fine");
    assertThat(waits).hasSize(1);
  }

  @Test
  void statusErrorsCarryTheirReasonDetailsCausesAndRetryAfter() {
    server.enqueue(
        status(
            422,
            "Invalid",
            ",\"details\":{\"name\":\"web\",\"kind\":\"pods\",\"causes\":[{\"reason\":\"FieldValueRequired\","
                + "\"message\":\"Required value\",\"field\":\"spec.containers[0].image\"}]}"));

    KubeApiException e = (KubeApiException) catchFailure(() -> read(POST));

    assertThat(e.isInvalid()).isTrue();
    assertThat(e.reason()).isEqualTo("Invalid");
    assertThat(e.statusMessage()).isEqualTo("m422");
    assertThat(e.details().orElseThrow().name()).isEqualTo("web");
    assertThat(e.causes())
        .containsExactly(
            new KubeApiException.Cause(
                "FieldValueRequired", "Required value", "spec.containers[0].image"));

    server.enqueue(status(404, "NotFound", ",\"details\":{\"retryAfterSeconds\":7}"));
    KubeApiException notFound = (KubeApiException) catchFailure(() -> read(GET));
    assertThat(notFound.isNotFound()).isTrue();
    assertThat(notFound.retryAfter()).contains(Duration.ofSeconds(7));
  }

  @Test
  void aBodyThatIsNotAStatusIsKeptAsAShortExcerpt() {
    server.enqueue(
        new MockResponse.Builder()
            .code(502)
            .setHeader("Content-Type", "text/html")
            .body(
                "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1>"
                    + "</center><hr><center>nginx</center>"
                    + "x".repeat(1000)
                    + "</body></html>")
            .build());

    KubeApiException e =
        (KubeApiException) catchFailure(() -> executor().execute(POST, b -> b.string()));

    assertThat(e.code()).isEqualTo(502);
    assertThat(e.reason()).isNull();
    assertThat(e.bodyExcerpt())
        .startsWith("502 Bad Gateway 502 Bad Gateway nginx")
        .hasSizeLessThan(210);
    assertThat(e.getMessage()).startsWith("POST /api/v1/namespaces/a/pods: 502: 502 Bad Gateway");
  }

  @Test
  void aServerUrlPathIsKeptAsAPrefix() throws InterruptedException {
    server.enqueue(ok("{}"));
    executor(server.url("/k8s/clusters/c-1/")).execute(GET, b -> b.string());
    assertThat(server.takeRequest().getTarget()).isEqualTo("/k8s/clusters/c-1/api/v1/pods");
  }

  @Test
  @Timeout(20)
  void aStreamWhoseAnswerNeverComesFailsAfterTheConnectAndReadTimeouts() throws IOException {
    try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      http =
          http.newBuilder()
              .connectTimeout(Duration.ofMillis(100))
              .readTimeout(Duration.ofMillis(300))
              .build();
      RequestExecutor executor =
          executor(HttpUrl.get("http://127.0.0.1:" + silent.getLocalPort() + "/"));
      long start = System.nanoTime();

      assertThatThrownBy(() -> executor.open(GET))
          .isInstanceOf(KubeException.class)
          .hasMessageContaining("GET /api/v1/pods: no answer within 400 ms")
          .hasMessageContaining("stuck");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
  }
}
