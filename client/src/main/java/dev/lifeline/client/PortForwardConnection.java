package dev.lifeline.client;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * One TCP connection to a port of a pod, through the API server: {@code pods/{name}/portforward}
 * over a WebSocket with the {@code v4.channel.k8s.io} protocol (one data and one error channel per
 * port; the kubelet connects to the port inside the pod's network namespace). See {@link
 * KubeClient#portForward}.
 *
 * <p>{@link #input()} and {@link #output()} may be used by two threads at once (one each); {@link
 * #close()} from any thread. Reads block until the pod sends bytes; writes block while more than a
 * few MiB wait to be sent. The v4 protocol cannot half-close: closing the output closes the
 * connection.
 */
public interface PortForwardConnection extends AutoCloseable {
  /** The pod's namespace. */
  String namespace();

  /** The pod's name. */
  String pod();

  /** The pod's port. */
  int port();

  /**
   * Bytes from the pod. Ends (-1) when the pod closes the connection; throws {@link
   * PortForwardException} when the server reported an error for the port (after the bytes that came
   * before it) or the WebSocket broke.
   */
  InputStream input();

  /**
   * Bytes to the pod; {@link OutputStream#close()} closes the connection. Throws {@link
   * PortForwardException} once the connection has failed or ended.
   */
  OutputStream output();

  /** Closes the connection (the WebSocket, and so the kubelet's connection to the pod). */
  @Override
  void close();
}
