package dev.lifeline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.client.model.Namespace;
import dev.lifeline.testkit.ClientCertificate;
import dev.lifeline.testkit.FakeControlPlane;
import dev.lifeline.testkit.FakeControlPlaneExtension;
import dev.lifeline.testkit.KeyAlgorithm;
import dev.lifeline.testkit.KeyFormat;
import dev.lifeline.testkit.RequestRecord;
import dev.lifeline.testkit.TestUser;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every way to authenticate, against the fake control plane. */
class AuthIT {
  @RegisterExtension
  static final FakeControlPlaneExtension cp =
      new FakeControlPlaneExtension(
          FakeControlPlane.builder()
              .ephemeralPort()
              .instances(2)
              .user("rotor", u -> u.groups("system:masters"))
              .user("plugin", u -> u.groups("system:masters"))
              .user("certs", u -> u.groups("system:masters")));

  @TempDir Path dir;

  private static String lastUser() {
    List<RequestRecord> log = cp.instance(0).requestLog();
    return log.get(log.size() - 1).user();
  }

  private static void ping(KubeClient client) {
    assertThat(client.get(ResourceType.NAMESPACE, null, "default").phase()).isEqualTo("Active");
  }

  @Test
  void aBearerTokenInTheKubeconfigAuthenticates() {
    try (KubeClient client = FakeClusters.client(cp.kubeconfig(), dir)) {
      ping(client);
    }
    assertThat(lastUser()).isEqualTo("admin");
  }

  @Test
  void aRotatedTokenFileIsPickedUpAfterA401AndAfterTheRefreshPeriod() throws IOException {
    TestUser rotor = cp.user("rotor");
    Path tokenFile = dir.resolve("token");
    KubeConfig config =
        FakeClusters.config(cp.kubeconfig().user("rotor").tokenFile(tokenFile), dir);
    MutableClock clock = new MutableClock();
    try (KubeClient client = KubeClient.builder(config).clock(clock).build()) {
      ping(client);

      // The kubelet rewrote the file and the old token stopped working: one 401, then the new
      // token.
      Files.writeString(tokenFile, rotor.rotateToken());
      ping(client);
      List<RequestRecord> log = cp.instance(0).requestLog();
      assertThat(log.get(log.size() - 2).status()).isEqualTo(401);
      assertThat(log.get(log.size() - 1).user()).isEqualTo("rotor");

      // The file is rewritten ahead of expiry: after the refresh period the new token is used
      // without a 401.
      String next = "rotated-" + System.nanoTime();
      Files.writeString(tokenFile, next);
      clock.advance(config.tokenFileRefresh());
      rotor.setToken(next);
      cp.instance(0).clearRequestLog();
      ping(client);
      assertThat(cp.instance(0).requestLog())
          .extracting(RequestRecord::status)
          .containsExactly(200);
    }
  }

  @ParameterizedTest(name = "{0} key in {1} form")
  @CsvSource({"RSA_2048, PKCS1_RSA", "RSA_2048, PKCS8", "EC_P256, SEC1_EC", "EC_P256, PKCS8"})
  void clientCertificatesAuthenticateInEveryKeyFormat(KeyAlgorithm algorithm, KeyFormat format) {
    try (KubeClient client =
        FakeClusters.client(
            cp.kubeconfig().user("certs").clientCertificate(algorithm, format), dir)) {
      ping(client);
    }
    assertThat(lastUser()).isEqualTo("certs");
  }

