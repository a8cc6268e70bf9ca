package dev.lifeline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lifeline.client.model.ConfigMap;
import dev.lifeline.client.model.EndpointSlice;
import dev.lifeline.client.model.Endpoints;
import dev.lifeline.client.model.IntOrString;
import dev.lifeline.client.model.LabelSelector;
import dev.lifeline.client.model.Lease;
import dev.lifeline.client.model.Namespace;
import dev.lifeline.client.model.ObjectMeta;
import dev.lifeline.client.model.Pod;
import dev.lifeline.client.model.PodDisruptionBudget;
import dev.lifeline.client.model.Service;
import dev.lifeline.testkit.AccessRule;
import dev.lifeline.testkit.DropMode;
import dev.lifeline.testkit.FakeControlPlane;
import dev.lifeline.testkit.FakeControlPlaneExtension;
import dev.lifeline.testkit.Fault;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The REST verbs and every failure shape, against the fake control plane. */
class KubeClientIT {
  @RegisterExtension
  static final FakeControlPlaneExtension cp =
      new FakeControlPlaneExtension(
          FakeControlPlane.builder()
              .ephemeralPort()
              .instances(3)
              .user("viewer", u -> u.allow(AccessRule.readOnly("configmaps")))
              .user("impersonator", u -> u.allow(AccessRule.impersonation())));

  @TempDir static Path dir;
  static KubeClient client;

  @BeforeAll
  static void connect() {
    client = FakeClusters.client(cp.kubeconfig(), dir);
    client.create(ResourceType.NAMESPACE, Namespace.named("it"));
  }

  @AfterAll
  static void disconnect() {
    client.close();
  }

  private static KubeClient clientWith(KubeClient.Builder builder) {
    return builder.build();
  }

  @Test
  void readsTheKubernetesServiceEndpointSliceAndEndpoints() {
    Service service = client.get(ResourceType.SERVICE, "default", "kubernetes");
    assertThat(service.clusterIP()).isEqualTo(cp.clusterIp());
    assertThat(service.port("https").port()).isEqualTo(443);

    EndpointSlice slice = client.get(ResourceType.ENDPOINT_SLICE, "default", "kubernetes");
    assertThat(slice.addressType()).isEqualTo("IPv4");
    assertThat(slice.endpoints())
        .flatExtracting(EndpointSlice.Endpoint::addresses)
        .containsExactly("127.0.0.2", "127.0.0.3", "127.0.0.4");
    assertThat(slice.endpoints()).allMatch(EndpointSlice.Endpoint::isReady);
    assertThat(slice.ports())
        .singleElement()
        .satisfies(p -> assertThat(p.port()).isEqualTo(cp.port()));

    Endpoints endpoints = client.get(ResourceType.ENDPOINTS, "default", "kubernetes");
    assertThat(endpoints.subsets().get(0).addresses()).hasSize(3);
  }

  @Test
  void configMapsGoThroughTheirWholeLife() {
    ConfigMap created =
        client.create(
            ResourceType.CONFIG_MAP, ConfigMap.of(ObjectMeta.of("it", "life"), Map.of("a", "1")));
    assertThat(created.metadata().uid()).isNotBlank();
    assertThat(client.configMapValue("it", "life", "a")).contains("1");

    ConfigMap updated =
        client.update(
            ResourceType.CONFIG_MAP,
            new ConfigMap(created.metadata(), Map.of("a", "2"), null, null));
    assertThat(updated.get("a")).isEqualTo("2");

    client.patch(
        ResourceType.CONFIG_MAP, "it", "life", PatchType.MERGE, "{\"data\":{\"b\":\"3\"}}");
    client.patch(
        ResourceType.CONFIG_MAP,
        "it",
        "life",
        PatchType.JSON,
        "[{\"op\":\"add\",\"path\":\"/data/c\",\"value\":\"4\"}]");
    ConfigMap patched =
        client.patch(
            ResourceType.CONFIG_MAP,
            "it",
            "life",
            PatchType.STRATEGIC_MERGE,
            "{\"data\":{\"d\":\"5\"}}");
    assertThat(patched.data()).containsOnlyKeys("a", "b", "c", "d");

    client.delete(
        ResourceType.CONFIG_MAP,
        "it",
        "life",
        DeleteOptions.defaults().preconditionUid(created.metadata().uid()));
    assertThat(client.find(ResourceType.CONFIG_MAP, "it", "life")).isEmpty();
  }

