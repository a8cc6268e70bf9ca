package dev.lifeline.client.internal.portforward;

import dev.lifeline.client.PortForwardConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** A {@link PortForwardConnection}: one {@link ForwardSocket} read through a {@link PodInput}. */
final class RealPortForwardConnection implements PortForwardConnection {
  private final String namespace;
  private final String pod;
  private final int port;
  private final PodInput input;
  private final ForwardSocket socket;
  private final OutputStream output;
  private final Runnable onClose;

  RealPortForwardConnection(
      String namespace,
      String pod,
      int port,
      PodInput input,
      ForwardSocket socket,
      Runnable onClose) {
    this.namespace = namespace;
    this.pod = pod;
    this.port = port;
    this.input = input;
    this.socket = socket;
    this.onClose = onClose;
    this.output =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len > 0) {
              socket.send(b, off, len);
            }
          }

          @Override
          public void close() {
            RealPortForwardConnection.this.close();
          }
        };
  }

  @Override
  public String namespace() {
    return namespace;
  }

  @Override
  public String pod() {
    return pod;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public InputStream input() {
    return input;
  }

  @Override
  public OutputStream output() {
    return output;
  }

  @Override
  public void close() {
    socket.close();
    onClose.run();
  }

  /** Tears the connection down at once (the client closes). */
  void cancel() {
    socket.cancel();
    input.close();
  }

  @Override
  public String toString() {
    return "PortForwardConnection{" + namespace + "/" + pod + " port " + port + "}";
  }
}
