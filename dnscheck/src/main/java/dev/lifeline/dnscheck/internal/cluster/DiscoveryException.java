package dev.lifeline.dnscheck.internal.cluster;

/**
 * The cluster's DNS cannot be found or read: no DNS Service, access forbidden, API unreachable. The
 * message is one line for the user: what failed, where, and what to do.
 */
public final class DiscoveryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why, for the exit code and tests. */
  public enum Kind {
    /** The DNS Service (or its pods' selector) does not exist. */
    NOT_FOUND,
    /** RBAC forbids a needed read or write. */
    FORBIDDEN,
    /** The API server did not answer. */
    UNREACHABLE,
    /** Anything else the API answered. */
    API_ERROR
  }

  private final Kind kind;

  public DiscoveryException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
