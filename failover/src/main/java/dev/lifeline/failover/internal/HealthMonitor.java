package dev.lifeline.failover.internal;

import dev.lifeline.failover.Endpoint;
import dev.lifeline.failover.EndpointState;
import dev.lifeline.failover.FailoverConfig;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Decides when and how to probe each endpoint, and turns what the probes see into verdicts.
 *
 * <ul>
 *   <li>Endpoints <b>in use</b> (with connections handed out, or first in line for the next one)
 *       get a PING session: one HTTP/2 connection PINGed every {@code pingInterval}. A PING
 *       unanswered for {@code pingTimeout} is dead only when a TCP connect started halfway through
 *       that wait is not answered either (see {@link Session}): a blackhole takes at most {@code
 *       pingInterval + pingTimeout} (750 ms by default), a slow server is not dead, and a hung one
 *       is dead after {@code unresponsiveTimeout}. Time during which this process was stalled does
 *       not count ({@link PauseDetector}). A GOAWAY or a closed connection reopens it at once; a
 *       refused reopen after GOAWAY means the server is shutting down gracefully (going away), a
 *       refused or unanswered one means dead. {@code /readyz} runs every {@code readyzInterval},
 *       jittered.
 *   <li>Other endpoints get a TLS handshake every {@code idleProbeInterval}, jittered ±50%, and new
 *       ones one at once.
 *   <li>A passive signal (failed connect, reset, stalled write) probes at once.
 *   <li>A down endpoint that answers again must pass {@code /readyz} before it is re-admitted.
 * </ul>
 *
 * <p>Probe failures are judged by {@link ProbeFailure}: a TLS handshake that times out after the
 * TCP connect succeeded, or a connect timeout this process mostly slept through, is not a death.
 *
 * <p>Thread-safe through its own monitor; verdicts are reported outside it.
 */
final class HealthMonitor {
  private static final System.Logger LOG = System.getLogger(HealthMonitor.class.getName());
  private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** How long a connection that sent GOAWAY is still read, to tell a clean close from a reset. */
  private static final long RETIRE_NANOS = TimeUnit.SECONDS.toNanos(2);

  /** How soon a deadline looks again when bytes wait unread: the reader is catching up. */
  private static final long UNREAD_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  /** When an idle probe could not judge an endpoint, it probes again after this. */
  private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** At most one "slow server" line a minute at INFO; the others at DEBUG. */
  private static final long SLOW_LOG_SPACING_NANOS = TimeUnit.MINUTES.toNanos(1);

  /** What the monitor concludes; implemented by the engine. */
  interface Verdicts {
    /** A probe succeeded; {@code latencyNanos} is a round trip, or -1. */
    void reachable(Endpoint endpoint, long latencyNanos);

    void dead(Endpoint endpoint, String reason);

    void goingAway(Endpoint endpoint, String reason);

    /** {@code /readyz} passed for an endpoint being re-admitted. */
    void ready(Endpoint endpoint);

    /** A probe connection broke (reset) after the server's GOAWAY: not a graceful close. */
    void broken(Endpoint endpoint, IOException cause);
  }

  private final FailoverConfig config;
  private final Scheduler scheduler;
  private final Prober prober;
  private final Verdicts verdicts;
  private final Random random;
  private final PauseDetector pauses;
  private final Map<Endpoint, Probe> probes = new HashMap<>();
  private boolean closed;
  private boolean warnedForbidden;
  private long lastSlowLogNanos;

  HealthMonitor(
      FailoverConfig config, Scheduler scheduler, Prober prober, Verdicts verdicts, Random random) {
    this.config = config;
    this.scheduler = scheduler;
    this.prober = prober;
    this.verdicts = verdicts;
    this.random = random;
    this.pauses = PauseDetector.forEngine(scheduler);
    pauses.start();
  }

