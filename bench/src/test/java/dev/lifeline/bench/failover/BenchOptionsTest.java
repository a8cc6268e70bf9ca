package dev.lifeline.bench.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {
  @Test
  void theDefaultsAreTwentyTrialsWithATwoMinuteCapForEveryScenarioAndConfiguration() {
    BenchOptions options = BenchOptions.parse();

    assertThat(options.trials()).isEqualTo(20);
    assertThat(options.cap()).isEqualTo(Duration.ofSeconds(120));
    assertThat(options.scenarios()).containsExactly(Scenario.values());
    assertThat(options.configurations()).hasSize(12);
    assertThat(options.reportOnly()).isEmpty();
  }

  @Test
  void quickRunsFewerTrialsWithAShorterCapUnlessToldOtherwise() {
    assertThat(BenchOptions.parse("--quick").trials()).isEqualTo(3);
    assertThat(BenchOptions.parse("--quick").cap()).isEqualTo(Duration.ofSeconds(30));
    assertThat(BenchOptions.parse("--trials", "5", "--quick").trials()).isEqualTo(5);
  }

  @Test
  void scenariosAndConfigurationsAreChosenByName() {
    BenchOptions options =
        BenchOptions.parse(
            "--scenarios", "reset,graceful", "--configurations", "lifeline-client+lifeline");

    assertThat(options.scenarios()).containsExactly(Scenario.RESET, Scenario.GRACEFUL_STOP);
    assertThat(options.configurations())
        .containsExactly(new Configuration(ClientKind.LIGHT, Configuration.Wiring.LIFELINE));
  }

  @Test
  void reportTakesTheFilesThatFollow() {
    assertThat(BenchOptions.parse("--report", "a.tsv", "b.tsv").reportOnly())
        .containsExactly(Path.of("a.tsv"), Path.of("b.tsv"));
  }

  @Test
  void aBadValueIsNamedWithItsOption() {
    assertThatThrownBy(() -> BenchOptions.parse("--trials", "0"))
        .hasMessage("--trials must be at least 1, was 0");
    assertThatThrownBy(() -> BenchOptions.parse("--cap", "soon"))
        .hasMessage("--cap must be a number of seconds, was 'soon'");
    assertThatThrownBy(() -> BenchOptions.parse("--scenarios", "flood"))
        .hasMessageStartingWith("unknown scenario 'flood'; known: blackhole, reset, graceful");
    assertThatThrownBy(() -> BenchOptions.parse("--configurations", "curl"))
        .hasMessageStartingWith("unknown configuration 'curl'; known: kubernetes-java+lifeline");
    assertThatThrownBy(() -> BenchOptions.parse("--out")).hasMessage("--out needs a value");
    assertThatThrownBy(() -> BenchOptions.parse("--service", "nodeport"))
        .hasMessage("--service must be cluster-ip or loopback, was 'nodeport'");
    assertThatThrownBy(() -> BenchOptions.parse("--lanes", "9"))
        .hasMessage("--lanes must be at most 8, was 9");
    assertThatThrownBy(() -> BenchOptions.parse("--fast")).hasMessage("unknown option '--fast'");
    assertThatThrownBy(() -> BenchOptions.parse("--cap", "5"))
        .hasMessage("--observe (10 s) must not exceed --cap (5 s)");
  }

  @Test
  void everyConfigurationHasItsWithoutLifelineCounterpartInTheFullRun() {
    List<Configuration> all = Configuration.all();

    for (Configuration c : all) {
      assertThat(all).contains(c.without());
      assertThat(Configuration.byId(c.id())).isEqualTo(c);
    }
  }

  @Test
  void theDnsCacheVariantExistsOnlyForTheNameLevelClientWithLifeline() {
    assertThatThrownBy(
            () -> new Configuration(ClientKind.LIGHT, Configuration.Wiring.LIFELINE_JVM_DNS_CACHE))
        .hasMessageContaining("applies to the name-level client");
    assertThat(Configuration.byId("fabric8-vertx+lifeline").jvmOptions())
        .contains("-Dsun.net.inetaddr.ttl=1");
    assertThat(Configuration.byId("fabric8-vertx+lifeline+dnscache30s").jvmOptions())
        .noneMatch(o -> o.contains("inetaddr"));
    assertThat(Configuration.byId("fabric8-vertx").jvmOptions())
        .noneMatch(o -> o.contains("inetaddr"));
  }
}
