package dev.lifeline.failover;

import java.net.ConnectException;

/**
 * Every endpoint and the seed address failed to connect.
 *
 * <p>The message names the server, every address tried and the time spent. The first attempt's
 * failure is the {@linkplain #getCause() cause}; the others are {@linkplain #getSuppressed()
 * suppressed}, each naming its address and how long it took.
 */
public final class FailoverConnectException extends ConnectException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; attach the attempts with {@link #initCause} and addSuppressed. */
  public FailoverConnectException(String message) {
    super(message);
  }
}