  /** Aligns the probes with the current endpoints, their states and which are in use. */
  synchronized void track(Map<Endpoint, EndpointState> states, Set<Endpoint> inUse) {
    if (closed) {
      return;
    }
    long now = scheduler.nanoTime();
    for (Iterator<Map.Entry<Endpoint, Probe>> it = probes.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Endpoint, Probe> entry = it.next();
      if (!states.containsKey(entry.getKey())) {
        entry.getValue().stop();
        it.remove();
      }
    }
    for (Map.Entry<Endpoint, EndpointState> entry : states.entrySet()) {
      Endpoint endpoint = entry.getKey();
      EndpointState state = entry.getValue();
      Probe probe = probes.get(endpoint);
      if (probe == null) {
        probe = new Probe(endpoint);
        probes.put(endpoint, probe);
        if (state == EndpointState.UNKNOWN) {
          probe.handshakeNow();
        } else {
          probe.scheduleIdle();
        }
      }
      boolean wantsSession = inUse.contains(endpoint) && state != EndpointState.DOWN;
      if (wantsSession) {
        probe.lastInUseNanos = now;
        if (probe.session == null) {
          probe.startSession();
        }
      } else if (probe.session != null
          && (state == EndpointState.DOWN || now - probe.lastInUseNanos > LINGER_NANOS)) {
        probe.stopSession();
      }
    }
  }

  /** Probes {@code endpoint} now: an extra PING if it has a session, else a TLS handshake. */
  synchronized void probeNow(Endpoint endpoint) {
    Probe probe = probes.get(endpoint);
    if (probe == null || closed) {
      return;
    }
    if (probe.session != null && probe.session.channel != null) {
      probe.session.ping(false);
    } else if (probe.session == null) {
      probe.handshakeNow();
    }
  }

  /**
   * Checks {@code /readyz} on an endpoint that answered again after a failure. With {@code spread},
   * after a random delay of up to {@code idleProbeInterval}: when an apiserver recovers, every
   * process that had it down finds out at about the same time, and the delay keeps their {@code
   * /readyz} requests within the load budget. Without it (a client needs the endpoint now), at
   * once.
   */
  synchronized void readmit(Endpoint endpoint, boolean spread) {
    Probe probe = probes.get(endpoint);
    if (probe == null || closed || probe.readmitting) {
      return;
    }
    probe.readmitting = true;
    if (spread) {
      long delay = (long) (config.idleProbeInterval().toNanos() * random.nextDouble());
      scheduler.schedule(delay, () -> scheduler.execute(probe::readmission));
    } else {
      scheduler.execute(probe::readmission);
    }
  }

  /** Whether {@code endpoint} has an open PING session (for tests and diagnostics). */
  synchronized boolean hasSession(Endpoint endpoint) {
    Probe probe = probes.get(endpoint);
    return probe != null && probe.session != null && probe.session.channel != null;
  }

  synchronized void close() {
    closed = true;
    pauses.stop();
    for (Probe probe : probes.values()) {
      probe.stop();
    }
    probes.clear();
  }

  /** How long an unanswered PING waits before a TCP connect confirms it: half the timeout. */
  private long suspectNanos() {
    return config.pingTimeout().toNanos() / 2;
  }

  /** How long that TCP connect may stay unanswered: the other half. */
  private long confirmWindowNanos() {
    return config.pingTimeout().toNanos() - suspectNanos();
  }

  /**
   * The most stall time discounted from one PING's wait: a quarter of the timeout. Beyond it, a
   * process starved of CPU for good would never reach a verdict, and a blackhole must be found
   * within a bound; the unread-input check and the TCP confirmation, both answered by the kernel,
   * keep a long stall from faking a death.
   */
  private long maxStallDiscountNanos() {
    return config.pingTimeout().toNanos() / 4;
  }

  private long unresponsiveNanos() {
    return config.unresponsiveTimeout().toNanos();
  }

  /**
   * How long after a confirmation that found the host up the next one may start: twice the PING
   * timeout, doubling while the server stays slow, so that a fleet of clients does not open a TCP
   * connection per PING to an apiserver that is already struggling.
   */
  private long baseConfirmSpacingNanos() {
    return 2 * config.pingTimeout().toNanos();
  }

