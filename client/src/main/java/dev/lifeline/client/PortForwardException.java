package dev.lifeline.client;

import java.io.IOException;

/**
 * A port-forward to a pod failed after it was opened: the API server (or the kubelet behind it)
 * reported an error on the port's error channel, for example {@code error forwarding port 53 to pod
 * coredns-1, uid ...: dial tcp4 10.244.1.7:53: connect: connection refused}, or the WebSocket
 * carrying it broke. The message names the pod and port and carries the server's words.
 */
public class PortForwardException extends IOException {
  private static final long serialVersionUID = 1L;

  /** A failure with a message. */
  public PortForwardException(String message) {
    super(message);
  }

  /** A failure with a message and a cause. */
  public PortForwardException(String message, Throwable cause) {
    super(message, cause);
  }
}
