package dev.lifeline.dnscheck.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.dnscheck.Check;
import dev.lifeline.dnscheck.Transport;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

class CheckSpecTest {
  @Test
  void aSpecParsesIntoACheck() {
    Check c =
        CheckSpec.parse(
            "name=svc;query=kube-dns.kube-system.svc.{domain};type=srv;transports=tcp;"
                + "pattern=kube-dns;rcodes=NOERROR,NXDOMAIN;allow-truncation=yes;timeout=1s");

    assertThat(c.name()).isEqualTo("svc");
    assertThat(c.type()).isEqualTo(Type.SRV);
    assertThat(c.transports()).hasValue(Set.of(Transport.TCP));
    assertThat(c.allowedRcodes()).containsExactlyInAnyOrder(Rcode.NOERROR, Rcode.NXDOMAIN);
    assertThat(c.allowTruncation()).isTrue();
    assertThat(c.timeout()).hasValue(Duration.ofSeconds(1));
    assertThat(c.queryName("cluster.local", "x").toString())
        .isEqualTo("kube-dns.kube-system.svc.cluster.local.");
  }

  @Test
  void formatThenParseGivesTheSameCheckWithTheDomainFilledIn() {
    Check c =
        Check.builder("nx", "nx-{random}.{domain}")
            .type("AAAA")
            .allowRcodes(List.of("NXDOMAIN"))
            .expectAnswers(List.of())
            .transports(List.of(Transport.UDP))
            .timeout(Duration.ofMillis(300))
            .build();

    String spec = CheckSpec.format(c, "cluster.local");
    Check back = CheckSpec.parse(spec);

    assertThat(spec)
        .isEqualTo(
            "name=nx;query=nx-{random}.cluster.local;type=AAAA;transports=udp;expect=;rcodes=NXDOMAIN;timeout=300ms");
    assertThat(back.hasRandomLabel()).isTrue();
    assertThat(back.expectedAnswers()).hasValue(Set.of());
    assertThat(back.allowedRcodes()).containsExactly(Rcode.NXDOMAIN);
    assertThat(back.timeout()).hasValue(Duration.ofMillis(300));
  }

  @Test
  void aPatternWithASemicolonCannotBePassedOn() {
    Check c = Check.builder("p", "a.example").answerPattern("a;b").build();

    assertThatThrownBy(() -> CheckSpec.format(c, "cluster.local"))
        .hasMessageContaining("cannot be passed to a helper pod");
  }

  @Test
  void mistakesNameTheCheckAndTheKey() {
    assertThatThrownBy(() -> CheckSpec.parse("name=a;query=b.c;colour=red"))
        .hasMessageContaining("unknown key 'colour'");
    assertThatThrownBy(() -> CheckSpec.parse("name=a;query=b.c;query=d.e"))
        .hasMessageContaining("query is given twice");
    assertThatThrownBy(() -> CheckSpec.parse("name=a;query"))
        .hasMessageContaining("'query' is not key=value");
    assertThatThrownBy(() -> CheckSpec.parse("name=A B;query=b.c"))
        .hasMessageContaining("check name was 'A B'");
    assertThatThrownBy(() -> CheckSpec.parse("name=a;query=b.c;expect=1.2.3.4;rcodes=NXDOMAIN"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exclude NOERROR");
    assertThatThrownBy(() -> CheckSpec.parse("name=a;query=b.c;timeout=60s"))
        .hasMessageContaining("timeout was PT1M");
  }
}
