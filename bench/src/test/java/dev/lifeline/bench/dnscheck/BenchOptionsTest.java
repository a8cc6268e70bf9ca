package dev.lifeline.bench.dnscheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.bench.dnscheck.BenchOptions.Scenario;
import dev.lifeline.dnscheck.Transport;
import dev.lifeline.testkit.dns.DnsServerKind;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {
  @Test
  void theDefaultsAreTheIssuesFullRun() {
    BenchOptions o = BenchOptions.parse();

    assertThat(o.scenarios()).containsExactlyInAnyOrder(Scenario.values());
    assertThat(o.trials()).isEqualTo(20);
    assertThat(o.restartTrials()).isEqualTo(5);
    assertThat(o.lossDuration()).isEqualTo(Duration.ofMinutes(10));
    assertThat(o.lossRates()).containsExactly(0.05, 0.10, 0.20);
    assertThat(o.cpuTargets()).isEqualTo(100);
    assertThat(o.cpuIntervals()).containsExactly(Duration.ofSeconds(1), Duration.ofMillis(500));
    assertThat(o.cpuDuration()).isEqualTo(Duration.ofSeconds(60));
    assertThat(o.cpuTransports()).containsExactlyInAnyOrder(Transport.UDP, Transport.TCP);
    assertThat(o.server()).isEqualTo(DnsServerKind.DNSMASQ);
    assertThat(o.quick()).isFalse();
  }

  @Test
  void quickShortensEverythingButFlagsGivenAsWellWinWhereverTheyStand() {
    BenchOptions o = BenchOptions.parse("--trials", "7", "--quick", "--loss-rates", "5%");

    assertThat(o.quick()).isTrue();
    assertThat(o.trials()).isEqualTo(7);
    assertThat(o.restartTrials()).isEqualTo(1);
    assertThat(o.lossDuration()).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.lossRates()).containsExactly(0.05);
    assertThat(o.cpuWarmup()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void valuesAreParsedInTheirUnits() {
    BenchOptions o =
        BenchOptions.parse(
            "--scenarios", "cpu, loss",
            "--loss-duration", "90s",
            "--loss-rates", "0.05,12.5%",
            "--cpu-intervals", "250ms,2s",
            "--cpu-transports", "tcp",
            "--seed", "42",
            "--server", "Unbound");

    assertThat(o.scenarios()).containsExactlyInAnyOrder(Scenario.CPU, Scenario.LOSS);
    assertThat(o.lossDuration()).isEqualTo(Duration.ofSeconds(90));
    assertThat(o.lossRates()).containsExactly(0.05, 0.125);
    assertThat(o.cpuIntervals()).containsExactly(Duration.ofMillis(250), Duration.ofSeconds(2));
    assertThat(o.cpuTransports()).containsExactly(Transport.TCP);
    assertThat(o.seed()).isEqualTo(42);
    assertThat(o.server()).isEqualTo(DnsServerKind.UNBOUND);
  }

  @Test
  void theCommandLineRepeatsTheRun() {
    BenchOptions o = BenchOptions.parse("--quick", "--seed", "3", "--loss-rates", "12.5%,20%");

    assertThat(BenchOptions.parse(o.commandLine().split(" "))).isEqualTo(withoutQuick(o));
    assertThat(o.commandLine()).contains("--seed 3", "--loss-rates 12.50%,20%", "--trials 3");
  }

  private static BenchOptions withoutQuick(BenchOptions o) {
    return new BenchOptions(
        o.scenarios(),
        o.trials(),
        o.restartTrials(),
        o.lossDuration(),
        o.lossRates(),
        o.cpuTargets(),
        o.cpuIntervals(),
        o.cpuWarmup(),
        o.cpuDuration(),
        o.cpuTransports(),
        o.seed(),
        o.server(),
        o.cpuRecordings(),
        false);
  }

  @Test
  void aBadValueIsNamedWithItsFlag() {
    assertThatThrownBy(() -> BenchOptions.parse("--trials", "0"))
        .hasMessage("--trials was 0; use 1 to 1000 inclusive");
    assertThatThrownBy(() -> BenchOptions.parse("--trials", "many"))
        .hasMessage("--trials was 'many'; use a whole number");
    assertThatThrownBy(() -> BenchOptions.parse("--loss-duration", "10 minutes"))
        .hasMessage("--loss-duration was '10 minutes'; use a duration such as 500ms, 30s or 10m");
    assertThatThrownBy(() -> BenchOptions.parse("--loss-rates", "5%,100%"))
        .hasMessage("--loss-rates had '100%'; a rate must be above 0% and below 100%");
    assertThatThrownBy(() -> BenchOptions.parse("--scenarios", "detection,speed"))
        .hasMessageStartingWith("--scenarios had 'speed'");
    assertThatThrownBy(() -> BenchOptions.parse("--cpu-intervals", "10ms"))
        .hasMessage("--cpu-intervals was 10ms; use 50ms to 10m");
    assertThatThrownBy(() -> BenchOptions.parse("--cpu-transports", "udp,quic"))
        .hasMessage("--cpu-transports had 'quic'; use udp, tcp or udp,tcp");
    assertThatThrownBy(() -> BenchOptions.parse("--server", "coredns"))
        .hasMessage("--server was 'coredns'; use dnsmasq or unbound");
    assertThatThrownBy(() -> BenchOptions.parse("--verbose", "yes"))
        .hasMessage("unknown flag --verbose");
    assertThatThrownBy(() -> BenchOptions.parse("--seed")).hasMessage("--seed needs a value");
    assertThatThrownBy(() -> BenchOptions.parse("cpu")).hasMessage("unexpected argument 'cpu'");
  }

  @Test
  void durationsAndSharesArePrintedAsTheyAreWritten() {
    assertThat(List.of(Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMinutes(10)))
        .extracting(BenchOptions::text)
        .containsExactly("500ms", "30s", "10m");
    assertThat(BenchOptions.text(Duration.ZERO)).isEqualTo("0ms");
    assertThat(BenchOptions.percent(0.05)).isEqualTo("5%");
    assertThat(BenchOptions.percent(0.125)).isEqualTo("12.50%");
  }
}
