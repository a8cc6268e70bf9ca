package dev.lifeline.cli.internal.demo;

/**
 * The demo could not run (addresses or port taken, the control plane never became reachable). The
 * message is one line for the user, saying what to do where there is something to do.
 */
public final class DemoFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  DemoFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
