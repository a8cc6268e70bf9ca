package dev.lifeline.client.internal.portforward;

import dev.lifeline.client.KubeApiException;
import dev.lifeline.client.PortForwardException;
import dev.lifeline.client.internal.http.ApiRequest;
import dev.lifeline.client.internal.http.RequestExecutor;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

/**
 * The WebSocket of one forwarded connection: decodes the server's messages into the {@link
 * PodSink}, sends bytes to the pod with flow control, and turns the error channel, a refused
 * upgrade or a broken connection into one {@link PortForwardException}.
 *
 * <p>OkHttp calls the listener methods on one reader thread per WebSocket; {@link #send}, {@link
 * #close} and {@link #cancel} may be called from any thread.
 */
final class ForwardSocket extends WebSocketListener {
  static final String PROTOCOL = "v4.channel.k8s.io";

  /** OkHttp fails a WebSocket whose send queue exceeds 16 MiB; writers wait well below that. */
  private static final long SEND_QUEUE_LIMIT = 4L << 20;

  private static final long SEND_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final String target;
  private final ApiRequest request;
  private final ChannelFrames frames;
  private final PodSink sink;
  private final CompletableFuture<Void> opened = new CompletableFuture<>();
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile PortForwardException failure;
  private volatile WebSocket socket;

  private ForwardSocket(String target, int port, ApiRequest request, PodSink sink) {
    this.target = target;
    this.request = request;
    this.frames = new ChannelFrames(target, port);
    this.sink = sink;
  }

  /**
   * Opens the WebSocket; bytes sent before it is open are queued.
   *
   * @param target for messages, e.g. {@code kube-system/coredns-1 port 53}
   */
  static ForwardSocket open(
      OkHttpClient client,
      Request upgrade,
      ApiRequest request,
      String target,
      int port,
      PodSink sink) {
    ForwardSocket s = new ForwardSocket(target, port, request, sink);
    s.socket =
        client.newWebSocket(
            upgrade.newBuilder().header("Sec-WebSocket-Protocol", PROTOCOL).build(), s);
    return s;
  }

  /** Completes when the server has named the port on both channels, or fails with the reason. */
  CompletableFuture<Void> opened() {
    return opened;
  }

  /** The failure that ended the forward, or null. */
  PortForwardException failure() {
    return failure;
  }

  @Override
  public void onOpen(WebSocket webSocket, Response response) {
    String protocol = response.header("Sec-WebSocket-Protocol");
    if (!PROTOCOL.equals(protocol)) {
      fail(
          new PortForwardException(
              "port-forward to "
                  + target
                  + ": the server did not agree to the "
                  + PROTOCOL
                  + " protocol (it answered "
                  + (protocol == null ? "none" : protocol)
                  + ")"));
      webSocket.cancel();
    }
  }

  @Override
  public void onMessage(WebSocket webSocket, ByteString bytes) {
    try {
      frames.decode(
          bytes.toByteArray(),
          new ChannelFrames.Receiver() {
            @Override
            public void data(byte[] b, int offset, int length) throws IOException {
              if (!ended.get()) {
                sink.data(b, offset, length);
              }
            }

            @Override
            public void error(String text) {
              fail(new PortForwardException("port-forward to " + target + ": " + text.strip()));
              webSocket.close(1000, null);
            }
          });
      if (frames.isOpen()) {
        opened.complete(null);
      }
    } catch (PortForwardException e) {
      fail(e);
      webSocket.cancel();
    } catch (IOException localSideGone) {
      // The bytes have nowhere to go: the local side closed, so the forward ends cleanly.
      end();
      webSocket.close(1000, null);
    }
  }

  @Override
  public void onMessage(WebSocket webSocket, String text) {
    fail(
        new PortForwardException(
            "port-forward to " + target + ": the server sent a text message on a binary protocol"));
    webSocket.cancel();
  }

  @Override
  public void onClosing(WebSocket webSocket, int code, String reason) {
    webSocket.close(1000, null);
    if (code == 1000 || code == 1005) {
      end();
    } else {
      fail(
          new PortForwardException(
              "port-forward to "
                  + target
                  + " closed by the server with code "
                  + code
                  + (reason.isEmpty() ? "" : ": " + reason)));
    }
  }

  @Override
  public void onClosed(WebSocket webSocket, int code, String reason) {
    end();
  }

  @Override
  public void onFailure(WebSocket webSocket, Throwable t, Response response) {
    if (response != null && response.code() != 101) {
      KubeApiException refused = RequestExecutor.error(request, response);
      fail(
          new PortForwardException(
              "port-forward to " + target + " refused: " + refused.getMessage(), refused));
    } else {
      fail(
          new PortForwardException(
              "port-forward to "
                  + target
                  + " broke: "
                  + (t.getMessage() == null ? t.toString() : t.getMessage()),
              t));
    }
  }

  /**
   * Sends bytes to the pod, waiting while the send queue is long.
   *
   * @throws PortForwardException when the forward failed or ended
   * @throws InterruptedIOException when interrupted while waiting
   */
  void send(byte[] bytes, int offset, int length) throws IOException {
    WebSocket s = socket;
    while (s.queueSize() > SEND_QUEUE_LIMIT && !ended.get()) {
      LockSupport.parkNanos(SEND_WAIT_NANOS);
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while sending to " + target);
      }
    }
    if (ended.get() || !s.send(ByteString.of(ChannelFrames.dataMessage(bytes, offset, length)))) {
      throw closed();
    }
  }

  private PortForwardException closed() {
    PortForwardException f = failure;
    return f != null
        ? new PortForwardException(f.getMessage(), f)
        : new PortForwardException("port-forward to " + target + " is closed");
  }

  /** Closes the forward after the bytes already sent. */
  void close() {
    socket.close(1000, null);
    end();
  }

  /** Drops the forward at once (the connection is torn down, unsent bytes are lost). */
  void cancel() {
    socket.cancel();
    end();
  }

  private void fail(PortForwardException e) {
    if (ended.compareAndSet(false, true)) {
      failure = e;
      opened.completeExceptionally(e);
      sink.ended(e);
    }
  }

  private void end() {
    if (ended.compareAndSet(false, true)) {
      opened.completeExceptionally(
          new PortForwardException("port-forward to " + target + " ended before it opened"));
      sink.ended(null);
    }
  }
}
