package dev.lifeline.failover.internal;

import java.io.IOException;
import java.net.SocketTimeoutException;

/**
 * What a failed probe connection says about its endpoint. Only a failure the endpoint's host caused
 * is a sign of death; a slow server process, or a timeout this process did not fully see, is not.
 */
enum ProbeFailure {
  /**
   * Refused, reset, unreachable, a TCP connect unanswered for the whole timeout this process was
   * running, a TLS error: the endpoint cannot serve.
   */
  DEAD,

  /**
   * The TCP connect succeeded and the TLS handshake timed out: the host answers and its server
   * process is slow or hung. Dead only once it stays so for {@code unresponsiveTimeout}.
   */
  SLOW,

  /**
   * A TCP connect timed out while this process was stalled for most of the timeout (a whole-machine
   * freeze can fire the timeout before the kernel handled the answer): try again before judging.
   * The JDK checks the socket after every wake-up before it times a connect out, so a shorter stall
   * cannot fake a timeout.
   */
  INCONCLUSIVE;

  /**
   * Classifies {@code failure} of an attempt bounded by {@code timeoutNanos}, during which this
   * process was found stalled for {@code stalledNanos}.
   */
  static ProbeFailure of(IOException failure, long timeoutNanos, long stalledNanos) {
    if (failure instanceof Prober.HandshakeTimeoutException) {
      return SLOW;
    }
    if (failure instanceof SocketTimeoutException && stalledNanos > timeoutNanos / 2) {
      return INCONCLUSIVE;
    }
    return DEAD;
  }
}
