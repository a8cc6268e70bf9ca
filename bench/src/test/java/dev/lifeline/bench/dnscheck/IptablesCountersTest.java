package dev.lifeline.bench.dnscheck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.bench.dnscheck.IptablesCounters.Count;
import dev.lifeline.bench.dnscheck.IptablesCounters.Flow;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IptablesCountersTest {
  /** {@code iptables -v -S} of the harness's chain with the counting rules and a 5 % loss. */
  private static final String OUTPUT =
      """
      -N LIFELINE-DNS-53
      -A LIFELINE-DNS-53 -p tcp -m tcp --sport 53 -c 2687 171968
      -A LIFELINE-DNS-53 -p tcp -m tcp --dport 53 -c 3918 250752
      -A LIFELINE-DNS-53 -p udp -m udp --sport 53 -c 617 61083
      -A LIFELINE-DNS-53 -p udp -m udp --dport 53 -c 662 39720
      -A LIFELINE-DNS-53 -p udp -m udp --dport 53 -m statistic --mode random --probability 0.04999999981 -c 35 2100 -j DROP
      -A LIFELINE-DNS-53 -p udp -m udp --sport 53 -m statistic --mode random --probability 0.04999999981 -c 22 2178 -j DROP
      -A LIFELINE-DNS-53 -p tcp -m tcp --dport 53 -m statistic --mode random --probability 0.04999999981 -c 193 12352 -j DROP
      -A LIFELINE-DNS-53 -p tcp -m tcp --sport 53 -m statistic --mode random --probability 0.04999999981 -c 153 9792 -j DROP
      -A LIFELINE-DNS-53 -d 127.53.1.1/32 -p udp -m udp --dport 53 -c 9 540 -j DROP
      -A LIFELINE-DNS-54 -p udp -m udp --dport 53 -c 1000 1 -j DROP
      """;

  @Test
  void countingRulesGiveWhatWasSeenAndRandomDropRulesWhatWasDropped() {
    Map<Flow, Count> counts = IptablesCounters.parse(OUTPUT, "LIFELINE-DNS-53");

    assertThat(counts)
        .containsEntry(Flow.UDP_QUERIES, new Count(662, 35))
        .containsEntry(Flow.UDP_REPLIES, new Count(617, 22))
        .containsEntry(Flow.TCP_TO_SERVER, new Count(3918, 193))
        .containsEntry(Flow.TCP_FROM_SERVER, new Count(2687, 153));
    assertThat(counts.get(Flow.UDP_QUERIES).rate()).isBetween(0.0528, 0.0529);
  }

  @Test
  void theDescriptionGivesTheRateAndTheCountOfEachFlow() {
    String d = IptablesCounters.describe(IptablesCounters.parse(OUTPUT, "LIFELINE-DNS-53"));

    assertThat(d).startsWith("udp to :53 5.29 % of 662, udp from :53 3.57 % of 617");
  }

  @Test
  void anEmptyChainCountsNothing() {
    assertThat(IptablesCounters.parse("-N LIFELINE-DNS-53\n", "LIFELINE-DNS-53")).isEmpty();
    assertThat(new Count(0, 0).rate()).isZero();
  }
}
