package dev.lifeline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.client.model.ConfigMap;
import dev.lifeline.client.model.ObjectMeta;
import dev.lifeline.client.model.ServiceAccountToken;
import dev.lifeline.testkit.AccessRule;
import dev.lifeline.testkit.FakeControlPlane;
import dev.lifeline.testkit.FakeControlPlaneExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@link KubeClient#requestToken} against the fake control plane's TokenRequest API. */
class TokenRequestIT {
  @RegisterExtension
  static final FakeControlPlaneExtension cp =
      new FakeControlPlaneExtension(
          FakeControlPlane.builder()
              .ephemeralPort()
              .instances(1)
              .serviceAccountAccess("robots", "builder", AccessRule.resources("configmaps")));

  @TempDir static Path dir;
  static KubeClient admin;

  @BeforeAll
  static void connect() {
    admin = FakeClusters.client(cp.kubeconfig(), dir);
    cp.store()
        .create(
            "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"robots\"}}");
    cp.store()
        .create(
            "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"builder\","
                + "\"namespace\":\"robots\"}}");
  }

  @AfterAll
  static void disconnect() {
    admin.close();
  }

  @Test
  void aRequestedTokenWorksAsTheServiceAccount() throws Exception {
    Instant before = Instant.now();
    ServiceAccountToken token =
        admin.requestToken("robots", "builder", List.of(), Duration.ofMinutes(20));

    assertThat(token.expiration()).isBetween(before.plusSeconds(1199), before.plusSeconds(1260));
    Path tokenFile = Files.writeString(dir.resolve("builder-token"), token.token());
    KubeConfig config =
        KubeConfig.builder()
            .server(cp.instance(0).url().toString())
            .certificateAuthorityPem(cp.ca().certificatePem())
            .tokenFile(tokenFile)
            .build();
    try (KubeClient robot = KubeClient.builder(config).build()) {
      robot.create(
          ResourceType.CONFIG_MAP,
          ConfigMap.of(ObjectMeta.of("robots", "built"), Map.of("k", "v")));
      assertThat(robot.configMapValue("robots", "built", "k")).contains("v");
      assertThatThrownBy(() -> robot.list(ResourceType.POD, ListOptions.inNamespace("robots")))
          .isInstanceOfSatisfying(KubeApiException.class, e -> assertThat(e.code()).isEqualTo(403));
    }
  }

  @Test
  void theServersAnswerToAMissingServiceAccountIsAnApiError() {
    assertThatThrownBy(() -> admin.requestToken("robots", "nobody", List.of("api"), null))
        .isInstanceOfSatisfying(
            KubeApiException.class,
            e -> {
              assertThat(e.code()).isEqualTo(404);
              assertThat(e.statusMessage()).isEqualTo("serviceaccounts \"nobody\" not found");
            });
  }
}