  @Test
  void leasesRoundTripEveryField() {
    Lease lease =
        Lease.builder()
            .metadata(ObjectMeta.of("it", "leader"))
            .holderIdentity("a")
            .leaseDurationSeconds(15)
            .acquireTime(Instant.parse("2024-05-01T10:00:00.123456Z"))
            .renewTime(Instant.parse("2024-05-01T10:00:01.5Z"))
            .leaseTransitions(3)
            .build();
    Lease stored = client.create(ResourceType.LEASE, lease);
    assertThat(stored.renewTime()).isEqualTo(lease.renewTime());
    Lease renewed =
        client.update(
            ResourceType.LEASE,
            stored.toBuilder().renewTime(Instant.parse("2024-05-01T10:00:09Z")).build());
    assertThat(renewed.holderIdentity()).isEqualTo("a");
    assertThat(renewed.leaseTransitions()).isEqualTo(3);
  }

  @Test
  void aStaleUpdateIs409ConflictAndASecondCreateIs409AlreadyExists() {
    ConfigMap created =
        client.create(
            ResourceType.CONFIG_MAP, ConfigMap.of(ObjectMeta.of("it", "cas"), Map.of("v", "1")));
    client.update(
        ResourceType.CONFIG_MAP, new ConfigMap(created.metadata(), Map.of("v", "2"), null, null));

    assertThatThrownBy(
            () ->
                client.update(
                    ResourceType.CONFIG_MAP,
                    new ConfigMap(created.metadata(), Map.of("v", "3"), null, null)))
        .isInstanceOfSatisfying(
            KubeApiException.class,
            e -> {
              assertThat(e.code()).isEqualTo(409);
              assertThat(e.isConflict()).isTrue();
              assertThat(e.reason()).isEqualTo("Conflict");
            });
    assertThatThrownBy(
            () ->
                client.create(
                    ResourceType.CONFIG_MAP, ConfigMap.of(ObjectMeta.of("it", "cas"), Map.of())))
        .isInstanceOfSatisfying(
            KubeApiException.class, e -> assertThat(e.isAlreadyExists()).isTrue());
  }

  @Test
  void aMissingObjectIs404NotFoundWithDetails() {
    assertThatThrownBy(() -> client.get(ResourceType.SECRET, "it", "absent"))
        .isInstanceOfSatisfying(
            KubeApiException.class,
            e -> {
              assertThat(e.isNotFound()).isTrue();
              assertThat(e.reason()).isEqualTo("NotFound");
              assertThat(e.details().orElseThrow().name()).isEqualTo("absent");
              assertThat(e.getMessage())
                  .startsWith("GET /api/v1/namespaces/it/secrets/absent: 404 NotFound");
            });
  }

  @Test
  void anInvalidObjectIs422WithTheFieldsAtFault() {
    assertThatThrownBy(
            () ->
                client.create(
                    ResourceType.CONFIG_MAP,
                    ConfigMap.of(ObjectMeta.of("it", "Not_A_Name"), Map.of())))
        .isInstanceOfSatisfying(
            KubeApiException.class,
            e -> {
              assertThat(e.isInvalid()).isTrue();
              assertThat(e.causes())
                  .anySatisfy(c -> assertThat(c.field()).isEqualTo("metadata.name"));
            });
  }

