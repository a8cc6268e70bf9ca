package dev.lifeline.dnscheck.internal.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class ExpectationTest {
  private static final Name NAME = name("kubernetes.default.svc.cluster.local.");

  @Test
  void ipv6AnswersCompareByValueNotSpelling() throws Exception {
    Message reply = reply(Rcode.NOERROR);
    reply.addRecord(
        new AAAARecord(NAME, DClass.IN, 5, InetAddress.getByName("fd00:0:0:0:0:0:0:1")),
        Section.ANSWER);

    Expectation.Judgement j = Expectation.answers(Set.of("fd00::1")).judge(reply, NAME, Type.AAAA);

    assertThat(j.outcome()).isEqualTo(Outcome.OK);
  }

  @Test
  void onlyRecordsOfTheQueriedTypeAreTheAnswerSet() throws Exception {
    Message reply = reply(Rcode.NOERROR);
    reply.addRecord(new CNAMERecord(NAME, DClass.IN, 5, name("alias.example.")), Section.ANSWER);

    Expectation.Judgement j = Expectation.answers(Set.of("10.96.0.1")).judge(reply, NAME, Type.A);

    assertThat(j.outcome()).isEqualTo(Outcome.WRONG_ANSWER);
    assertThat(j.detail()).isEqualTo("answered no A records, expected 10.96.0.1");
  }

  @Test
  void nxdomainWithAnswersIsWrong() throws Exception {
    Message reply = reply(Rcode.NXDOMAIN);
    reply.addRecord(
        Record.fromString(NAME, Type.A, DClass.IN, 5, "10.0.0.1", Name.root), Section.ANSWER);

    assertThat(Expectation.nxdomain().judge(reply, NAME, Type.A).outcome())
        .isEqualTo(Outcome.WRONG_ANSWER);
    assertThat(Expectation.nxdomain().judge(reply(Rcode.NOERROR), NAME, Type.A).detail())
        .isEqualTo("answered NOERROR, expected NXDOMAIN");
  }

  @Test
  void aPatternMustMatchSomeAnswerRecord() throws Exception {
    Message reply = reply(Rcode.NOERROR);
    reply.addRecord(
        Record.fromString(NAME, Type.A, DClass.IN, 5, "10.0.0.1", Name.root), Section.ANSWER);
    Expectation e =
        new Expectation(
            Set.of(Rcode.NOERROR), null, Pattern.compile("IN\\s+A\\s+10\\.0\\.0\\.2"), false);

    assertThat(e.judge(reply, NAME, Type.A).outcome()).isEqualTo(Outcome.WRONG_ANSWER);
  }

  @Test
  void truncationPassesOnlyWhenTheCheckAllowsIt() {
    Message reply = reply(Rcode.NOERROR);
    reply.getHeader().setFlag(Flags.TC);

    assertThat(Expectation.answers(Set.of("10.0.0.1")).judge(reply, NAME, Type.A).outcome())
        .isEqualTo(Outcome.TRUNCATED);
    assertThat(
            new Expectation(Set.of(Rcode.NOERROR), Set.of("10.0.0.1"), null, true)
                .judge(reply, NAME, Type.A)
                .outcome())
        .isEqualTo(Outcome.OK);
  }

  private static Message reply(int rcode) {
    Message m = new Message(1);
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setRcode(rcode);
    m.addRecord(Record.newRecord(NAME, Type.A, DClass.IN), Section.QUESTION);
    return m;
  }

  private static Name name(String s) {
    try {
      return Name.fromString(s);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
