package dev.lifeline.dnscheck.internal.probe;

import java.io.IOException;
import java.net.ConnectException;
import java.net.PortUnreachableException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * One probe's state machine on the prober thread: attempts, deadline, the reply's checks.
 * Subclasses own the socket of the current attempt.
 */
abstract sealed class ProbeTask permits UdpProbeTask, TcpProbeTask {
  private static final System.Logger LOG = System.getLogger(ProbeTask.class.getName());

  final ProbeRequest request;
  private final CompletableFuture<ProbeResult> future;
  final DnsProber prober;
  private final List<String> failedAttempts = new ArrayList<>();
  private int attempt;
  private long startedNanos;
  long attemptSentNanos;
  private long deadlineNanos = Long.MAX_VALUE;
  int queryId;

  /** IDs of replies that matched no query during the current attempt. */
  final List<Integer> foreignIds = new ArrayList<>();

  ProbeTask(ProbeRequest request, CompletableFuture<ProbeResult> future, DnsProber prober) {
    this.request = request;
    this.future = future;
    this.prober = prober;
  }

  CompletableFuture<ProbeResult> future() {
    return future;
  }

  long deadlineNanos() {
    return deadlineNanos;
  }

  /** Sends the first attempt. */
  final void start() {
    startedNanos = prober.now();
    nextAttempt();
  }

  private void nextAttempt() {
    attempt++;
    foreignIds.clear();
    queryId = prober.nextQueryId();
    attemptSentNanos = prober.now();
    deadlineNanos = attemptSentNanos + request.timeout().toNanos();
    try {
      send(query());
    } catch (ConnectException | PortUnreachableException e) {
      attemptFailed(Outcome.UNREACHABLE, "refused at once: " + describe(e));
    } catch (IOException e) {
      attemptFailed(Outcome.NETWORK_ERROR, "sending failed: " + describe(e));
    }
  }

  /** The query of the current attempt, in wire form. */
  final byte[] query() {
    Message m = Message.newQuery(Record.newRecord(request.qname(), request.qtype(), DClass.IN));
    m.getHeader().setID(queryId);
    return m.toWire();
  }

  /** Opens the attempt's socket and sends (or starts to send) the query. */
  abstract void send(byte[] query) throws IOException;

  /** Handles readiness of the attempt's socket. */
  abstract void onReady(SelectionKey key);

  /** Why the current attempt timed out, for people. */
  String timeoutDetail() {
    return "no reply within " + request.timeout().toMillis() + " ms";
  }

  /** Closes the attempt's socket, if any. */
  abstract void closeSocket();

  final SelectionKey register(SelectableChannel channel, int ops) throws IOException {
    return channel.register(prober.selector(), ops, this);
  }

  /** The current attempt got no usable reply in time. */
  final void onDeadline() {
    if (!foreignIds.isEmpty()) {
      attemptFailed(
          Outcome.ID_MISMATCH,
          "only replies with unexpected IDs "
              + foreignIds
              + " arrived, the query's ID was "
              + queryId);
    } else {
      attemptFailed(Outcome.TIMEOUT, timeoutDetail());
    }
  }

  /**
   * Judges a complete reply received on the current attempt's socket.
   *
   * @return false if the reply was ignored (another ID) and the attempt still waits
   */
  final boolean onReply(byte[] wire) {
    long rtt = prober.now() - attemptSentNanos;
    int id = wire.length >= 2 ? ((wire[0] & 0xff) << 8) | (wire[1] & 0xff) : -1;
    if (id != queryId) {
      foreignIds.add(id);
      return false;
    }
    Message reply;
    try {
      reply = new Message(wire);
    } catch (IOException e) {
      finish(
          Outcome.MALFORMED,
          "unparseable reply of " + wire.length + " bytes: " + describe(e),
          rtt,
          -1,
          List.of());
      return true;
    }
    if (!reply.getHeader().getFlag(Flags.QR)) {
      finish(Outcome.MALFORMED, "the reply is a query (QR bit not set)", rtt, -1, List.of());
      return true;
    }
    Record question = reply.getQuestion();
    if (reply.getHeader().getCount(Section.QUESTION) != 1
        || question == null
        || !question.getName().equals(request.qname())
        || question.getType() != request.qtype()
        || question.getDClass() != DClass.IN) {
      finish(
          Outcome.QUESTION_MISMATCH,
          "the reply's question was "
              + (question == null
                  ? "empty"
                  : question.getName() + " " + Type.string(question.getType()))
              + ", not the query's",
          rtt,
          reply.getRcode(),
          List.of());
      return true;
    }
    Expectation.Judgement j = request.expectation().judge(reply, request.qname(), request.qtype());
    finish(j.outcome(), j.detail(), rtt, reply.getRcode(), j.answers());
    return true;
  }

  /** The current attempt failed; retries if the failure may be a loss and attempts remain. */
  final void attemptFailed(Outcome outcome, String detail) {
    closeSocket();
    if (outcome.isPossibleLoss() && attempt < request.attempts()) {
      failedAttempts.add("attempt " + attempt + ": " + detail);
      nextAttempt();
      return;
    }
    finish(outcome, detail, -1, -1, List.of());
  }

  final void finish(Outcome outcome, String detail, long rtt, int rcode, List<String> answers) {
    closeSocket();
    deadlineNanos = Long.MAX_VALUE;
    prober.finished(this);
    String full = detail;
    if (!failedAttempts.isEmpty()) {
      String earlier = String.join("; ", failedAttempts);
      full = detail == null ? earlier : earlier + "; attempt " + attempt + ": " + detail;
    }
    ProbeResult result =
        new ProbeResult(
            request, outcome, full, attempt, rtt, rcode, answers, startedNanos, prober.now());
    try {
      future.complete(result);
    } catch (RuntimeException e) {
      // A dependent action threw on our thread; it must not stop the prober.
      LOG.log(System.Logger.Level.WARNING, "a probe callback failed", e);
    }
  }

  /** Ends the probe because the prober stops. */
  final void abort(String why) {
    closeSocket();
    future.completeExceptionally(new IllegalStateException(why));
  }

  static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + m;
  }
}
