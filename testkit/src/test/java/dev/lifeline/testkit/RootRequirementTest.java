package dev.lifeline.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;

class RootRequirementTest {
  @Test
  void rootWithTheCommandsRuns() {
    Optional<String> missing = RootRequirement.missing(true, c -> true, "drops", "iptables");
    assertThat(missing).isEmpty();
    assertThat(RootRequirement.decide(missing, true).isDisabled()).isFalse();
  }

  @Test
  void notRootSkipsWithAMessageNamingTheNeed() {
    Optional<String> missing = RootRequirement.missing(false, c -> true, "iptables packet drops");
    ConditionEvaluationResult r = RootRequirement.decide(missing, false);
    assertThat(r.isDisabled()).isTrue();
    assertThat(r.getReason())
        .hasValueSatisfying(m -> assertThat(m).startsWith("needs root for iptables packet drops"));
  }

  @Test
  void aMissingCommandNamesThePackageToInstall() {
    assertThat(RootRequirement.missing(true, c -> false, "namespaces", "ip"))
        .hasValueSatisfying(m -> assertThat(m).contains("apt-get install iproute2"));
  }

  @Test
  void requiredRootTestsFailInsteadOfSkipping() {
    Optional<String> missing = RootRequirement.missing(false, c -> true, "drops");
    assertThatThrownBy(() -> RootRequirement.decide(missing, true))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("LIFELINE_REQUIRE_ROOT_TESTS=1 makes this a failure");
  }
}