  @Test
  void aRefusedTokenIs401AndAForbiddenVerbIs403() {
    KubeConfig good = FakeClusters.config(cp.kubeconfig().user("viewer"), dir);
    try (KubeClient viewer = KubeClient.builder(good).build();
        KubeClient stranger =
            KubeClient.builder(good.toBuilder().token("not-a-token").build()).build()) {
      assertThat(viewer.find(ResourceType.CONFIG_MAP, "it", "x")).isEmpty();
      assertThatThrownBy(
              () ->
                  viewer.create(
                      ResourceType.CONFIG_MAP, ConfigMap.of(ObjectMeta.of("it", "y"), Map.of())))
          .isInstanceOfSatisfying(
              KubeApiException.class,
              e -> {
                assertThat(e.isForbidden()).isTrue();
                assertThat(e.reason()).isEqualTo("Forbidden");
              });
      assertThatThrownBy(() -> stranger.get(ResourceType.CONFIG_MAP, "it", "x"))
          .isInstanceOfSatisfying(
              KubeApiException.class, e -> assertThat(e.isUnauthorized()).isTrue());
    }
  }

  @Test
  void impersonationActsAsTheOtherUser() {
    KubeConfig config =
        FakeClusters.config(cp.kubeconfig().user("impersonator"), dir).toBuilder()
            .impersonateUser("viewer")
            .build();
    try (KubeClient asViewer = KubeClient.builder(config).build()) {
      assertThat(asViewer.find(ResourceType.CONFIG_MAP, "it", "x")).isEmpty();
      assertThatThrownBy(() -> asViewer.get(ResourceType.SECRET, "it", "x"))
          .isInstanceOfSatisfying(
              KubeApiException.class, e -> assertThat(e.isForbidden()).isTrue());
    }
    assertThat(cp.instance(0).requestLog())
        .anySatisfy(r -> assertThat(r.user()).isEqualTo("viewer"));
  }

  @Test
  void anExpiredVersionIs410Gone() {
    ResourceList<ConfigMap> before =
        client.list(ResourceType.CONFIG_MAP, ListOptions.inNamespace("it"));
    client.create(ResourceType.CONFIG_MAP, ConfigMap.of(ObjectMeta.of("it", "newer"), Map.of()));
    cp.store().compact();

    assertThatThrownBy(
            () ->
                client.list(
                    ResourceType.CONFIG_MAP,
                    ListOptions.inNamespace("it")
                        .resourceVersion(before.resourceVersion())
                        .resourceVersionMatch("Exact")))
        .isInstanceOfSatisfying(
            KubeApiException.class,
            e -> {
              assertThat(e.code()).isEqualTo(410);
              assertThat(e.isGone()).isTrue();
            });
  }

  @Test
  void throttlingWithRetryAfterIsRetriedEvenForWrites() {
    cp.instance(0)
        .inject(Fault.errorResponses(429).onPaths(".*/configmaps").withRetryAfterSeconds(1));
    CompletableFuture<ConfigMap> create =
        CompletableFuture.supplyAsync(
            () ->
                client.create(
                    ResourceType.CONFIG_MAP,
                    ConfigMap.of(ObjectMeta.of("it", "throttled"), Map.of())));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> cp.instance(0).requestLog().stream().anyMatch(r -> r.status() == 429));
    cp.instance(0).restore();

