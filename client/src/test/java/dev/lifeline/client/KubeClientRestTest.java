package dev.lifeline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.client.model.ConfigMap;
import dev.lifeline.client.model.GenericObject;
import dev.lifeline.client.model.Lease;
import dev.lifeline.client.model.ObjectMeta;
import dev.lifeline.client.model.Pod;
import dev.lifeline.client.model.ServiceAccountToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeClientRestTest {
  private final MockWebServer server = new MockWebServer();
  private KubeClient client;
  @TempDir Path dir;

  @BeforeEach
  void start() throws IOException {
    server.start();
    client = client(base().token("t0k3n").build());
  }

  private KubeConfig.Builder base() {
    return KubeConfig.builder().server(server.url("/").toString());
  }

  private static KubeClient client(KubeConfig config) {
    return KubeClient.builder(config).maxRetries(0).build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .setHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }

  private RecordedRequest take() throws InterruptedException {
    return server.takeRequest(5, TimeUnit.SECONDS);
  }

  private static final String LEASE =
      "{\"apiVersion\":\"coordination.k8s.io/v1\",\"kind\":\"Lease\",\"metadata\":{\"name\":\"l\","
          + "\"namespace\":\"kube-system\",\"resourceVersion\":\"8\"},\"spec\":{\"holderIdentity\":\"me\"}}";

  @Test
  void getUsesTheGroupPathAndSendsTheTokenUserAgentAndAccept() throws InterruptedException {
    server.enqueue(json(200, LEASE));

    Lease lease = client.get(ResourceType.LEASE, "kube-system", "l");

    assertThat(lease.holderIdentity()).isEqualTo("me");
    RecordedRequest request = take();
    assertThat(request.getTarget())
        .isEqualTo("/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/l");
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer t0k3n");
    assertThat(request.getHeaders().get("User-Agent")).matches("lifeline/\\S+ \\(\\w+/\\w+\\)");
    assertThat(request.getHeaders().get("Accept")).isEqualTo("application/json");
  }

  @Test
  void findReturnsNothingForAMissingObjectAndCoreObjectsLiveUnderApiV1()
      throws InterruptedException {
    server.enqueue(
        json(
            404,
            "{\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}"));

    assertThat(client.find(ResourceType.CONFIG_MAP, "a", "missing")).isEmpty();
    assertThat(take().getTarget()).isEqualTo("/api/v1/namespaces/a/configmaps/missing");
  }

  @Test
  void listReadsItemsVersionAndContinueTokenWithSelectors() throws InterruptedException {
    server.enqueue(
        json(
            200,
            "{\"kind\":\"PodList\",\"metadata\":{\"resourceVersion\":\"77\",\"continue\":\"next\","
                + "\"remainingItemCount\":5},\"items\":[{\"metadata\":{\"name\":\"a\",\"namespace\":\"x\"}},"
                + "{\"metadata\":{\"name\":\"b\",\"namespace\":\"y\"}}]}"));

    ResourceList<Pod> pods =
        client.list(
            ResourceType.POD,
            ListOptions.all().labelSelector("app=web").fieldSelector("spec.nodeName=n1").limit(2));

    assertThat(pods.items()).extracting(Pod::name).containsExactly("a", "b");
    assertThat(pods.resourceVersion()).isEqualTo("77");
    assertThat(pods.continueToken()).isEqualTo("next");
    assertThat(pods.remainingItemCount()).isEqualTo(5);
    assertThat(take().getTarget())
        .isEqualTo("/api/v1/pods?labelSelector=app%3Dweb&fieldSelector=spec.nodeName%3Dn1&limit=2");
  }

  @Test
  void createAndUpdateWriteTheModelAndReadTheAnswer() throws InterruptedException {
    server.enqueue(json(201, LEASE));
    server.enqueue(json(200, LEASE));
    Lease lease =
        Lease.builder()
            .metadata(ObjectMeta.of("kube-system", "l"))
            .holderIdentity("me")
            .renewTime(Instant.parse("2024-05-01T00:00:00Z"))
            .build();

    client.create(ResourceType.LEASE, lease);
    client.update(ResourceType.LEASE, lease);

    RecordedRequest create = take();
    assertThat(create.getMethod()).isEqualTo("POST");
    assertThat(create.getTarget())
        .isEqualTo("/apis/coordination.k8s.io/v1/namespaces/kube-system/leases");
    assertThat(create.getHeaders().get("Content-Type")).startsWith("application/json");
    assertThat(create.getBody().utf8()).contains("\"holderIdentity\":\"me\"");
    RecordedRequest update = take();
    assertThat(update.getMethod()).isEqualTo("PUT");
    assertThat(update.getTarget()).endsWith("/leases/l");
  }

  @Test
  void patchesCarryTheirContentType() throws InterruptedException {
    for (PatchType type : PatchType.values()) {
      server.enqueue(
          json(200, "{\"metadata\":{\"name\":\"c\",\"namespace\":\"a\"},\"data\":{\"k\":\"v\"}}"));
      ConfigMap cm =
          client.patch(ResourceType.CONFIG_MAP, "a", "c", type, "{\"data\":{\"k\":\"v\"}}");
      assertThat(cm.get("k")).isEqualTo("v");
      RecordedRequest request = take();
      assertThat(request.getMethod()).isEqualTo("PATCH");
      assertThat(request.getHeaders().get("Content-Type")).startsWith(type.contentType());
    }
  }

  @Test
  void deleteSendsPreconditionsAndPropagation() throws InterruptedException {
    server.enqueue(json(200, "{\"kind\":\"Status\",\"status\":\"Success\"}"));
    server.enqueue(json(200, "{}"));

    client.delete(
        ResourceType.POD,
        "a",
        "p",
        DeleteOptions.defaults()
            .preconditionUid("u-1")
            .preconditionResourceVersion("9")
            .propagation(DeleteOptions.Propagation.FOREGROUND)
            .gracePeriod(Duration.ZERO));
    client.delete(ResourceType.NAMESPACE, null, "team");

    RecordedRequest delete = take();
    assertThat(delete.getMethod()).isEqualTo("DELETE");
    assertThat(delete.getBody().utf8())
        .isEqualTo(
            "{\"apiVersion\":\"v1\",\"kind\":\"DeleteOptions\",\"propagationPolicy\":\"Foreground\","
                + "\"gracePeriodSeconds\":0,\"preconditions\":{\"uid\":\"u-1\",\"resourceVersion\":\"9\"}}");
    RecordedRequest plain = take();
    assertThat(plain.getTarget()).isEqualTo("/api/v1/namespaces/team");
    assertThat(plain.getBodySize()).isZero();
  }

  @Test
  void evictionPostsAPolicyV1EvictionAndABlockingBudgetIs429() throws InterruptedException {
    server.enqueue(json(201, "{\"kind\":\"Status\",\"status\":\"Success\",\"code\":201}"));
    server.enqueue(
        json(
            429,
            "{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"Cannot evict pod as it would violate the"
                + " pod's disruption budget.\",\"reason\":\"TooManyRequests\",\"code\":429}"));

    client.evict(
        "kube-system", "coredns-1", DeleteOptions.defaults().gracePeriod(Duration.ofSeconds(5)));
    assertThatThrownBy(() -> client.evict("kube-system", "coredns-2", DeleteOptions.defaults()))
        .isInstanceOfSatisfying(
            KubeApiException.class,
            e -> {
              assertThat(e.isTooManyRequests()).isTrue();
              assertThat(e.statusMessage()).contains("disruption budget");
            });

    RecordedRequest eviction = take();
    assertThat(eviction.getTarget())
        .isEqualTo("/api/v1/namespaces/kube-system/pods/coredns-1/eviction");
    assertThat(eviction.getBody().utf8())
        .isEqualTo(
            "{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\",\"metadata\":{\"name\":\"coredns-1\","
                + "\"namespace\":\"kube-system\"},\"deleteOptions\":{\"gracePeriodSeconds\":5}}");
  }

  @Test
  void logsAreReadWholeOrFollowed() throws Exception {
    server.enqueue(new MockResponse.Builder().body("line 1\nline 2\n").build());
    server.enqueue(new MockResponse.Builder().body("a\nb\n").build());

    String logs =
        client.logs(
            "a",
            "p",
            LogOptions.defaults().container("c").tailLines(10).since(Duration.ofMinutes(1)));
    assertThat(logs).isEqualTo("line 1\nline 2\n");
    assertThat(take().getTarget())
        .isEqualTo("/api/v1/namespaces/a/pods/p/log?container=c&tailLines=10&sinceSeconds=60");

    try (LogStream stream = client.followLogs("a", "p", LogOptions.defaults())) {
      assertThat(stream.readLine()).isEqualTo("a");
      assertThat(stream.readLine()).isEqualTo("b");
      assertThat(stream.readLine()).isNull();
    }
    assertThat(take().getTarget()).isEqualTo("/api/v1/namespaces/a/pods/p/log?follow=true");
  }

  @Test
  void convenienceReadsOfSecretsConfigMapsAndTokens() throws InterruptedException {
    server.enqueue(json(200, "{\"metadata\":{\"name\":\"s\"},\"data\":{\"ca.crt\":\"aGVsbG8=\"}}"));
    server.enqueue(
        json(
            200,
            "{\"metadata\":{\"name\":\"c\"},\"data\":{\"a\":\"1\"},\"binaryData\":{\"b\":\"Mg==\"}}"));
    server.enqueue(
        json(
            200,
            "{\"metadata\":{\"name\":\"c\"},\"data\":{\"a\":\"1\"},\"binaryData\":{\"b\":\"Mg==\"}}"));
    server.enqueue(
        json(
            201,
            "{\"kind\":\"TokenRequest\",\"status\":{\"token\":\"eyJ\",\"expirationTimestamp\":"
                + "\"2024-05-01T11:00:00Z\"}}"));

    assertThat(client.secretValue("a", "s", "ca.crt"))
        .hasValueSatisfying(v -> assertThat(new String(v)).isEqualTo("hello"));
    assertThat(client.configMapValue("a", "c", "a")).contains("1");
    assertThat(client.configMapValue("a", "c", "b")).contains("2");
    ServiceAccountToken token =
        client.requestToken("a", "builder", List.of("vault"), Duration.ofHours(1));
    assertThat(token.token()).isEqualTo("eyJ");
    assertThat(token.expiration()).isEqualTo(Instant.parse("2024-05-01T11:00:00Z"));
    assertThat(token.toString()).doesNotContain("eyJ");

    take();
    take();
    take();
    RecordedRequest request = take();
    assertThat(request.getTarget()).isEqualTo("/api/v1/namespaces/a/serviceaccounts/builder/token");
    assertThat(request.getBody().utf8())
        .isEqualTo(
            "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\",\"spec\":{\"audiences\":"
                + "[\"vault\"],\"expirationSeconds\":3600}}");
  }

  @Test
  void genericResourcesUseTheirGroupPath() throws InterruptedException {
    server.enqueue(
        json(
            200,
            "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"d\"}}"));
    GenericObject d =
        client.get(ResourceType.generic("apps", "v1", "deployments", "Deployment", true), "a", "d");
    assertThat(d.kind()).isEqualTo("Deployment");
    assertThat(take().getTarget()).isEqualTo("/apis/apps/v1/namespaces/a/deployments/d");
  }

  @Test
  void badArgumentsAreRefusedBeforeAnyRequest() {
    assertThatThrownBy(() -> client.get(ResourceType.POD, null, "p"))
        .hasMessage("namespace: required for pods (namespaced); got null");
    assertThatThrownBy(() -> client.get(ResourceType.NAMESPACE, "x", "n"))
        .hasMessage("namespace: namespaces are cluster-scoped; pass null, not 'x'");
    assertThatThrownBy(
            () ->
                client.create(
                    ResourceType.CONFIG_MAP, ConfigMap.of(ObjectMeta.of(null, "c"), Map.of())))
        .hasMessage("metadata.namespace: required to create configmaps (namespaced)");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void impersonationHeadersAreSent() throws InterruptedException {
    try (KubeClient impersonating =
        client(
            base()
                .impersonateUser("bob")
                .impersonateUid("42")
                .impersonateGroups(List.of("devs", "ops"))
                .impersonateExtra(Map.of("example.com/scopes", List.of("view", "edit")))
                .build())) {
      server.enqueue(json(200, LEASE));
      impersonating.get(ResourceType.LEASE, "kube-system", "l");
    }
    RecordedRequest request = take();
    assertThat(request.getHeaders().get("Impersonate-User")).isEqualTo("bob");
    assertThat(request.getHeaders().get("Impersonate-Uid")).isEqualTo("42");
    assertThat(request.getHeaders().values("Impersonate-Group")).containsExactly("devs", "ops");
    assertThat(request.getHeaders().values("Impersonate-Extra-example.com%2Fscopes"))
        .containsExactly("view", "edit");
    assertThat(request.getHeaders().get("Authorization")).isNull();
  }

  private static final String UNAUTHORIZED =
      "{\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"Unauthorized\",\"code\":401}";

  @Test
  void a401ReReadsARotatedTokenFileAndRetriesOnce() throws IOException, InterruptedException {
    Path token = Files.writeString(dir.resolve("token"), "expired");
    try (KubeClient rotating = client(base().tokenFile(token).build())) {
      server.enqueue(json(200, LEASE));
      rotating.get(ResourceType.LEASE, "kube-system", "l");
      assertThat(take().getHeaders().get("Authorization")).isEqualTo("Bearer expired");

      // Rotated within the refresh period: the 401 makes the client re-read it at once.
      Files.writeString(token, "fresh");
      server.enqueue(json(401, UNAUTHORIZED));
      server.enqueue(json(200, LEASE));
      rotating.get(ResourceType.LEASE, "kube-system", "l");

      assertThat(take().getHeaders().get("Authorization")).isEqualTo("Bearer expired");
      assertThat(take().getHeaders().get("Authorization")).isEqualTo("Bearer fresh");

      server.enqueue(
          json(
              401,
              "{\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"Unauthorized\",\"code\":401}"));
      assertThatThrownBy(() -> rotating.get(ResourceType.LEASE, "kube-system", "l"))
          .isInstanceOfSatisfying(
              KubeApiException.class, e -> assertThat(e.isUnauthorized()).isTrue());
      assertThat(server.getRequestCount()).isEqualTo(4);
    }
  }

  @Test
  void disableCompressionAsksForIdentityEncoding() throws InterruptedException {
    try (KubeClient plain = client(base().disableCompression(true).build())) {
      server.enqueue(json(200, LEASE));
      plain.get(ResourceType.LEASE, "kube-system", "l");
    }
    assertThat(take().getHeaders().get("Accept-Encoding")).isEqualTo("identity");
  }

  @Test
  void clientsCanShareConnections() throws InterruptedException {
    try (KubeClient second =
        KubeClient.builder(client.config())
            .shareConnectionsWith(client)
            .userAgent("second/1")
            .build()) {
      server.enqueue(json(200, LEASE));
      server.enqueue(json(200, LEASE));
      client.get(ResourceType.LEASE, "kube-system", "l");
      second.get(ResourceType.LEASE, "kube-system", "l");
    }
    RecordedRequest first = take();
    RecordedRequest next = take();
    assertThat(next.getHeaders().get("User-Agent")).isEqualTo("second/1");
    assertThat(next.getConnectionIndex()).isEqualTo(first.getConnectionIndex());
    // Closing the second client left the shared connections usable.
    server.enqueue(json(200, LEASE));
    client.get(ResourceType.LEASE, "kube-system", "l");
  }
}
