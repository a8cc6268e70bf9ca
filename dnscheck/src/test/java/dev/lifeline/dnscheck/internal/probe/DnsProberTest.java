package dev.lifeline.dnscheck.internal.probe;

import static dev.lifeline.dnscheck.internal.probe.ScriptedDnsServer.answer;
import static dev.lifeline.dnscheck.internal.probe.ScriptedDnsServer.response;
import static dev.lifeline.dnscheck.internal.probe.ScriptedDnsServer.withId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.dnscheck.Transport;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

class DnsProberTest {
  private static final Duration TIMEOUT = Duration.ofMillis(150);

  private DnsProber prober;
  private ScriptedDnsServer server;

  @BeforeEach
  void start() throws IOException {
    prober = DnsProber.start();
    server = new ScriptedDnsServer((q, t, n) -> List.of(answer(q, "10.96.0.1")));
  }

  @AfterEach
  void stop() throws IOException {
    prober.close();
    server.close();
    assertThat(proberThreads()).isEmpty();
  }

  @Test
  void aCorrectUdpAnswerIsOkAfterOneAttemptWithItsLatency() throws Exception {
    ProbeResult r = probe(Transport.UDP, server.address());

    assertThat(r.outcome()).isEqualTo(Outcome.OK);
    assertThat(r.attempts()).isEqualTo(1);
    assertThat(r.rcode()).isEqualTo(Rcode.NOERROR);
    assertThat(r.answers()).containsExactly("10.96.0.1");
    assertThat(r.latencyNanos()).isPositive().isLessThan(TIMEOUT.toNanos());
    assertThat(r.detail()).isNull();
  }

  @Test
  void aCorrectTcpAnswerIsOk() throws Exception {
    ProbeResult r = probe(Transport.TCP, server.address());

    assertThat(r.outcome()).isEqualTo(Outcome.OK);
    assertThat(server.tcpQueries()).isEqualTo(1);
    assertThat(server.udpQueries()).isZero();
  }

  @Test
  void silenceIsATimeoutAfterTheRetry() throws Exception {
    server.script((q, t, n) -> List.of());

    ProbeResult r = probe(Transport.UDP, server.address());

    assertThat(r.outcome()).isEqualTo(Outcome.TIMEOUT);
    assertThat(r.attempts()).isEqualTo(2);
    assertThat(server.udpQueries()).isEqualTo(2);
    assertThat(r.detail()).contains("attempt 1: no reply within 150 ms", "attempt 2");
    assertThat(r.finishedNanos() - r.startedNanos()).isGreaterThanOrEqualTo(2 * TIMEOUT.toNanos());
  }

  @Test
  void aLostFirstQueryIsRecoveredByTheRetry() throws Exception {
    server.script((q, t, n) -> n == 1 ? List.of() : List.of(answer(q, "10.96.0.1")));

    ProbeResult r = probe(Transport.UDP, server.address());

    assertThat(r.outcome()).isEqualTo(Outcome.OK);
    assertThat(r.recoveredByRetry()).isTrue();
    assertThat(r.detail()).startsWith("attempt 1: no reply");
  }

  @Test
  void aReplyWithAnotherIdIsIgnoredAndTheRightOneAccepted() throws Exception {
    server.script(
        (q, t, n) -> {
          byte[] good = answer(q, "10.96.0.1");
          return List.of(withId(good, q.getHeader().getID() ^ 0x5555), good);
        });

    ProbeResult r = probe(Transport.UDP, server.address());

    assertThat(r.outcome()).isEqualTo(Outcome.OK);
    assertThat(r.attempts()).isEqualTo(1);
  }

  @Test
  void onlyRepliesWithOtherIdsAreAnIdMismatch() throws Exception {
    server.script(
        (q, t, n) -> List.of(withId(answer(q, "10.96.0.1"), q.getHeader().getID() ^ 0x5555)));

    ProbeResult r = probe(Transport.UDP, server.address());

    assertThat(r.outcome()).isEqualTo(Outcome.ID_MISMATCH);
    assertThat(r.detail()).contains("unexpected IDs");
  }

  @Test
  void aTcpReplyWithAnotherIdIsAnIdMismatch() throws Exception {
    server.script(
        (q, t, n) -> List.of(withId(answer(q, "10.96.0.1"), q.getHeader().getID() ^ 0x5555)));

    ProbeResult r = probe(Transport.TCP, server.address());

    assertThat(r.outcome()).isEqualTo(Outcome.ID_MISMATCH);
  }

  @Test
  void aReplyToAnotherQuestionFailsWithoutRetry() throws Exception {
    server.script((q, t, n) -> List.of(ScriptedDnsServer.otherQuestion(q)));

    ProbeResult r = probe(Transport.UDP, server.address());

    assertThat(r.outcome()).isEqualTo(Outcome.QUESTION_MISMATCH);
    assertThat(r.detail()).contains("other.example.");
    assertThat(server.udpQueries()).isEqualTo(1);
  }

  @Test
  void aTruncatedReplyIsReportedAndNotRetriedOverTcp() throws Exception {
    server.script(
        (q, t, n) -> {
          Message m = response(q, Rcode.NOERROR);
          m.getHeader().setFlag(Flags.TC);
          return List.of(m.toWire());
        });

    ProbeResult r = probe(Transport.UDP, server.address());

    assertThat(r.outcome()).isEqualTo(Outcome.TRUNCATED);
    assertThat(server.udpQueries()).isEqualTo(1);
    assertThat(server.tcpQueries()).isZero();
  }

