package dev.lifeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage errors of {@code lifeline dnscheck}: one line, exit 2, before anything is contacted. */
class DnscheckCommandTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Lifeline.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void aMalformedValueIsOneLineAndExitTwo() {
    assertThat(run("dnscheck", "--once", "--interval", "5x")).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "lifeline: --interval: interval was '5x'; use a duration such as 500ms, 2s or 1m30s\n");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void anUnknownFlagIsAUsageError() {
    assertThat(run("dnscheck", "--intervall", "1s")).isEqualTo(2);
    assertThat(err.toString()).startsWith("lifeline: Unknown option").contains("'--intervall'");
  }

  @Test
  void contradictingSettingsAreAUsageError() {
    assertThat(run("dnscheck", "--once", "--mode", "port-forward", "--transports", "udp"))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("port-forward carries TCP only")
        .doesNotContain("Exception");
  }

  @Test
  void aBadOutputFormatIsAUsageError() {
    assertThat(run("dnscheck", "--once", "--output", "yaml")).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("lifeline: --output was 'yaml'; use table or json\n");
  }

  @Test
  void aBadConfigFileNamesTheFileAndTheKey() throws IOException {
    Path file = dir.resolve("dnscheck.yaml");
    Files.writeString(file, "max-restarts: many\n");

    assertThat(run("dnscheck", "--once", "--config", file.toString())).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "lifeline: " + file + ": max-restarts was 'many'; use a whole number from 1 to 1000\n");
  }

  @Test
  void aMissingKubeconfigIsAUsageError() {
    assertThat(run("dnscheck", "--once", "--kubeconfig", dir.resolve("none").toString()))
        .isEqualTo(2);
    assertThat(err.toString()).startsWith("lifeline: kubeconfig: ").doesNotContain("\tat ");
  }

  @Test
  void aBadCheckSpecIsAUsageError() {
    assertThat(run("dnscheck", "--once", "--check", "name=x;query=a.b;rcodes=SOMETIMES"))
        .isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "lifeline: --check: check 'x': rcode was 'SOMETIMES'; use NOERROR, NXDOMAIN, SERVFAIL, ...\n");
  }

  @Test
  void theProbeSubcommandRefusesAMalformedTarget() {
    assertThat(run("dnscheck", "probe", "--target", "nope", "--check", "name=x;query=a.b"))
        .isEqualTo(2);
    assertThat(err.toString()).isEqualTo("lifeline: target was 'nope'; use ID=IP:PORT\n");
  }

  @Test
  void helpListsEverySettingWithItsEnvironmentVariable() {
    assertThat(run("dnscheck", "--help")).isZero();
    for (dev.lifeline.dnscheck.DnsCheckSetting s : dev.lifeline.dnscheck.DnsCheckSetting.values()) {
      assertThat(out.toString()).contains(s.flag(), s.environmentVariable());
    }
  }
}
