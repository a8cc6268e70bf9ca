package dev.lifeline.client.internal.portforward;

import dev.lifeline.client.KubeApiException;
import dev.lifeline.client.KubeException;
import dev.lifeline.client.PortForwardConnection;
import dev.lifeline.client.PortForwarder;
import dev.lifeline.client.internal.http.ApiRequest;
import dev.lifeline.client.internal.http.RequestExecutor;
import dev.lifeline.client.internal.http.RequestSent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * The port-forwards of one client: the WebSocket transport (the client's, with a dispatcher of its
 * own, since each WebSocket holds a dispatcher thread for its life and must not queue behind the
 * client's limits), the threads of local forwarders, and everything open, which {@link #close()}
 * tears down. Thread-safe.
 */
public final class PortForwards implements AutoCloseable {
  /** Concurrent WebSockets per client; far above what port-forwards to a few pods need. */
  private static final int MAX_WEBSOCKETS = 1024;

  private final OkHttpClient webSockets;
  private final ExecutorService dispatcherThreads;
  private final ExecutorService forwarderThreads;
  private final RequestExecutor executor;
  private final Duration openTimeout;
  private final Set<AutoCloseable> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /**
   * @param http the client's transport (TLS, authentication, pings, failover hooks)
   * @param openTimeout how long {@link #connect} waits for the server to open the forward
   */
  public PortForwards(OkHttpClient http, RequestExecutor executor, Duration openTimeout) {
    this.executor = executor;
    this.openTimeout = openTimeout;
    this.dispatcherThreads = threads("lifeline-kube-websocket");
    this.forwarderThreads = threads("lifeline-kube-port-forward");
    Dispatcher dispatcher = new Dispatcher(dispatcherThreads);
    dispatcher.setMaxRequests(MAX_WEBSOCKETS);
    dispatcher.setMaxRequestsPerHost(MAX_WEBSOCKETS);
    this.webSockets = http.newBuilder().dispatcher(dispatcher).build();
  }

  private static ExecutorService threads(String name) {
    AtomicInteger n = new AtomicInteger();
    return new ThreadPoolExecutor(
        0,
        Integer.MAX_VALUE,
        30,
        TimeUnit.SECONDS,
        new SynchronousQueue<>(),
        r -> {
          Thread t = new Thread(r, name + "-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /** The request of a forward to one port: {@code GET .../pods/{pod}/portforward?ports=P}. */
  public static ApiRequest request(List<String> podPath, int port) {
    return ApiRequest.of("GET", podPath).param("ports", port);
  }

  /**
   * Opens one connection and waits until the server has set it up.
   *
   * @param request from {@link #request}
   * @throws KubeApiException when the server refused it (403, 404, 400)
   * @throws KubeException when it could not be opened in time or broke while opening
   */
  public PortForwardConnection connect(ApiRequest request, String namespace, String pod, int port) {
    checkOpen();
    String target = namespace + "/" + pod + " port " + port;
    PodInput input = new PodInput();
    ForwardSocket socket = socket(request, target, port, input);
    RealPortForwardConnection[] self = new RealPortForwardConnection[1];
    RealPortForwardConnection c =
        new RealPortForwardConnection(
            namespace, pod, port, input, socket, () -> open.remove(self[0]));
    self[0] = c;
    open.add(c);
    try {
      socket.opened().get(openTimeout.toMillis(), TimeUnit.MILLISECONDS);
      return c;
    } catch (ExecutionException e) {
      c.cancel();
      open.remove(c);
      Throwable cause = e.getCause();
      if (cause.getCause() instanceof KubeApiException refused) {
        throw refused;
      }
      throw new KubeException(cause.getMessage(), cause);
    } catch (TimeoutException e) {
      c.cancel();
      open.remove(c);
      throw new KubeException(
          "port-forward to " + target + " did not open within " + openTimeout.toMillis() + " ms",
          e);
    } catch (InterruptedException e) {
      c.cancel();
      open.remove(c);
      Thread.currentThread().interrupt();
      throw new KubeException("interrupted while opening the port-forward to " + target, e);
    }
  }

  /**
   * Starts a local forwarder.
   *
   * @throws UncheckedIOException when the local address cannot be bound
   */
  public PortForwarder forwarder(
      ApiRequest request, String namespace, String pod, int port, InetSocketAddress local) {
    checkOpen();
    String target = namespace + "/" + pod + " port " + port;
    RealPortForwarder[] self = new RealPortForwarder[1];
    try {
      RealPortForwarder f =
          RealPortForwarder.start(
              namespace,
              pod,
              port,
              local,
              sink -> socket(request, target, port, sink),
              forwarderThreads,
              () -> open.remove(self[0]));
      self[0] = f;
      open.add(f);
      if (closed) {
        f.close();
      }
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen on "
              + local.getAddress().getHostAddress()
              + ":"
              + local.getPort()
              + " to forward to "
              + target
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private ForwardSocket socket(ApiRequest request, String target, int port, PodSink sink) {
    Request upgrade = executor.toHttp(request, new RequestSent());
    return ForwardSocket.open(webSockets, upgrade, request, target, port, sink);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the client is closed");
    }
  }

  /** Closes every forwarder and connection and stops the threads. */
  @Override
  public void close() {
    closed = true;
    for (AutoCloseable c : Set.copyOf(open)) {
      if (c instanceof RealPortForwardConnection connection) {
        connection.cancel();
      } else if (c instanceof RealPortForwarder forwarder) {
        forwarder.close();
      }
    }
    open.clear();
    forwarderThreads.shutdownNow();
    dispatcherThreads.shutdownNow();
  }
}
