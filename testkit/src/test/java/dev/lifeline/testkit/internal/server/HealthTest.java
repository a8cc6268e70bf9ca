package dev.lifeline.testkit.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthTest {
  @Test
  void aPassingCheckSaysOkUnlessVerbose() {
    assertThat(Health.answer("readyz", null, Map.of(), false))
        .isEqualTo(new Health.Answer(200, "ok"));
    Health.Answer verbose = Health.answer("readyz", null, Map.of("verbose", List.of("")), false);
    assertThat(verbose.body())
        .startsWith("[+]ping ok\n")
        .endsWith("[+]shutdown ok\nreadyz check passed\n");
  }

  @Test
  void readyzFailsItsShutdownCheckWhileTerminatingAndLivezDoesNot() {
    Health.Answer ready = Health.answer("readyz", null, Map.of(), true);
    assertThat(ready.code()).isEqualTo(500);
    assertThat(ready.body())
        .contains("[-]shutdown failed: reason withheld\n")
        .endsWith("readyz check failed\n");
    assertThat(Health.answer("livez", null, Map.of(), true))
        .isEqualTo(new Health.Answer(200, "ok"));
    assertThat(Health.answer("readyz", "shutdown", Map.of(), true).code()).isEqualTo(500);
    assertThat(Health.answer("readyz", "nope", Map.of(), false).code()).isEqualTo(404);
  }
}
