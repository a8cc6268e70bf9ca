package dev.lifeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Usage errors of {@code lifeline demo}: exit code 2 and one line, before anything starts. */
class DemoCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Lifeline.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  private String errorLine() {
    assertThat(err.toString().lines()).hasSize(1);
    return err.toString().strip();
  }

  @Test
  void aDurationWithoutAUnitIsAUsageErrorOnOneLine() {
    assertThat(run("demo", "--blackhole", "15")).isEqualTo(Lifeline.USAGE);

    assertThat(errorLine())
        .startsWith("lifeline: Invalid value for option '--blackhole': '15' has no unit")
        .endsWith("(run 'lifeline demo --help' for usage)");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void aDurationThatIsNoDurationIsAUsageError() {
    assertThat(run("demo", "--settle", "soon")).isEqualTo(Lifeline.USAGE);

    assertThat(errorLine()).contains("--settle").contains("'soon' is not a duration");
  }

  @Test
  void aPhaseTooShortIsAUsageErrorNamingTheFlagAndTheValue() {
    assertThat(run("demo", "--reset", "200ms")).isEqualTo(Lifeline.USAGE);

    assertThat(errorLine()).isEqualTo("lifeline: --reset must be between 1s and 10m, was 200ms");
  }

  @Test
  void anUnknownFlagIsAUsageErrorOnOneLine() {
    assertThat(run("demo", "--blackhol", "5s")).isEqualTo(Lifeline.USAGE);

    assertThat(errorLine()).startsWith("lifeline: Unknown options: '--blackhol'");
  }

  @Test
  void fewerThanThreeApiserversCannotShowABlackholeAndAReset() {
    assertThat(run("demo", "--instances", "2")).isEqualTo(Lifeline.USAGE);

    assertThat(errorLine()).contains("--instances must be between 3 and 9").endsWith("was 2");
  }

  @Test
  void demoFlagsAreRefusedWithServe() {
    assertThat(run("demo", "--serve", "--blackhole", "5s")).isEqualTo(Lifeline.USAGE);

    assertThat(errorLine()).isEqualTo("lifeline: --blackhole applies to the demo, not to --serve");
  }

  @Test
  void theKubeconfigFlagIsRefusedWithoutServe() {
    assertThat(run("demo", "--kubeconfig", "x.yaml")).isEqualTo(Lifeline.USAGE);

    assertThat(errorLine()).isEqualTo("lifeline: --kubeconfig applies to --serve only");
  }

  @Test
  void helpListsThePhasesWithTheirDefaults() {
    assertThat(run("demo", "--help")).isZero();

    assertThat(out.toString())
        .contains("--blackhole=DURATION")
        .contains("(default: 15s)")
        .contains("--no-real-drops")
        .contains("--json")
        .contains("Exit codes:");
  }
}