    assertThat(create.join().name()).isEqualTo("throttled");
  }

  @Test
  void serverErrorsAreRetriedForReadsAndTheLastErrorCarriesTheEarlierOnes() {
    cp.instance(0).inject(Fault.errorResponses(500));
    try (KubeClient patient = clientWith(KubeClient.builder(client.config()).maxRetries(2))) {
      assertThatThrownBy(() -> patient.get(ResourceType.NAMESPACE, null, "it"))
          .isInstanceOfSatisfying(
              KubeApiException.class,
              e -> {
                assertThat(e.code()).isEqualTo(500);
                assertThat(e.reason()).isEqualTo("InternalError");
                assertThat(e.getSuppressed()).hasSize(1);
              });
    }
    assertThat(cp.instance(0).requestLog().stream().filter(r -> r.status() == 500).count())
        .isEqualTo(3);
  }

  @Test
  void aResetInstanceFailsFastWithTheRequestNamed() {
    cp.instance(0).inject(Fault.reset());
    try (KubeClient once = clientWith(KubeClient.builder(client.config()).maxRetries(0))) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> once.get(ResourceType.NAMESPACE, null, "it"))
          .isInstanceOf(KubeException.class)
          .isNotInstanceOf(KubeApiException.class)
          .hasMessageStartingWith("GET /api/v1/namespaces/it: ");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void aBlackholedInstanceTimesOutWithinTheConfiguredTimeouts() {
    cp.instance(0).inject(Fault.blackhole(DropMode.USER_SPACE));
    try (KubeClient impatient =
        clientWith(
            KubeClient.builder(client.config())
                .maxRetries(0)
                .connectTimeout(Duration.ofSeconds(1))
                .readTimeout(Duration.ofSeconds(1)))) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> impatient.get(ResourceType.NAMESPACE, null, "it"))
          .isInstanceOf(KubeException.class)
          .hasMessageContaining("GET /api/v1/namespaces/it");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void evictionHonoursPodDisruptionBudgets() {
    for (String name : List.of("dns-a", "dns-b")) {
      cp.store()
          .create(
              "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\""
                  + name
                  + "\",\"namespace\":\"it\",\"labels\":{\"app\":\"dns\"}},\"spec\":{\"containers\":[{\"name\":\"c\","
                  + "\"image\":\"coredns\"}]},\"status\":{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\","
                  + "\"status\":\"True\"}]}}");
    }
    client.create(
        ResourceType.POD_DISRUPTION_BUDGET,
        PodDisruptionBudget.of(
            ObjectMeta.of("it", "dns"),
            LabelSelector.of(Map.of("app", "dns")),
            IntOrString.of(1),
            null));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                client.get(ResourceType.POD_DISRUPTION_BUDGET, "it", "dns").disruptionsAllowed()
                    == 1);

    client.evict("it", "dns-a", DeleteOptions.defaults());
    assertThatThrownBy(() -> client.evict("it", "dns-b", DeleteOptions.defaults()))
        .isInstanceOfSatisfying(
            KubeApiException.class,
            e -> {
              assertThat(e.isTooManyRequests()).isTrue();
              assertThat(e.statusMessage()).contains("disruption budget");
            });
    assertThat(
            client
                .list(ResourceType.POD, ListOptions.inNamespace("it").labelSelector("app=dns"))
                .items())
        .extracting(Pod::name)
        .containsExactly("dns-b");
  }

  @Test
  void theStatusSubresourceIsUpdatedSeparately() {
    Pod pod =
        client.create(
            ResourceType.POD,
            Pod.builder()
                .metadata(ObjectMeta.of("it", "web"))
                .addContainer("web", "nginx")
                .build());
    Pod running =
        client.updateStatus(
            ResourceType.POD,
            pod.toBuilder()
                .phase("Running")
                .podIP("10.244.0.9")
                .condition(dev.lifeline.client.model.Condition.of("Ready", true))
                .build());
    assertThat(running.isReady()).isTrue();
    assertThat(running.podIP()).isEqualTo("10.244.0.9");
  }

  @Test
  void requestsUseHttp2AndTheLifelineUserAgent() {
    client.get(ResourceType.NAMESPACE, null, "it");
    assertThat(cp.instance(0).requestLog())
        .last()
        .satisfies(
            r -> {
              assertThat(r.protocol()).isEqualTo("h2");
              assertThat(r.userAgent()).startsWith("lifeline/");
            });
  }

  @Test
  void closingTheClientStopsItsInformersAndClosesItsConnections() throws InterruptedException {
    KubeClient own = FakeClusters.client(cp.kubeconfig().server(cp.instance(2)), dir);
    Informer<ConfigMap> informer = own.informer(ResourceType.CONFIG_MAP).namespace("it").start();
    assertThat(informer.awaitSynced(Duration.ofSeconds(10))).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> cp.instance(2).openConnections() > 0);

    own.close();

    assertThat(informer.hasSynced()).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> cp.instance(2).openWatches() == 0);
    await().atMost(Duration.ofSeconds(10)).until(() -> cp.instance(2).openConnections() == 0);
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().equals("lifeline-informer-configmaps@it") && t.isAlive());
  }
}
