package dev.lifeline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.testkit.AccessRule;
import dev.lifeline.testkit.FakeControlPlane;
import dev.lifeline.testkit.FakeControlPlaneExtension;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@link KubeClient#reviewAccess}: what {@code kubectl auth can-i} asks, against the fake. */
class AccessReviewIT {
  @RegisterExtension
  static final FakeControlPlaneExtension cp =
      new FakeControlPlaneExtension(
          FakeControlPlane.builder()
              .ephemeralPort()
              .instances(1)
              .user(
                  "forwarder",
                  u ->
                      u.allow(
                          new AccessRule(
                              Set.of("get", "create"),
                              Set.of("pods/portforward"),
                              Set.of("kube-system")))));

  @TempDir static Path dir;

  @Test
  void theServerSaysWhatThisUserMayDo() {
    try (KubeClient forwarder = FakeClusters.client(cp.kubeconfig().user("forwarder"), dir)) {
      AccessCheck portForward =
          AccessCheck.of("create", "pods").subresource("portforward").inNamespace("kube-system");
      AccessReview yes = forwarder.reviewAccess(portForward);
      assertThat(yes.allowed()).isTrue();
      assertThat(yes.denied()).isFalse();
      assertThat(yes.reason()).contains("forwarder");
      assertThat(yes.check()).isEqualTo(portForward);

      AccessReview no =
          forwarder.reviewAccess(AccessCheck.of("create", "pods").inNamespace("default"));
      assertThat(no.allowed()).isFalse();
      assertThat(no.reason()).isEmpty();
      assertThat(no.evaluationError()).isEmpty();
    }
    try (KubeClient admin = FakeClusters.client(cp.kubeconfig(), dir)) {
      assertThat(
              admin
                  .reviewAccess(
                      AccessCheck.of("list", "daemonsets")
                          .inGroup("apps")
                          .inNamespace("kube-system"))
                  .allowed())
          .isTrue();
    }
  }

  @Test
  void aCheckIsDescribedAsKubectlWouldAndValidatedAtOnce() {
    assertThat(AccessCheck.of("get", "pods").subresource("log").inNamespace("default").describe())
        .isEqualTo("get pods/log in default");
    assertThat(AccessCheck.of("list", "nodes").describe())
        .isEqualTo("list nodes at the cluster scope");
    assertThat(
            AccessCheck.of("get", "daemonsets")
                .inGroup("apps")
                .named("node-local-dns")
                .inNamespace("kube-system")
                .describe())
        .isEqualTo("get daemonsets.apps node-local-dns in kube-system");
    assertThatThrownBy(() -> AccessCheck.of("get", "pods/log"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("resource: must be a plural resource name without '/'");
    assertThatThrownBy(() -> AccessCheck.of(" ", "pods"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("verb: must not be blank");
  }
}
