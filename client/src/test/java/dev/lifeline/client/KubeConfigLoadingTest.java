package dev.lifeline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeConfigLoadingTest {
  @TempDir Path dir;

  private Path home() throws IOException {
    return Files.createDirectories(dir.resolve("home"));
  }

  private Path write(String relative, String content) throws IOException {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  private KubeConfig.Loader loader(Map<String, String> env) throws IOException {
    return KubeConfig.loader()
        .environment(env)
        .homeDirectory(home())
        .serviceAccountDirectory(dir.resolve("no-service-account"));
  }

  private static String cluster(String name, String server) {
    return "- name: "
        + name
        + "\n  cluster:\n    server: "
        + server
        + "\n    insecure-skip-tls-verify: true\n";
  }

  @Test
  void theFirstFileToDefineANameWinsAndCurrentContextComesFromTheFirstFileThatSetsIt()
      throws IOException {
    Path a =
        write(
            "a/config",
            "clusters:\n"
                + cluster("shared", "https://first.example:6443")
                + "users:\n- name: alice\n  user:\n    token: from-a\n"
                + "contexts:\n- name: dev\n  context: {cluster: shared, user: alice, namespace: team-a}\n");
    Path b =
        write(
            "b/config",
            "current-context: dev\n"
                + "clusters:\n"
                + cluster("shared", "https://second.example:6443")
                + cluster("only-b", "https://b.example")
                + "users:\n- name: alice\n  user:\n    token: from-b\n"
                + "contexts:\n- name: dev\n  context: {cluster: only-b, user: alice}\n");
    Path c = write("c/config", "current-context: prod\n");

    KubeConfig config =
        loader(Map.of("KUBECONFIG", a + File.pathSeparator + b + File.pathSeparator + c)).load();

    assertThat(config.server().toString()).isEqualTo("https://first.example:6443");
    assertThat(config.token()).isEqualTo("from-a");
    assertThat(config.namespace()).isEqualTo("team-a");
    assertThat(config.contextName()).isEqualTo("dev");
    assertThat(config.source()).isEqualTo(a.toString());
  }

  @Test
  void relativePathsResolveAgainstTheFolderOfTheFileThatHoldsThem() throws IOException {
    Files.createDirectories(dir.resolve("b/certs"));
    Files.copy(Fixtures.pki("ca.crt"), dir.resolve("b/certs/ca.crt"));
    Files.writeString(dir.resolve("b/token"), "file-token\n");
    Path a = write("a/config", "current-context: x\n");
    Path b =
        write(
            "b/config",
            "clusters:\n- name: c\n  cluster:\n    server: https://10.0.0.1:6443\n"
                + "    certificate-authority: certs/ca.crt\n"
                + "users:\n- name: u\n  user:\n    tokenFile: token\n"
                + "contexts:\n- name: x\n  context: {cluster: c, user: u}\n");

    KubeConfig config = loader(Map.of("KUBECONFIG", a + File.pathSeparator + b)).load();

    assertThat(config.certificateAuthorities()).hasSize(1);
    assertThat(config.tokenFile()).isEqualTo(dir.resolve("b/token"));
    assertThat(config.namespace()).isEqualTo("default");
  }

  @Test
  void anExplicitContextIsUsedWithItsNamespace() throws IOException {
    Path file =
        write(
            "config",
            "current-context: one\nclusters:\n"
                + cluster("c", "https://c.example")
                + "users:\n- name: u\n  user: {token: t}\n"
                + "contexts:\n- name: one\n  context: {cluster: c, user: u}\n"
                + "- name: two\n  context: {cluster: c, user: u, namespace: kube-system}\n");

    KubeConfig config = loader(Map.of()).kubeconfig(file).context("two").load();

    assertThat(config.contextName()).isEqualTo("two");
    assertThat(config.namespace()).isEqualTo("kube-system");
  }

  @Test
  void homeKubeConfigIsUsedWhenKubeconfigIsUnset() throws IOException {
    write(
        "home/.kube/config",
        "current-context: x\nclusters:\n"
            + cluster("c", "https://home.example")
            + "contexts:\n- name: x\n  context: {cluster: c}\n");

    KubeConfig config = loader(Map.of()).load();

    assertThat(config.server().getHost()).isEqualTo("home.example");
    assertThat(config.source()).isEqualTo("~/.kube/config");
  }

  @Test
  void inClusterConfigurationIsTheLastResortAndReadsTheServiceAccountFolder() throws IOException {
    Path sa = Files.createDirectories(dir.resolve("sa"));
    Files.writeString(sa.resolve("token"), "sa-token");
    Files.copy(Fixtures.pki("ca.crt"), sa.resolve("ca.crt"));
    Files.writeString(sa.resolve("namespace"), "kube-system\n");

    KubeConfig config =
        KubeConfig.loader()
            .environment(
                Map.of("KUBERNETES_SERVICE_HOST", "fd00::1", "KUBERNETES_SERVICE_PORT", "443"))
            .homeDirectory(home())
            .serviceAccountDirectory(sa)
            .load();

    assertThat(config.server().toString()).isEqualTo("https://[fd00::1]:443");
    assertThat(config.tokenFile()).isEqualTo(sa.resolve("token"));
    assertThat(config.namespace()).isEqualTo("kube-system");
    assertThat(config.certificateAuthorities()).hasSize(1);
    assertThat(config.source()).isEqualTo("in-cluster configuration");
  }

  @Test
  void missingKubeconfigEntriesAreSkippedAsClientGoDoes() throws IOException {
    Path real =
        write(
            "real",
            "current-context: x\nclusters:\n"
                + cluster("c", "https://c.example")
                + "contexts:\n- name: x\n  context: {cluster: c}\n");
    KubeConfig config =
        loader(Map.of("KUBECONFIG", dir.resolve("missing") + File.pathSeparator + real)).load();
    assertThat(config.server().getHost()).isEqualTo("c.example");
  }

  @Test
  void nothingFoundSaysWhereItLooked() throws IOException {
    assertThatThrownBy(() -> loader(Map.of("KUBECONFIG", dir.resolve("nope").toString())).load())
        .isInstanceOf(KubeConfigException.class)
        .hasMessageContaining("no Kubernetes configuration found")
        .hasMessageContaining("nope")
        .hasMessageContaining("KUBERNETES_SERVICE_HOST is not set");
  }

  @Test
  void dataFieldsAndImpersonationAreRead() throws IOException {
    String ca = Base64.getEncoder().encodeToString(Fixtures.bytes("ca.crt"));
    String cert = Base64.getEncoder().encodeToString(Fixtures.bytes("client-ec.crt"));
    String key = Base64.getEncoder().encodeToString(Fixtures.bytes("client-ec-sec1.key"));
    Path file =
        write(
            "config",
            "current-context: x\nclusters:\n- name: c\n  cluster:\n    server: https://10.0.0.1\n"
                + "    certificate-authority-data: "
                + ca
                + "\n    tls-server-name: kubernetes.example\n    proxy-url: socks5://127.0.0.1:1080\n"
                + "users:\n- name: u\n  user:\n    client-certificate-data: "
                + cert
                + "\n    client-key-data: "
                + key
                + "\n    as: bob\n    as-uid: '1234'\n    as-groups: [admins, devs]\n"
                + "    as-user-extra:\n      reason: [testing]\n"
                + "contexts:\n- name: x\n  context: {cluster: c, user: u}\n");

    KubeConfig config = loader(Map.of()).kubeconfig(file).load();

    assertThat(config.tlsServerName()).isEqualTo("kubernetes.example");
    assertThat(config.proxyUrl().toString()).isEqualTo("socks5://127.0.0.1:1080");
    assertThat(config.clientKey().getAlgorithm()).isEqualTo("EC");
    assertThat(config.clientCertificateChain()).hasSize(1);
    assertThat(config.impersonateUser()).isEqualTo("bob");
    assertThat(config.impersonateUid()).isEqualTo("1234");
    assertThat(config.impersonateGroups()).containsExactly("admins", "devs");
    assertThat(config.impersonateExtra()).containsEntry("reason", List.of("testing"));
  }

  @Test
  void execPluginsAreReadWithClientGoDefaults() throws IOException {
    Path file =
        write(
            "dir/config",
            "current-context: x\nclusters:\n"
                + cluster("c", "https://c.example")
                + "users:\n- name: u\n  user:\n    exec:\n"
                + "      apiVersion: client.authentication.k8s.io/v1beta1\n"
                + "      command: ./bin/plugin\n      args: [get-token, --x]\n"
                + "      env: [{name: A, value: b}]\n      installHint: install it\n"
                + "      provideClusterInfo: true\n"
                + "contexts:\n- name: x\n  context: {cluster: c, user: u}\n");

    ExecConfig exec = loader(Map.of()).kubeconfig(file).load().exec();

    assertThat(exec.command()).isEqualTo(dir.resolve("dir/bin/plugin").toString());
    assertThat(exec.args()).containsExactly("get-token", "--x");
    assertThat(exec.env()).containsEntry("A", "b");
    assertThat(exec.interactiveMode()).isEqualTo(ExecConfig.InteractiveMode.IF_AVAILABLE);
    assertThat(exec.provideClusterInfo()).isTrue();
  }

  @Test
  void toStringNeverShowsTheTokenOrExecEnvironmentValues() throws IOException {
    KubeConfig config =
        KubeConfig.builder().server("https://x.example").token("s3cr3t-token").build();
    assertThat(config.toString()).doesNotContain("s3cr3t").contains("token");
    ExecConfig exec =
        new ExecConfig(
            "aws",
            List.of("eks", "get-token"),
            Map.of("AWS_SECRET_ACCESS_KEY", "s3cr3t-key"),
            ExecConfig.V1,
            null,
            ExecConfig.InteractiveMode.NEVER,
            false);
    assertThat(exec.toString()).contains("AWS_SECRET_ACCESS_KEY").doesNotContain("s3cr3t");
  }

  // --- Malformed configurations: one line naming the file and the field. ---

  private String failure(String kubeconfig) throws IOException {
    Path file = write("home/.kube/config", kubeconfig);
    try {
      loader(Map.of()).kubeconfig(file).load();
    } catch (KubeConfigException e) {
      assertThat(e.getMessage()).doesNotContain("\n").startsWith("~/.kube/config: ");
      return e.getMessage();
    }
    throw new AssertionError("expected a KubeConfigException");
  }

  private static final String HEAD =
      "current-context: x\nclusters:\n- name: c\n  cluster: {server: 'https://c.example', insecure-skip-tls-verify: true}\n"
          + "contexts:\n- name: x\n  context: {cluster: c, user: alice}\n";

  @Test
  void badYamlNamesTheLineAndColumn() throws IOException {
    assertThat(failure("clusters:\n- name: c\n  cluster: {server: [\n"))
        .contains("not valid YAML")
        .contains("line ");
  }

  @Test
  void aMissingExplicitFileIsReported() throws IOException {
    Path missing = home().resolve(".kube/other");
    assertThatThrownBy(() -> loader(Map.of()).kubeconfig(missing).load())
        .isInstanceOf(KubeConfigException.class)
        .hasMessage("~/.kube/other: cannot read (No such file or directory)");
  }

  @Test
  void anUnknownContextListsTheDefinedOnes() throws IOException {
    Path file = write("home/.kube/config", HEAD + "users:\n- name: alice\n  user: {token: t}\n");
    assertThatThrownBy(() -> loader(Map.of()).kubeconfig(file).context("prod").load())
        .isInstanceOf(KubeConfigException.class)
        .hasMessage(
            "~/.kube/config: contexts: context \"prod\" is not defined; defined contexts: [x]");
  }

  @Test
  void anUnknownUserReferencedByAContextIsReported() throws IOException {
    assertThat(failure(HEAD))
        .isEqualTo(
            "~/.kube/config: contexts[x].user: user \"alice\" is not defined; defined users: []");
  }

  @Test
  void anUnknownClusterReferencedByAContextIsReported() throws IOException {
    assertThat(failure("current-context: x\ncontexts:\n- name: x\n  context: {cluster: nowhere}\n"))
        .isEqualTo(
            "~/.kube/config: contexts[x].cluster: cluster \"nowhere\" is not defined; defined clusters: []");
  }

  @Test
  void anUnreadableKeyNamesTheFieldAndThePath() throws IOException {
    Path cert = Fixtures.pki("client-rsa.crt");
    assertThat(
            failure(
                HEAD
                    + "users:\n- name: alice\n  user:\n    client-certificate: "
                    + cert
                    + "\n    client-key: /x/key.pem\n"))
        .isEqualTo(
            "~/.kube/config: users[alice].client-key: cannot read /x/key.pem (No such file or directory)");
  }

  @Test
  void aMalformedKeyNamesTheFieldAndWhatIsWrong() throws IOException {
    Path cert = Fixtures.pki("client-rsa.crt");
    Path key = Fixtures.pki("client-rsa-encrypted-pkcs8.key");
    assertThat(
            failure(
                HEAD
                    + "users:\n- name: alice\n  user:\n    client-certificate: "
                    + cert
                    + "\n    client-key: "
                    + key
                    + "\n"))
        .startsWith(
            "~/.kube/config: users[alice].client-key: " + key + ": not a usable private key")
        .contains("encrypted");
  }

  @Test
  void aCertificateWithoutItsKeyIsReported() throws IOException {
    assertThat(
            failure(
                HEAD
                    + "users:\n- name: alice\n  user:\n    client-certificate: "
                    + Fixtures.pki("client-rsa.crt")
                    + "\n"))
        .startsWith(
            "~/.kube/config: users[alice].client-key: not set, but users[alice].client-certificate is");
  }

  @Test
  void basicAuthIsRefusedWithWhatToUseInstead() throws IOException {
    assertThat(failure(HEAD + "users:\n- name: alice\n  user: {username: a, password: b}\n"))
        .startsWith("~/.kube/config: users[alice].username: basic authentication")
        .contains("exec plugin such as kubelogin");
  }

  @Test
  void legacyAuthProvidersAreRefusedWithTheirReplacement() throws IOException {
    assertThat(failure(HEAD + "users:\n- name: alice\n  user:\n    auth-provider: {name: gcp}\n"))
        .startsWith("~/.kube/config: users[alice].auth-provider: the legacy auth provider \"gcp\"")
        .contains("gke-gcloud-auth-plugin");
  }

  @Test
  void v1ExecPluginsMustSayWhetherTheyAreInteractive() throws IOException {
    assertThat(
            failure(
                HEAD
                    + "users:\n- name: alice\n  user:\n    exec:\n"
                    + "      apiVersion: client.authentication.k8s.io/v1\n      command: kubelogin\n"))
        .isEqualTo(
            "~/.kube/config: users[alice].exec.interactiveMode: required by client.authentication.k8s.io/v1;"
                + " set Never, IfAvailable or Always");
  }

  @Test
  void execPluginsWithAnUnknownApiVersionAreRefused() throws IOException {
    assertThat(
            failure(
                HEAD
                    + "users:\n- name: alice\n  user:\n    exec:\n"
                    + "      apiVersion: client.authentication.k8s.io/v1alpha1\n      command: x\n"))
        .startsWith(
            "~/.kube/config: users[alice].exec.apiVersion: expected client.authentication.k8s.io/v1");
  }

  @Test
  void aServerThatIsNotAUrlIsReported() throws IOException {
    assertThat(
            failure(
                "current-context: x\nclusters:\n- name: c\n  cluster: {server: 'c.example:6443'}\n"
                    + "contexts:\n- name: x\n  context: {cluster: c}\n"))
        .isEqualTo(
            "~/.kube/config: clusters[c].server: expected https://host[:port], got \"c.example:6443\"");
  }

  @Test
  void insecureTogetherWithACertificateAuthorityIsRefusedAsClientGoDoes() throws IOException {
    assertThat(
            failure(
                "current-context: x\nclusters:\n- name: c\n  cluster:\n    server: https://c.example\n"
                    + "    insecure-skip-tls-verify: true\n    certificate-authority: "
                    + Fixtures.pki("ca.crt")
                    + "\ncontexts:\n- name: x\n  context: {cluster: c}\n"))
        .startsWith(
            "~/.kube/config: clusters[c].insecure-skip-tls-verify: set together with a certificate");
  }

  @Test
  void aMalformedCertificateAuthorityIsReported() throws IOException {
    assertThat(
            failure(
                "current-context: x\nclusters:\n- name: c\n  cluster:\n    server: https://c.example\n"
                    + "    certificate-authority-data: bm90IGEgY2VydA==\n"
                    + "contexts:\n- name: x\n  context: {cluster: c}\n"))
        .isEqualTo(
            "~/.kube/config: clusters[c].certificate-authority-data: not a PEM certificate: no PEM"
                + " certificate (-----BEGIN CERTIFICATE-----) found");
  }

  @Test
  void anUnsetCurrentContextSaysHowToChooseOne() throws IOException {
    assertThat(failure("contexts:\n- name: a\n  context: {cluster: c}\n"))
        .isEqualTo(
            "~/.kube/config: current-context: not set and no context was given; choose one of [a]"
                + " (kubectl config use-context NAME)");
  }

  @Test
  void duplicateNamesInOneFileAreReported() throws IOException {
    assertThat(failure("clusters:\n" + cluster("c", "https://a") + cluster("c", "https://b")))
        .isEqualTo(
            "~/.kube/config: clusters: the name \"c\" appears twice; names must be unique in a file");
  }

  @Test
  void anInClusterPodWithoutItsTokenSaysWhatIsMissing() throws IOException {
    assertThatThrownBy(
            () ->
                KubeConfig.loader()
                    .environment(
                        Map.of(
                            "KUBERNETES_SERVICE_HOST",
                            "10.96.0.1",
                            "KUBERNETES_SERVICE_PORT",
                            "443"))
                    .homeDirectory(home())
                    .serviceAccountDirectory(dir.resolve("sa"))
                    .inCluster())
        .isInstanceOf(KubeConfigException.class)
        .hasMessageStartingWith("in-cluster configuration: token: cannot read ")
        .hasMessageContaining("No such file or directory");
  }
}