  private Path script(String name, String body) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    return file;
  }

  /** A kubeconfig whose user runs an exec plugin. */
  private Path execKubeconfig(Path command, boolean provideClusterInfo) throws IOException {
    String ca =
        Base64.getEncoder()
            .encodeToString(cp.ca().certificatePem().getBytes(StandardCharsets.US_ASCII));
    String yaml =
        "apiVersion: v1\nkind: Config\ncurrent-context: exec\n"
            + "clusters:\n- name: fake\n  cluster:\n    server: "
            + cp.instance(0).url()
            + "\n    certificate-authority-data: "
            + ca
            + "\n    extensions:\n    - name: client.authentication.k8s.io/exec\n      extension: {audience: lifeline}\n"
            + "users:\n- name: plugin\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n"
            + "      command: "
            + command
            + "\n      args: [--user, plugin]\n      env: [{name: PLUGIN_DIR, value: '"
            + dir
            + "'}]\n      interactiveMode: Never\n      provideClusterInfo: "
            + provideClusterInfo
            + "\n      installHint: 'install it'\n"
            + "contexts:\n- name: exec\n  context: {cluster: fake, user: plugin}\n";
    return Files.writeString(dir.resolve("exec-kubeconfig"), yaml);
  }

  private KubeConfig load(Path kubeconfig) {
    return KubeConfig.loader()
        .environment(Map.of())
        .homeDirectory(dir)
        .kubeconfig(kubeconfig)
        .load();
  }

  @Test
  void anExecPluginIsRunOnceCachedAndRunAgainAfterA401() throws IOException {
    TestUser plugin = cp.user("plugin");
    Files.writeString(dir.resolve("token"), plugin.token());
    Path command =
        script(
            "get-token",
            "echo \"$KUBERNETES_EXEC_INFO\" > \"$PLUGIN_DIR/exec-info.json\"\n"
                + "echo \"$@\" >> \"$PLUGIN_DIR/runs\"\n"
                + "printf '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
                + "\"status\":{\"token\":\"%s\"}}' \"$(cat \"$PLUGIN_DIR/token\")\"\n");
    try (KubeClient client = KubeClient.builder(load(execKubeconfig(command, true))).build()) {
      ping(client);
      ping(client);
      ping(client);
      assertThat(Files.readAllLines(dir.resolve("runs"))).containsExactly("--user plugin");
      assertThat(lastUser()).isEqualTo("plugin");

      Files.writeString(dir.resolve("token"), plugin.rotateToken());
      ping(client);
      assertThat(Files.readAllLines(dir.resolve("runs"))).hasSize(2);
    }
    String info = Files.readString(dir.resolve("exec-info.json"));
    assertThat(info)
        .contains("\"kind\":\"ExecCredential\"")
        .contains("\"interactive\":false")
        .contains("\"server\":\"" + cp.instance(0).url() + "\"")
        .contains("\"config\":{\"audience\":\"lifeline\"}");
  }

  @Test
  void anExecPluginMayReturnAClientCertificate() throws IOException {
    ClientCertificate certificate = cp.user("certs").clientCertificate(KeyAlgorithm.RSA_2048);
    String json =
        "{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{"
            + "\"clientCertificateData\":\""
            + certificate.certificatePem().replace("\n", "\\n")
            + "\",\"clientKeyData\":\""
            + certificate.privateKeyPem(KeyFormat.PKCS1_RSA).replace("\n", "\\n")
            + "\",\"expirationTimestamp\":\""
            + Instant.now().plus(Duration.ofHours(1))
            + "\"}}";
    Files.writeString(dir.resolve("credential.json"), json);
    Path command = script("get-cert", "cat \"$PLUGIN_DIR/credential.json\"\n");
    try (KubeClient client = KubeClient.builder(load(execKubeconfig(command, false))).build()) {
      ping(client);
    }
    assertThat(lastUser()).isEqualTo("certs");
  }

  @Test
  void aFailingExecPluginIsOneClearLine() throws IOException {
    Path command = script("broken", "echo 'error: you must be logged in' >&2\nexit 1\n");
    Path kubeconfig = execKubeconfig(command, false);
    try (KubeClient client = KubeClient.builder(load(kubeconfig)).build()) {
      assertThatThrownBy(() -> ping(client))
          .isInstanceOf(KubeConfigException.class)
          .hasMessage(
              "~/exec-kubeconfig"
                  + ": users[plugin].exec: command \""
                  + command
                  + "\" exited with status 1: error: you must be logged in");
    }
  }

  @Test
  void aMissingExecPluginShowsItsInstallHint() throws IOException {
    Path kubeconfig = execKubeconfig(dir.resolve("not-installed"), false);
    try (KubeClient client = KubeClient.builder(load(kubeconfig)).build()) {
      assertThatThrownBy(() -> ping(client))
          .isInstanceOf(KubeConfigException.class)
          .hasMessageEndingWith(
              "not found; it is a client-go credential plugin that is not installed: install it");
    }
  }

  @Test
  void anExecPluginPrintingGarbageIsReported() throws IOException {
    Path command = script("garbage", "echo 'Please log in at https://login.example'\n");
    try (KubeClient client = KubeClient.builder(load(execKubeconfig(command, false))).build()) {
      assertThatThrownBy(() -> ping(client))
          .isInstanceOf(KubeConfigException.class)
          .hasMessageContaining(
              "users[plugin].exec: command \""
                  + command
                  + "\" printed invalid ExecCredential JSON");
    }
  }

  @Test
  void inClusterConfigurationUsesTheServiceAccountFolder() throws IOException {
    Path sa = Files.createDirectories(dir.resolve("serviceaccount"));
    Files.writeString(sa.resolve("token"), cp.admin().token());
    Files.writeString(sa.resolve("ca.crt"), cp.ca().certificatePem());
    Files.writeString(sa.resolve("namespace"), "kube-system");
    KubeConfig config =
        KubeConfig.loader()
            .environment(
                Map.of(
                    "KUBERNETES_SERVICE_HOST", cp.instance(1).address().getHostAddress(),
                    "KUBERNETES_SERVICE_PORT", Integer.toString(cp.port())))
            .homeDirectory(Files.createDirectories(dir.resolve("empty-home")))
            .serviceAccountDirectory(sa)
            .load();
    assertThat(config.namespace()).isEqualTo("kube-system");
    try (KubeClient client = KubeClient.builder(config).build()) {
      ping(client);
    }
    assertThat(cp.instance(1).requestLog())
        .last()
        .satisfies(r -> assertThat(r.user()).isEqualTo("admin"));
  }

  @Test
  void tlsServerNameAndTheDnsHookReachInstancesByIpWithTheCertificatesName() {
    try (KubeClient byIp =
            FakeClusters.client(
                cp.kubeconfig().server(cp.instance(1)).tlsServerName(cp.serverName()), dir);
        KubeClient byName =
            KubeClient.builder(FakeClusters.config(cp.kubeconfig().serverByName(), dir))
                .dns(
                    host ->
                        host.equals(cp.serverName())
                            ? List.of(cp.instance(1).address(), cp.instance(0).address())
                            : List.of(InetAddress.getAllByName(host)))
                .build()) {
      ping(byIp);
      ping(byName);
    }
  }

  @Test
  void insecureSkipTlsVerifyIsHonouredWhenTheKubeconfigSaysSo() {
    try (KubeClient client = FakeClusters.client(cp.kubeconfig().insecureSkipTlsVerify(), dir)) {
      ping(client);
      assertThat(client.tls().isInsecure()).isTrue();
    }
  }

  @Test
  void aNamespaceMayBeCreatedAndDeletedWithClusterScope() {
    try (KubeClient client = FakeClusters.client(cp.kubeconfig(), dir)) {
      client.create(ResourceType.NAMESPACE, Namespace.named("auth-it"));
      assertThat(client.get(ResourceType.NAMESPACE, null, "auth-it").name()).isEqualTo("auth-it");
      client.delete(ResourceType.NAMESPACE, null, "auth-it");
    }
  }

  /** A clock the test moves. */
  static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2024-05-01T10:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
