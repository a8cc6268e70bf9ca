package dev.lifeline.dnscheck.internal.probe;

import java.util.Locale;

/** How a probe ended. Only {@link #OK} is a success. */
public enum Outcome {
  /** A reply that passed every expectation. */
  OK,
  /** No usable reply within the timeout, on every attempt. */
  TIMEOUT,
  /** The server's port is closed: ICMP port unreachable over UDP, connection refused over TCP. */
  UNREACHABLE,
  /** Another network error (connection reset, no route). */
  NETWORK_ERROR,
  /** The reply had the TC bit set; it was not retried over TCP behind the caller's back. */
  TRUNCATED,
  /** The reply's response code is not among the allowed ones (SERVFAIL, REFUSED, ...). */
  WRONG_RCODE,
  /** The reply's answers differ from the expected ones. */
  WRONG_ANSWER,
  /** A reply whose question section differs from the query's. */
  QUESTION_MISMATCH,
  /** Replies carried IDs that match no query sent (only such replies arrived). */
  ID_MISMATCH,
  /** A reply that is not a DNS response (unparseable, or without the QR bit). */
  MALFORMED;

  public boolean isSuccess() {
    return this == OK;
  }

  /**
   * Whether the outcome may be a lost packet rather than a wrong server, so that one more attempt
   * can tell the two apart. A definite answer (a wrong one included) is never retried.
   */
  public boolean isPossibleLoss() {
    return this == TIMEOUT || this == NETWORK_ERROR || this == ID_MISMATCH;
  }

  /** The lower-case name used in JSON and metric labels. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
