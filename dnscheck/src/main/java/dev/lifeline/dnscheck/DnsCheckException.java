package dev.lifeline.dnscheck;

/**
 * The checker cannot run: the DNS Service is missing, access is forbidden, the API server does not
 * answer, or no deployment mode can reach the cluster's DNS. The message is one line for the user:
 * what failed, where, and what to do.
 */
public final class DnsCheckException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What kind of failure. */
  public enum Kind {
    /** The DNS Service or its pods are not where the configuration says. */
    NOT_FOUND,
    /** RBAC forbids what the checker needs, or the credentials were rejected. */
    FORBIDDEN,
    /** The API server did not answer. */
    UNREACHABLE,
    /** No deployment mode can reach the cluster's DNS from here. */
    NO_MODE,
    /** Anything else. */
    FAILED
  }

  private final Kind kind;

  public DnsCheckException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
