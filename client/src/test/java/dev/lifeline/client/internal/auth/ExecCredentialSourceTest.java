package dev.lifeline.client.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.client.ExecConfig;
import dev.lifeline.client.Fixtures;
import dev.lifeline.client.KubeConfig;
import dev.lifeline.client.KubeConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ExecCredentialSourceTest {
  private Instant now = Instant.parse("2024-05-01T10:00:00Z");
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };

  /** A plugin that answers from a script of results and records how it was run. */
  private static final class FakePlugin implements ExecPluginRunner {
    final Deque<Result> results = new ArrayDeque<>();
    final List<Map<String, String>> envs = new ArrayList<>();
    final List<Boolean> interactive = new ArrayList<>();
    final List<Duration> timeouts = new ArrayList<>();
    IOException startFailure;

    FakePlugin answer(String stdout) {
      results.add(new Result(0, stdout.getBytes(StandardCharsets.UTF_8), ""));
      return this;
    }

    @Override
    public Result run(
        String command,
        List<String> args,
        Map<String, String> env,
        boolean interactive,
        Duration timeout)
        throws IOException {
      if (startFailure != null) {
        throw startFailure;
      }
      envs.add(env);
      this.interactive.add(interactive);
      timeouts.add(timeout);
      return results.remove();
    }
  }

  private static String token(String apiVersion, String token, String expiration) {
    return "{\"apiVersion\":\""
        + apiVersion
        + "\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\""
        + token
        + "\""
        + (expiration == null ? "" : ",\"expirationTimestamp\":\"" + expiration + "\"")
        + "}}";
  }

  private static KubeConfig config(ExecConfig.InteractiveMode mode, boolean clusterInfo) {
    return KubeConfig.builder()
        .server("https://kubernetes.example:6443")
        .tlsServerName("kubernetes.example")
        .certificateAuthorityPem(Fixtures.text("ca.crt"))
        .exec(
            new ExecConfig(
                "get-token",
                List.of("--cluster", "x"),
                Map.of("AWS_PROFILE", "dev"),
                ExecConfig.V1,
                "Install it with: brew install get-token",
                mode,
                clusterInfo))
        .execClusterConfig(Map.of("audience", "kube"))
        .origin("~/.kube/config", "users[alice]", "dev")
        .build();
  }

  private ExecCredentialSource source(
      FakePlugin plugin, ExecConfig.InteractiveMode mode, boolean terminal) {
    return new ExecCredentialSource(config(mode, true), clock, plugin, () -> terminal, () -> {});
  }

  @Test
  void theTokenIsCachedUntilItsExpirationTimestamp() {
    FakePlugin plugin =
        new FakePlugin()
            .answer(token(ExecConfig.V1, "first", "2024-05-01T10:05:00Z"))
            .answer(token(ExecConfig.V1, "second", "2024-05-01T10:10:00Z"));
    ExecCredentialSource source = source(plugin, ExecConfig.InteractiveMode.NEVER, false);

    assertThat(source.current().token()).isEqualTo("first");
    now = now.plusSeconds(299);
    assertThat(source.current().token()).isEqualTo("first");
    assertThat(plugin.envs).hasSize(1);

    now = now.plusSeconds(1);
    assertThat(source.current().token()).isEqualTo("second");
    assertThat(plugin.envs).hasSize(2);
  }

  @Test
  void withoutAnExpirationTheTokenIsKeptUntilA401() {
    FakePlugin plugin =
        new FakePlugin()
            .answer(token(ExecConfig.V1, "a", null))
            .answer(token(ExecConfig.V1, "b", null));
    ExecCredentialSource source = source(plugin, ExecConfig.InteractiveMode.NEVER, false);

    Credentials used = source.current();
    now = now.plusSeconds(86_400);
    assertThat(source.current()).isSameAs(used);

    assertThat(source.refreshAfterUnauthorized(used)).isTrue();
    assertThat(source.current().token()).isEqualTo("b");
    // A second request that failed with the old token does not run the plugin again.
    assertThat(source.refreshAfterUnauthorized(used)).isTrue();
    assertThat(plugin.envs).hasSize(2);
  }

  @Test
  void thePluginGetsItsEnvironmentAndExecInfoWithTheCluster() {
    FakePlugin plugin = new FakePlugin().answer(token(ExecConfig.V1, "t", null));
    source(plugin, ExecConfig.InteractiveMode.NEVER, true).current();

    Map<String, String> env = plugin.envs.get(0);
    assertThat(env).containsEntry("AWS_PROFILE", "dev");
    String info = env.get("KUBERNETES_EXEC_INFO");
    assertThat(info)
        .startsWith(
            "{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"spec\":{")
        .contains("\"interactive\":false")
        .contains("\"server\":\"https://kubernetes.example:6443\"")
        .contains("\"tls-server-name\":\"kubernetes.example\"")
        .contains("\"certificate-authority-data\":\"")
        .contains("\"config\":{\"audience\":\"kube\"}");
    assertThat(plugin.interactive).containsExactly(false);
    assertThat(plugin.timeouts.get(0)).isNotNull();
  }

  @Test
  void interactiveModeDecidesWhetherStandardInputIsPassed() {
    FakePlugin plugin =
        new FakePlugin()
            .answer(token(ExecConfig.V1, "t", null))
            .answer(token(ExecConfig.V1, "t", null))
            .answer(token(ExecConfig.V1, "t", null));
    source(plugin, ExecConfig.InteractiveMode.IF_AVAILABLE, true).current();
    source(plugin, ExecConfig.InteractiveMode.IF_AVAILABLE, false).current();
    source(plugin, ExecConfig.InteractiveMode.ALWAYS, true).current();
    assertThat(plugin.interactive).containsExactly(true, false, true);
    assertThat(plugin.envs.get(0).get("KUBERNETES_EXEC_INFO")).contains("\"interactive\":true");
    assertThat(plugin.timeouts.get(0)).isNull();

    assertThatThrownBy(() -> source(plugin, ExecConfig.InteractiveMode.ALWAYS, false).current())
        .isInstanceOf(KubeConfigException.class)
        .hasMessageContaining(
            "users[alice].exec: interactiveMode is Always, but standard input is not a terminal");
  }

  @Test
  void aPluginThatExitsWithAnErrorIsReportedWithItsMessageOnOneLine() {
    FakePlugin plugin = new FakePlugin();
    plugin.results.add(
        new ExecPluginRunner.Result(1, new byte[0], "error: token expired\nrun 'login' again\n"));
    assertThatThrownBy(() -> source(plugin, ExecConfig.InteractiveMode.NEVER, false).current())
        .isInstanceOf(KubeConfigException.class)
        .hasMessage(
            "~/.kube/config: users[alice].exec: command \"get-token\" exited with status 1: error: token"
                + " expired | run 'login' again");
  }

  @Test
  void aPluginThatPrintsBadJsonIsReported() {
    FakePlugin plugin = new FakePlugin().answer("token: not json");
    assertThatThrownBy(() -> source(plugin, ExecConfig.InteractiveMode.NEVER, false).current())
        .isInstanceOf(KubeConfigException.class)
        .hasMessageStartingWith(
            "~/.kube/config: users[alice].exec: command \"get-token\" printed invalid ExecCredential JSON");
  }

  @Test
  void aPluginAnsweringWithAnotherApiVersionIsRefused() {
    FakePlugin plugin = new FakePlugin().answer(token(ExecConfig.V1BETA1, "t", null));
    assertThatThrownBy(() -> source(plugin, ExecConfig.InteractiveMode.NEVER, false).current())
        .hasMessageContaining("returned apiVersion \"client.authentication.k8s.io/v1beta1\"");
  }

  @Test
  void aMissingPluginShowsItsInstallHint() {
    FakePlugin plugin = new FakePlugin();
    plugin.startFailure =
        new IOException("Cannot run program \"get-token\": error=2, No such file or directory");
    assertThatThrownBy(() -> source(plugin, ExecConfig.InteractiveMode.NEVER, false).current())
        .hasMessage(
            "~/.kube/config: users[alice].exec: command \"get-token\" not found; it is a client-go credential"
                + " plugin that is not installed: Install it with: brew install get-token");
  }

  @Test
  void aClientCertificateFromThePluginBecomesTheIdentityAndItsRotationIsSignalled() {
    String cert = Fixtures.text("client-ec.crt").replace("\n", "\\n");
    String key = Fixtures.text("client-ec-sec1.key").replace("\n", "\\n");
    String rsaCert = Fixtures.text("client-rsa.crt").replace("\n", "\\n");
    String rsaKey = Fixtures.text("client-rsa-pkcs1.key").replace("\n", "\\n");
    FakePlugin plugin =
        new FakePlugin()
            .answer(
                "{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"status\":{\"clientCertificateData\":\""
                    + cert
                    + "\",\"clientKeyData\":\""
                    + key
                    + "\",\"expirationTimestamp\":\"2024-05-01T10:01:00Z\"}}")
            .answer(
                "{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"status\":{\"clientCertificateData\":\""
                    + rsaCert
                    + "\",\"clientKeyData\":\""
                    + rsaKey
                    + "\"}}");
    AtomicInteger rotations = new AtomicInteger();
    ExecCredentialSource source =
        new ExecCredentialSource(
            config(ExecConfig.InteractiveMode.NEVER, false),
            clock,
            plugin,
            () -> false,
            rotations::incrementAndGet);

    assertThat(source.identity().key().getAlgorithm()).isEqualTo("EC");
    assertThat(source.current().token()).isNull();
    assertThat(rotations).hasValue(0);

    now = now.plusSeconds(60);
    assertThat(source.identity().key().getAlgorithm()).isEqualTo("RSA");
    assertThat(rotations).hasValue(1);
    assertThat(plugin.envs.get(0).get("KUBERNETES_EXEC_INFO")).doesNotContain("cluster");
  }

  @Test
  void aCertificateWithoutItsKeyIsRefused() {
    String cert = Fixtures.text("client-ec.crt").replace("\n", "\\n");
    FakePlugin plugin =
        new FakePlugin()
            .answer(
                "{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"status\":{\"clientCertificateData\":\""
                    + cert
                    + "\"}}");
    assertThatThrownBy(() -> source(plugin, ExecConfig.InteractiveMode.NEVER, false).current())
        .hasMessageContaining("a client certificate without its key");
  }

  @Test
  void credentialsNeverShowTheTokenInToString() {
    assertThat(new Credentials("s3cr3t", null).toString()).doesNotContain("s3cr3t");
  }
}
