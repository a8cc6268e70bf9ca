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
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Decides when and how to probe each endpoint, and turns what the probes see into verdicts.
 *
 * <ul>
 *   <li>Endpoints <b>in use</b> (with connections handed out, or first in line for the next one)
 *       get a PING session: one HTTP/2 connection PINGed every {@code pingInterval}; a PING
 *       unanswered for {@code pingTimeout} means dead. Detection takes at most {@code pingInterval
 *       + pingTimeout} (750 ms by default). A GOAWAY or a closed connection reopens it at once; a
 *       refused reopen after GOAWAY means the server is shutting down gracefully (going away), any
 *       other failure means dead. {@code /readyz} runs every {@code readyzInterval}, jittered.
 *   <li>Other endpoints get a TLS handshake every {@code idleProbeInterval}, jittered ±50%, and new
 *       ones one at once.
 *   <li>A passive signal (failed connect, reset, stalled write) probes at once.
 *   <li>A down endpoint that answers again must pass {@code /readyz} before it is re-admitted.
 * </ul>
 *
 * <p>Thread-safe through its own monitor; verdicts are reported outside it.
 */
final class HealthMonitor {
  private static final System.Logger LOG = System.getLogger(HealthMonitor.class.getName());
  private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** How long a connection that sent GOAWAY is still read, to tell a clean close from a reset. */
  private static final long RETIRE_NANOS = TimeUnit.SECONDS.toNanos(2);

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
  private final Map<Endpoint, Probe> probes = new HashMap<>();
  private boolean closed;
  private boolean warnedForbidden;

  HealthMonitor(
      FailoverConfig config, Scheduler scheduler, Prober prober, Verdicts verdicts, Random random) {
    this.config = config;
    this.scheduler = scheduler;
    this.prober = prober;
    this.verdicts = verdicts;
    this.random = random;
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
    for (Probe probe : probes.values()) {
      probe.stop();
    }
    probes.clear();
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
      idleTimer.cancel();
      idleTimer =
          scheduler.schedule(jittered(config.idleProbeInterval().toNanos()), this::idleProbe);
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
            try {
              connectNanos = prober.handshake(endpoint);
            } catch (IOException e) {
              failure = e;
            }
            synchronized (HealthMonitor.this) {
              handshaking = false;
              if (stopped) {
                return;
              }
              if (session == null) {
                scheduleIdle();
              }
            }
            if (failure == null) {
              verdicts.reachable(endpoint, connectNanos);
            } else {
              verdicts.dead(endpoint, "TLS probe failed: " + describe(failure));
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

  /** The PING session of an endpoint in use; guarded by the monitor. */
  private final class Session {
    final Probe probe;
    final Map<Long, Long> outstanding = new ConcurrentHashMap<>();
    PingChannel channel;
    Link current;
    Scheduler.Cancellable tick = Scheduler.Cancellable.NONE;
    Scheduler.Cancellable retry = Scheduler.Cancellable.NONE;
    boolean opening;
    boolean stopped;
    boolean afterGoAway;
    boolean noHttp2;
    long nextId;

    Session(Probe probe) {
      this.probe = probe;
    }

    /** One probe connection's events; a connection that sent GOAWAY retires and is read on. */
    private final class Link implements PingChannel.Listener {
      volatile PingChannel channel;
      boolean retiring;

      @Override
      public void pingAcked(long id) {
        acked(id);
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
            try {
              opened = prober.openPingChannel(probe.endpoint, link);
              link.channel = opened;
            } catch (IOException e) {
              failure = e;
            }
            opened(link, opened, failure);
          });
    }

    private void opened(Link link, PingChannel opened, IOException failure) {
      boolean wasAfterGoAway;
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
          ping(true);
        } else if (failure instanceof Prober.NoHttp2Exception) {
          noHttp2 = true;
          scheduleHandshakeTick(0);
        } else {
          retry = scheduler.schedule(retryNanos(), this::reopen);
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
      } else {
        verdicts.dead(probe.endpoint, "cannot open the probe connection: " + describe(failure));
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

    /** Sends a PING with its deadline; {@code periodic} also schedules the next one. */
    void ping(boolean periodic) {
      PingChannel target = channel;
      if (stopped || target == null) {
        return;
      }
      long id = ++nextId;
      long sent = scheduler.nanoTime();
      outstanding.put(id, sent);
      scheduler.schedule(config.pingTimeout().toNanos(), () -> deadline(id));
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
            try {
              target.ping(id);
            } catch (IOException e) {
              lost(target, e);
            }
          });
    }

    private void deadline(long id) {
      Long sent = outstanding.remove(id);
      if (sent == null) {
        return;
      }
      synchronized (HealthMonitor.this) {
        if (stopped || channel == null) {
          return;
        }
        teardown();
      }
      verdicts.dead(
          probe.endpoint,
          "no HTTP/2 PING ack within " + millis(config.pingTimeout().toNanos()) + " ms");
    }

    private void acked(long id) {
      Long sent = outstanding.remove(id);
      if (sent != null) {
        verdicts.reachable(probe.endpoint, scheduler.nanoTime() - sent);
      }
    }

    private void goAway(Link link) {
      synchronized (HealthMonitor.this) {
        if (stopped || link != current) {
          return;
        }
        // No new PINGs on it; read it on for a moment: a clean close after GOAWAY is a graceful
        // shutdown, a reset is not.
        link.retiring = true;
        current = null;
        channel = null;
        tick.cancel();
        outstanding.clear();
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
      outstanding.clear();
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
      try {
        connectNanos = prober.handshake(probe.endpoint);
      } catch (IOException e) {
        failure = e;
      }
      synchronized (HealthMonitor.this) {
        if (stopped) {
          return;
        }
        scheduleHandshakeTick(handshakeIntervalNanos());
      }
      if (failure == null) {
        verdicts.reachable(probe.endpoint, connectNanos);
      } else {
        verdicts.dead(probe.endpoint, "TLS probe failed: " + describe(failure));
      }
    }

    void stop() {
      stopped = true;
      tick.cancel();
      retry.cancel();
      outstanding.clear();
      if (channel != null) {
        channel.close();
        channel = null;
      }
    }
  }
}
