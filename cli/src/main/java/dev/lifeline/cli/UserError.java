package dev.lifeline.cli;

/**
 * A failure the user can fix: printed as one line, without a stack trace.
 *
 * <p>The message says what was wrong, where (file, field, value) and what to do.
 */
public final class UserError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  private UserError(String message, int exitCode, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** A bad flag, value or file: exit code 2. */
  public static UserError usage(String message) {
    return new UserError(message, Lifeline.USAGE, null);
  }

  /** Something outside the command failed (the API is unreachable, access is forbidden): exit 1. */
  public static UserError failure(String message, Throwable cause) {
    return new UserError(message, Lifeline.FAILURE, cause);
  }

  public int exitCode() {
    return exitCode;
  }
}
