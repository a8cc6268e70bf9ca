package dev.lifeline.client.internal.portforward;

import dev.lifeline.client.PortForwardException;
import dev.lifeline.client.PortForwarder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link PortForwarder}: a blocking accept loop on its own thread, and per accepted connection a
 * {@link ForwardSocket} whose bytes from the pod are written to the local socket on the WebSocket's
 * reader thread (so a slow local reader holds back the pod), and a thread that sends what the local
 * side writes. A local end of stream closes the forward (v4 cannot half-close); a failed forward
 * resets the local connection.
 */
final class RealPortForwarder implements PortForwarder {
  private static final System.Logger LOG = System.getLogger(RealPortForwarder.class.getName());
  private static final int BUFFER = 16 * 1024;

  /** Opens the WebSocket of one forwarded connection. */
  interface Opener {
    ForwardSocket open(PodSink sink);
  }

  private final String namespace;
  private final String pod;
  private final int port;
  private final Opener opener;
  private final ServerSocket server;
  private final ExecutorService threads;
  private final Runnable onClose;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private final AtomicLong forwarded = new AtomicLong();
  private final AtomicReference<IOException> lastFailure = new AtomicReference<>();
  private final CountDownLatch acceptEnded = new CountDownLatch(1);
  private volatile Thread acceptor;
  private volatile boolean closed;

  private RealPortForwarder(
      String namespace,
      String pod,
      int port,
      Opener opener,
      ServerSocket server,
      ExecutorService threads,
      Runnable onClose) {
    this.namespace = namespace;
    this.pod = pod;
    this.port = port;
    this.opener = opener;
    this.server = server;
    this.threads = threads;
    this.onClose = onClose;
  }

  /**
   * Binds and starts accepting.
   *
   * @throws IOException when the local address cannot be bound
   */
  static RealPortForwarder start(
      String namespace,
      String pod,
      int port,
      InetSocketAddress local,
      Opener opener,
      ExecutorService threads,
      Runnable onClose)
      throws IOException {
    ServerSocket server = new ServerSocket();
    try {
      server.bind(local, 64);
    } catch (IOException e) {
      server.close();
      throw e;
    }
    RealPortForwarder f =
        new RealPortForwarder(namespace, pod, port, opener, server, threads, onClose);
    threads.execute(f::acceptLoop);
    return f;
  }

  private void acceptLoop() {
    acceptor = Thread.currentThread();
    try {
      while (!closed) {
        Socket local;
        try {
          local = server.accept();
        } catch (IOException e) {
          if (!closed) {
            LOG.log(System.Logger.Level.WARNING, "port-forward listener " + this + " failed", e);
            close();
          }
          return;
        }
        forward(local);
      }
    } finally {
      acceptor = null;
      acceptEnded.countDown();
    }
  }

  private void forward(Socket local) {
    Link link = new Link(local);
    links.add(link);
    forwarded.incrementAndGet();
    try {
      local.setTcpNoDelay(true);
      link.start();
    } catch (IOException | RuntimeException e) {
      lastFailure.set(
          e instanceof IOException io
              ? io
              : new PortForwardException("port-forward to " + target() + " failed: " + e, e));
      link.reset();
    }
    if (closed) {
      link.reset();
    }
  }

  private String target() {
    return namespace + "/" + pod + " port " + port;
  }

  @Override
  public InetSocketAddress localAddress() {
    return (InetSocketAddress) server.getLocalSocketAddress();
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
  public boolean isOpen() {
    return !closed;
  }

  @Override
  public int activeConnections() {
    return links.size();
  }

  @Override
  public long forwardedConnections() {
    return forwarded.get();
  }

  @Override
  public Optional<IOException> lastFailure() {
    return Optional.ofNullable(lastFailure.get());
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "closing " + this, e);
    }
    // A thread blocked in accept() keeps the listening socket alive until it has returned: wait
    // for it, so that the port refuses connections once close() returns.
    if (Thread.currentThread() != acceptor) {
      try {
        if (!acceptEnded.await(5, TimeUnit.SECONDS)) {
          LOG.log(System.Logger.Level.WARNING, "the accept thread of " + this + " did not end");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (Link l : Set.copyOf(links)) {
      l.reset();
    }
    onClose.run();
  }

  @Override
  public String toString() {
    return "PortForwarder{" + localAddress() + " -> " + target() + "}";
  }

  /** One forwarded connection: the local socket and its WebSocket. */
  private final class Link implements PodSink {
    private final Socket local;
    private volatile ForwardSocket remote;
    private OutputStream toLocal;

    Link(Socket local) {
      this.local = local;
    }

    void start() throws IOException {
      toLocal = local.getOutputStream();
      remote = opener.open(this);
      threads.execute(this::pumpToPod);
    }

    private void pumpToPod() {
      byte[] buffer = new byte[BUFFER];
      try (InputStream in = local.getInputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          remote.send(buffer, 0, n);
        }
        remote.close();
      } catch (PortForwardException ended) {
        // The forward ended or failed; ended() has dealt with the local side.
      } catch (IOException localGone) {
        ForwardSocket r = remote;
        if (r != null) {
          r.cancel();
        }
      }
    }

    @Override
    public void data(byte[] bytes, int offset, int length) throws IOException {
      toLocal.write(bytes, offset, length);
    }

    @Override
    public void ended(PortForwardException failure) {
      links.remove(this);
      if (failure != null) {
        lastFailure.set(failure);
        LOG.log(System.Logger.Level.DEBUG, () -> failure.getMessage());
        resetLocal();
      } else {
        try {
          local.close();
        } catch (IOException e) {
          // closing anyway
        }
      }
    }

    /** Resets the local connection and drops the forward. */
    void reset() {
      links.remove(this);
      ForwardSocket r = remote;
      if (r != null) {
        r.cancel();
      }
      resetLocal();
    }

    private void resetLocal() {
      try {
        local.setSoLinger(true, 0);
      } catch (IOException e) {
        // already closed
      }
      try {
        local.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