  @Test
  void servfailIsAWrongRcodeAndNotRetried() throws Exception {
    server.script((q, t, n) -> List.of(response(q, Rcode.SERVFAIL).toWire()));

    ProbeResult r = probe(Transport.UDP, server.address());

    assertThat(r.outcome()).isEqualTo(Outcome.WRONG_RCODE);
    assertThat(r.rcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(r.detail()).isEqualTo("answered SERVFAIL, expected NOERROR");
    assertThat(server.udpQueries()).isEqualTo(1);
  }

  @Test
  void aWrongAddressIsAWrongAnswerThatNamesBoth() throws Exception {
    server.script((q, t, n) -> List.of(answer(q, "10.96.0.99")));

    ProbeResult r = probe(Transport.TCP, server.address());

    assertThat(r.outcome()).isEqualTo(Outcome.WRONG_ANSWER);
    assertThat(r.detail()).isEqualTo("answered 10.96.0.99, expected 10.96.0.1");
  }

  @Test
  void aMessageWithoutTheResponseBitIsMalformed() throws Exception {
    server.script((q, t, n) -> List.of(q.toWire()));

    ProbeResult r = probe(Transport.UDP, server.address());

    assertThat(r.outcome()).isEqualTo(Outcome.MALFORMED);
  }

  @Test
  void aClosedUdpPortIsUnreachableAtOnce() throws Exception {
    InetSocketAddress closed;
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      closed = new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort());
    }

    ProbeResult r = probe(Transport.UDP, closed);

    assertThat(r.outcome()).isEqualTo(Outcome.UNREACHABLE);
    assertThat(r.attempts()).isEqualTo(1);
    assertThat(r.finishedNanos() - r.startedNanos()).isLessThan(TIMEOUT.toNanos());
  }

  @Test
  void aClosedTcpPortIsUnreachableAtOnce() throws Exception {
    InetSocketAddress closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort());
    }

    ProbeResult r = probe(Transport.TCP, closed);

    assertThat(r.outcome()).isEqualTo(Outcome.UNREACHABLE);
    assertThat(r.detail()).contains("connection refused");
  }

  @Test
  void aTcpServerThatStaysSilentTimesOutOnTheReply() throws Exception {
    server.script((q, t, n) -> List.of());

    ProbeResult r = probe(Transport.TCP, server.address());

    assertThat(r.outcome()).isEqualTo(Outcome.TIMEOUT);
    assertThat(r.detail()).contains("connected, but no reply within 150 ms");
    assertThat(server.tcpQueries()).isEqualTo(2);
  }

  @Test
  void manyConcurrentProbesShareOneThread() throws Exception {
    List<CompletableFuture<ProbeResult>> futures = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      // A generous timeout: the scripted server answers UDP from one thread and the machine may
      // be busy; this test is about the prober's threads, not its timeouts.
      futures.add(
          prober.probe(
              request(
                  i % 2 == 0 ? Transport.UDP : Transport.TCP,
                  server.address(),
                  2,
                  Duration.ofSeconds(2))));
    }

    assertThat(proberThreads()).hasSize(1);
    for (CompletableFuture<ProbeResult> f : futures) {
      assertThat(f.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.OK);
    }
    assertThat(prober.pending()).isZero();
  }

  @Test
  void probesBeyondTheInFlightLimitWaitTheirTurn() throws Exception {
    try (DnsProber narrow = DnsProber.start(System::nanoTime, new java.util.Random(1), 2)) {
      server.script((q, t, n) -> n <= 2 ? List.of() : List.of(answer(q, "10.96.0.1")));
      List<CompletableFuture<ProbeResult>> futures = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        futures.add(narrow.probe(request(Transport.UDP, server.address(), 1)));
      }
      assertThat(futures.get(0).get(5, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.TIMEOUT);
      assertThat(futures.get(1).get(5, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.TIMEOUT);
      // Sent only after the first two ended, so their full timeouts were theirs.
      assertThat(futures.get(2).get(5, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.OK);
      assertThat(futures.get(3).get(5, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.OK);
    }
  }

  @Test
  void closingFailsUnfinishedProbesAndStopsTheThread() throws Exception {
    server.script((q, t, n) -> List.of());
    CompletableFuture<ProbeResult> f =
        prober.probe(request(Transport.UDP, server.address(), 1, Duration.ofSeconds(10)));

    prober.close();

    assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThat(proberThreads()).isEmpty();
    assertThat(prober.probe(request(Transport.UDP, server.address()))).isCompletedExceptionally();
  }

  private ProbeResult probe(Transport t, InetSocketAddress to) throws Exception {
    return prober.probe(request(t, to)).get(5, TimeUnit.SECONDS);
  }

  private static ProbeRequest request(Transport t, InetSocketAddress to) throws TextParseException {
    return request(t, to, 2);
  }

  private static ProbeRequest request(Transport t, InetSocketAddress to, int attempts)
      throws TextParseException {
    return request(t, to, attempts, TIMEOUT);
  }

  private static ProbeRequest request(
      Transport t, InetSocketAddress to, int attempts, Duration timeout) throws TextParseException {
    return new ProbeRequest(
        "kubernetes",
        to,
        t,
        Name.fromString("kubernetes.default.svc.cluster.local."),
        Type.A,
        Expectation.answers(Set.of("10.96.0.1")),
        timeout,
        attempts);
  }

  private static List<Thread> proberThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("lifeline-dnscheck-prober"))
        .filter(Thread::isAlive)
        .toList();
  }
}