  private long jittered(long meanNanos) {
    return (long) (meanNanos * (0.5 + random.nextDouble()));
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  /** Probing state of one endpoint; guarded by the monitor. */
  private final class Probe {
    final Endpoint endpoint;
    Session session;
    Scheduler.Cancellable idleTimer = Scheduler.Cancellable.NONE;
    Scheduler.Cancellable readyzTimer = Scheduler.Cancellable.NONE;
    boolean handshaking;
    boolean readmitting;
    boolean stopped;
    long lastInUseNanos;

    Probe(Endpoint endpoint) {
      this.endpoint = endpoint;
    }

    void scheduleIdle() {
      scheduleIdle(jittered(config.idleProbeInterval().toNanos()));
    }

    void scheduleIdle(long delayNanos) {
      idleTimer.cancel();
      idleTimer = scheduler.schedule(delayNanos, this::idleProbe);
    }

    void idleProbe() {
      synchronized (HealthMonitor.this) {
        if (stopped || session != null) {
          return;
        }
        handshakeNow();
      }
    }

    void handshakeNow() {
      if (handshaking || stopped) {
        return;
      }
      handshaking = true;
      idleTimer.cancel();
      scheduler.execute(
          () -> {
            IOException failure = null;
            long connectNanos = -1;
            PauseDetector.Mark attempt = pauses.mark();
            try {
              connectNanos = prober.handshake(endpoint);
            } catch (IOException e) {
              failure = e;
            }
            ProbeFailure kind =
                failure == null
                    ? null
                    : ProbeFailure.of(
                        failure, config.connectTimeout().toNanos(), pauses.stalledSince(attempt));
            synchronized (HealthMonitor.this) {
              handshaking = false;
              if (stopped) {
                return;
              }
              if (session == null && (kind == null || kind == ProbeFailure.DEAD)) {
                scheduleIdle();
              } else if (session == null) {
                // Not judged: look again soon rather than after the idle interval.
                scheduleIdle(RETRY_NANOS);
              }
            }
            if (failure == null) {
              verdicts.reachable(endpoint, connectNanos);
            } else if (kind == ProbeFailure.DEAD) {
              verdicts.dead(endpoint, "TLS probe failed: " + describe(failure));
            } else {
              IOException why = failure;
              LOG.log(
                  Level.DEBUG,
                  () ->
                      "TLS probe of "
                          + endpoint
                          + " failed ("
                          + describe(why)
                          + "), not judged: "
                          + (kind == ProbeFailure.SLOW
                              ? "its host answered TCP"
                              : "this process was stalled during the attempt"));
            }
          });
    }

    void startSession() {
      idleTimer.cancel();
      session = new Session(this);
      session.open();
      scheduleReadyz();
    }

    void stopSession() {
      if (session != null) {
        session.stop();
        session = null;
      }
      readyzTimer.cancel();
      scheduleIdle();
    }

    void scheduleReadyz() {
      readyzTimer.cancel();
      if (config.readyzInterval().isZero()) {
        return;
      }
      readyzTimer =
          scheduler.schedule(
              jittered(config.readyzInterval().toNanos()),
              () -> scheduler.execute(this::periodicReadyz));
    }

    void periodicReadyz() {
      Prober.Readyz readyz;
      try {
        readyz = prober.readyz(endpoint);
      } catch (IOException e) {
        synchronized (HealthMonitor.this) {
          if (!stopped && session != null) {
            probeNow(endpoint);
            scheduleReadyz();
          }
        }
        return;
      }
      synchronized (HealthMonitor.this) {
        if (stopped || session == null) {
          return;
        }
        scheduleReadyz();
      }
      if (readyz.isReady()) {
        verdicts.reachable(endpoint, -1);
      } else if (readyz.isForbidden()) {
        warnForbidden(readyz);
      } else {
        verdicts.goingAway(endpoint, "/readyz answered " + readyz.status() + ": " + readyz.body());
      }
    }

    void readmission() {
      Prober.Readyz readyz = null;
      IOException failure = null;
      try {
        readyz = prober.readyz(endpoint);
      } catch (IOException e) {
        failure = e;
      }
      synchronized (HealthMonitor.this) {
        readmitting = false;
        if (stopped) {
          return;
        }
      }
      if (failure != null) {
        String why = describe(failure);
        LOG.log(
            Level.DEBUG,
            () -> "re-admission of " + endpoint + " postponed: /readyz failed: " + why);
      } else if (readyz.isReady() || readyz.isForbidden()) {
        if (readyz.isForbidden()) {
          warnForbidden(readyz);
        }
        verdicts.ready(endpoint);
      } else {
        Prober.Readyz answer = readyz;
        LOG.log(
            Level.DEBUG,
            () ->
                "re-admission of " + endpoint + " postponed: /readyz answered " + answer.status());
      }
    }

    void stop() {
      stopped = true;
      idleTimer.cancel();
      readyzTimer.cancel();
      if (session != null) {
        session.stop();
        session = null;
      }
    }
  }

  private void warnForbidden(Prober.Readyz readyz) {
    synchronized (this) {
      if (warnedForbidden) {
        return;
      }
      warnedForbidden = true;
    }
    LOG.log(
        Level.WARNING,
        () ->
            "/readyz answered "
                + readyz.status()
                + ": the probes cannot read readiness (anonymous access off and no"
                + " readyzAuthorization configured); endpoints are judged by PING and TLS only");
  }

  /**
   * The PING session of an endpoint in use; guarded by the monitor.
   *
   * <p>Only the oldest unanswered PING is watched: the server answers PINGs in order, so an answer
   * to a later one answers every earlier one. Its wait is measured in time this process was running
   * ({@link PauseDetector}), discounting at most a quarter of {@code pingTimeout} of stalls so that
   * a blackhole is found within a bound however starved the process is, and judged in three steps:
   *
   * <ol>
   *   <li>unanswered for half of {@code pingTimeout}: a suspicion. If bytes from the server wait
   *       unread (the reader was starved of CPU), the answer is probably among them: wait for the
   *       reader. Otherwise start a plain TCP connect to the endpoint, the confirmation.
   *   <li>unanswered for {@code pingTimeout}: a miss. The kernel knows how the confirmation went.
   *       Refused: dead. Still pending after the other half of {@code pingTimeout}: the host
   *       answers nothing, a blackhole: dead. Connected: the host is up and its server slow, so
   *       wait on, confirming again now and then.
   *   <li>no answer at all for {@code unresponsiveTimeout}: dead, however the host answers TCP (a
   *       hung server process).
   * </ol>
   */
  private final class Session {
    final Probe probe;
    final NavigableMap<Long, PauseDetector.Mark> outstanding = new TreeMap<>();
    PingChannel channel;
    Link current;
    Scheduler.Cancellable tick = Scheduler.Cancellable.NONE;
    Scheduler.Cancellable retry = Scheduler.Cancellable.NONE;
    Scheduler.Cancellable check = Scheduler.Cancellable.NONE;
    Confirmation confirmation;
    PauseDetector.Mark lastAnswer;
    long lastAckedId;
    long nextConfirmNanos;
    long confirmSpacingNanos = baseConfirmSpacingNanos();
    boolean slow;
    boolean opening;
    boolean stopped;
    boolean afterGoAway;
    boolean noHttp2;
    long nextId;

    Session(Probe probe) {
      this.probe = probe;
      this.lastAnswer = pauses.mark();
    }

    /** One probe connection's events; a connection that sent GOAWAY retires and is read on. */
    private final class Link implements PingChannel.Listener {
      volatile PingChannel channel;
      boolean retiring;

      @Override
      public void pingAcked(long id) {
        acked(this, id);
      }

      @Override
      public void goAway(long errorCode) {
        Session.this.goAway(this);
      }

      @Override
      public void closed(IOException cause) {
        Session.this.closed(this, cause);
      }
    }

    void open() {
      if (opening || stopped) {
        return;
      }
      opening = true;
      Link link = new Link();
      scheduler.execute(
          () -> {
            PingChannel opened = null;
            IOException failure = null;
            PauseDetector.Mark attempt = pauses.mark();
            try {
              opened = prober.openPingChannel(probe.endpoint, link);
              link.channel = opened;
            } catch (IOException e) {
              failure = e;
            }
            opened(link, opened, failure, attempt);
          });
    }

    private void opened(
        Link link, PingChannel opened, IOException failure, PauseDetector.Mark attempt) {
      boolean wasAfterGoAway;
      ProbeFailure kind = null;
      long silentNanos = 0;
      synchronized (HealthMonitor.this) {
        opening = false;
        wasAfterGoAway = afterGoAway;
        if (stopped) {
          if (opened != null) {
            opened.close();
          }
          return;
        }
        if (opened != null) {
          channel = opened;
          current = link;
          afterGoAway = false;
          lastAnswer = pauses.mark();
          ping(true);
        } else if (failure instanceof Prober.NoHttp2Exception) {
          noHttp2 = true;
          scheduleHandshakeTick(0);
        } else {
          kind =
              ProbeFailure.of(
                  failure, config.connectTimeout().toNanos(), pauses.stalledSince(attempt));
          silentNanos = pauses.observedSince(lastAnswer);
          if (kind == ProbeFailure.SLOW && silentNanos >= unresponsiveNanos()) {
            kind = ProbeFailure.DEAD;
          }
          long delay =
              switch (kind) {
                case DEAD -> retryNanos();
                case SLOW -> config.pingInterval().toNanos();
                // Another attempt at once would be judged on time this process mostly missed too
                // if the stall goes on; one PING interval later it is judged on fresh time.
                case INCONCLUSIVE -> config.pingInterval().toNanos();
              };
          retry = scheduler.schedule(delay, this::reopen);
        }
      }
      if (opened != null) {
        verdicts.reachable(probe.endpoint, opened.connectNanos());
      } else if (failure instanceof Prober.NoHttp2Exception) {
        LOG.log(
            Level.INFO,
            () ->
                probe.endpoint
                    + ": "
                    + failure.getMessage()
                    + "; probing it with a TLS handshake every "
                    + millis(handshakeIntervalNanos())
                    + " ms instead of PINGs");
      } else if (wasAfterGoAway && failure instanceof ConnectException) {
        verdicts.goingAway(
            probe.endpoint,
            "closed its connection with GOAWAY and refuses new ones: " + describe(failure));
      } else if (kind == ProbeFailure.DEAD && failure instanceof Prober.HandshakeTimeoutException) {
        verdicts.dead(
            probe.endpoint,
            "accepts TCP connections but answered nothing for "
                + millis(silentNanos)
                + " ms: "
                + describe(failure));
      } else if (kind == ProbeFailure.DEAD) {
        verdicts.dead(probe.endpoint, "cannot open the probe connection: " + describe(failure));
      } else {
        ProbeFailure why = kind;
        LOG.log(
            Level.DEBUG,
            () ->
                "probe connection to "
                    + probe.endpoint
                    + " failed ("
                    + describe(failure)
                    + "), "
                    + (why == ProbeFailure.SLOW
                        ? "but its host answered TCP: not dead yet"
                        : "but this process was stalled during the attempt: trying again"));
      }
    }

    private void reopen() {
      synchronized (HealthMonitor.this) {
        if (!stopped && channel == null) {
          open();
        }
      }
    }

    private long retryNanos() {
      return Math.max(config.pingInterval().toNanos(), TimeUnit.SECONDS.toNanos(1));
    }

    /** Sends a PING; {@code periodic} also schedules the next one. */
    void ping(boolean periodic) {
      PingChannel target = channel;
      if (stopped || target == null) {
        return;
      }
      long id = ++nextId;
      if (periodic) {
        tick.cancel();
        tick =
            scheduler.schedule(
                config.pingInterval().toNanos(),
                () -> {
                  synchronized (HealthMonitor.this) {
                    ping(true);
                  }
                });
      }
      scheduler.execute(
          () -> {
            synchronized (HealthMonitor.this) {
              if (stopped || channel != target) {
                return;
              }
              // The wait starts when the PING is written, not when it was due: a starved I/O lane
              // sends it late, and the server cannot answer what it has not received.
              outstanding.put(id, pauses.mark());
              if (outstanding.size() == 1) {
                scheduleCheck(suspectNanos());
              }
            }
            try {
              target.ping(id);
            } catch (IOException e) {
              lost(target, e);
            }
          });
    }

    private void acked(Link link, long id) {
      long latency = -1;
      boolean recovered;
      long silentNanos;
      synchronized (HealthMonitor.this) {
        if (stopped || link != current) {
          return;
        }
        PauseDetector.Mark sent = outstanding.get(id);
        if (sent != null) {
          latency = pauses.observedSince(sent);
        }
        lastAckedId = Math.max(lastAckedId, id);
        outstanding.headMap(id, true).clear();
        silentNanos = pauses.observedSince(lastAnswer);
        lastAnswer = pauses.mark();
        recovered = slow;
        slow = false;
        if (latency >= 0 && latency < suspectNanos()) {
          confirmSpacingNanos = baseConfirmSpacingNanos();
        }
        endConfirmation();
        check.cancel();
        if (!outstanding.isEmpty()) {
          scheduleCheck(
              suspectNanos()
                  - pauses.observedSince(
                      outstanding.firstEntry().getValue(), maxStallDiscountNanos()));
        }
      }
      if (recovered) {
        LOG.log(
            Level.DEBUG,
            () -> probe.endpoint + " answered a PING again after " + millis(silentNanos) + " ms");
      }
      if (latency >= 0) {
        verdicts.reachable(probe.endpoint, latency);
      }
    }

    private void scheduleCheck(long delayNanos) {
      check.cancel();
      check = scheduler.schedule(Math.max(0, delayNanos), this::check);
    }

    /** Judges the oldest unanswered PING; see the class description. */
    private void check() {
      String death;
      synchronized (HealthMonitor.this) {
        check = Scheduler.Cancellable.NONE;
        if (stopped || channel == null || outstanding.isEmpty()) {
          return;
        }
        death = judge(outstanding.firstEntry().getValue());
        if (death != null) {
          teardown();
        }
      }
      if (death != null) {
        verdicts.dead(probe.endpoint, death);
      }
    }

    /** Returns why the endpoint is dead, or null after scheduling the next check. */
    private String judge(PauseDetector.Mark oldest) {
      long waited = pauses.observedSince(oldest, maxStallDiscountNanos());
      long silent = pauses.observedSince(lastAnswer);
      if (waited < suspectNanos()) {
        scheduleCheck(suspectNanos() - waited);
        return null;
      }
      if (channel.hasUnreadInput()) {
        // The reader has not caught up with what arrived: the answer is probably there.
        scheduleCheck(UNREAD_RECHECK_NANOS);
        return null;
      }
      if (silent >= unresponsiveNanos()) {
        return "no HTTP/2 PING answered for "
            + millis(silent)
            + " ms, although its host accepts TCP connections";
      }
      if (confirmation == null && scheduler.nanoTime() - nextConfirmNanos >= 0) {
        confirmation = new Confirmation(probe.endpoint);
      }
      long timeout = config.pingTimeout().toNanos();
      if (waited < timeout) {
        scheduleCheck(timeout - waited);
        return null;
      }
      if (confirmation == null) {
        // The host answered a confirmation moments ago: the server is slow, not gone.
        scheduleCheck(
            Math.min(unresponsiveNanos() - silent, nextConfirmNanos - scheduler.nanoTime()));
        return null;
      }
      IOException refused = confirmation.failure();
      if (refused != null) {
        endConfirmation();
        return "no HTTP/2 PING ack within "
            + millis(timeout)
            + " ms, and a new TCP connection failed: "
            + describe(refused);
      }
      if (confirmation.isConnected()) {
        onSlow(waited);
        endConfirmation();
        nextConfirmNanos = scheduler.nanoTime() + confirmSpacingNanos;
        confirmSpacingNanos = Math.min(confirmSpacingNanos * 2, unresponsiveNanos());
        scheduleCheck(
            Math.min(unresponsiveNanos() - silent, nextConfirmNanos - scheduler.nanoTime()));
        return null;
      }
      long pending = confirmation.observedNanos();
      if (pending < confirmWindowNanos()) {
        scheduleCheck(confirmWindowNanos() - pending);
        return null;
      }
      endConfirmation();
      return "no HTTP/2 PING ack within "
          + millis(timeout)
          + " ms, and no answer to a new TCP connection within "
          + millis(pending)
          + " ms";
    }

    private void onSlow(long waitedNanos) {
      if (slow) {
        return;
      }
      slow = true;
      long now = scheduler.nanoTime();
      boolean loud = now - lastSlowLogNanos >= SLOW_LOG_SPACING_NANOS || lastSlowLogNanos == 0;
      if (loud) {
        lastSlowLogNanos = now;
      }
      LOG.log(
          loud ? Level.INFO : Level.DEBUG,
          () ->
              probe.endpoint
                  + " left a PING unanswered for "
                  + millis(waitedNanos)
                  + " ms but its host accepts TCP connections: a slow server, not a dead one;"
                  + " down if it answers nothing for "
                  + millis(unresponsiveNanos())
                  + " ms"
                  + (pauses.stalledNanos() > 0 ? " (this process: " + pauses.summary() + ")" : ""));
    }

    private void endConfirmation() {
      if (confirmation != null) {
        confirmation.close();
        confirmation = null;
      }
    }

    private void goAway(Link link) {
      synchronized (HealthMonitor.this) {
        if (stopped || link != current) {
          return;
        }
        // No new PINGs on it; read it on for a moment: a clean close after GOAWAY is a graceful
        // shutdown, a reset is not. The GOAWAY itself is an answer.
        link.retiring = true;
        current = null;
        channel = null;
        tick.cancel();
        check.cancel();
        outstanding.clear();
        endConfirmation();
        lastAnswer = pauses.mark();
        PingChannel retired = link.channel;
        scheduler.schedule(RETIRE_NANOS, retired::close);
        afterGoAway = true;
        open();
      }
    }

    private void closed(Link link, IOException cause) {
      boolean brokenAfterGoAway;
      synchronized (HealthMonitor.this) {
        if (stopped) {
          return;
        }
        brokenAfterGoAway = link.retiring && cause != null;
        if (!link.retiring && link == current) {
          teardown();
          // A reset or an EOF without GOAWAY: reconnect at once; the reconnect is the probe.
          open();
        }
      }
      if (brokenAfterGoAway) {
        verdicts.broken(probe.endpoint, cause);
      }
    }

    private void lost(PingChannel lostChannel, IOException cause) {
      synchronized (HealthMonitor.this) {
        if (stopped || channel != lostChannel) {
          return;
        }
        teardown();
        open();
      }
    }

    private void teardown() {
      tick.cancel();
      check.cancel();
      outstanding.clear();
      endConfirmation();
      slow = false;
      current = null;
      if (channel != null) {
        channel.close();
        channel = null;
      }
    }

    private long handshakeIntervalNanos() {
      return Math.max(config.pingInterval().toNanos() * 4, TimeUnit.SECONDS.toNanos(1));
    }

    private void scheduleHandshakeTick(long delayNanos) {
      tick.cancel();
      tick = scheduler.schedule(delayNanos, () -> scheduler.execute(this::handshakeTick));
    }

    private void handshakeTick() {
      synchronized (HealthMonitor.this) {
        if (stopped) {
          return;
        }
      }
      IOException failure = null;
      long connectNanos = -1;
      PauseDetector.Mark attempt = pauses.mark();
      try {
        connectNanos = prober.handshake(probe.endpoint);
      } catch (IOException e) {
        failure = e;
      }
      ProbeFailure kind = null;
      long silentNanos = 0;
      synchronized (HealthMonitor.this) {
        if (stopped) {
          return;
        }
        scheduleHandshakeTick(handshakeIntervalNanos());
        if (failure == null) {
          lastAnswer = pauses.mark();
        } else {
          kind =
              ProbeFailure.of(
                  failure, config.connectTimeout().toNanos(), pauses.stalledSince(attempt));
          silentNanos = pauses.observedSince(lastAnswer);
          if (kind == ProbeFailure.SLOW && silentNanos >= unresponsiveNanos()) {
            kind = ProbeFailure.DEAD;
          }
        }
      }
      if (failure == null) {
        verdicts.reachable(probe.endpoint, connectNanos);
      } else if (kind == ProbeFailure.DEAD) {
        verdicts.dead(probe.endpoint, "TLS probe failed: " + describe(failure));
      } else {
        IOException why = failure;
        LOG.log(
            Level.DEBUG,
            () ->
                "TLS probe of " + probe.endpoint + " failed (" + describe(why) + "); not dead yet");
      }
    }

    void stop() {
      stopped = true;
      tick.cancel();
      retry.cancel();
      check.cancel();
      outstanding.clear();
      endConfirmation();
      if (channel != null) {
        channel.close();
        channel = null;
      }
    }
  }

  /**
   * A TCP connect that confirms, or not, a missing PING answer: its outcome is read from the
   * kernel, so it does not matter whether this process was running when the host answered.
   */
  private final class Confirmation {
    private final PauseDetector.Mark started;
    private Prober.ConnectCheck check;
    private IOException failure;

    Confirmation(Endpoint endpoint) {
      try {
        check = prober.startConnect(endpoint);
      } catch (IOException e) {
        failure = e;
      }
      started = pauses.mark();
    }

    /** Why the connect failed, or null while it is pending or connected. */
    IOException failure() {
      if (failure == null) {
        try {
          check.isConnected();
        } catch (IOException e) {
          failure = e;
        }
      }
      return failure;
    }

    boolean isConnected() {
      try {
        return failure == null && check.isConnected();
      } catch (IOException e) {
        failure = e;
        return false;
      }
    }

    /** How long it has been pending. */
    long observedNanos() {
      // Wall time: the kernel completes a connect whether or not this process runs meanwhile.
      return pauses.elapsedSince(started);
    }

    void close() {
      if (check != null) {
        check.close();
      }
    }
  }
}
