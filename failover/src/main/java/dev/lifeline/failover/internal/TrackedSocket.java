package dev.lifeline.failover.internal;

import dev.lifeline.failover.Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A socket whose {@code connect()} lets the {@link Dialer} choose where to connect, and which
 * reports its traffic so that the engine can evict or drain it.
 *
 * <p>It delegates every operation to the plain socket of the successful attempt (a failed connect
 * closes a JDK socket, so each attempt needs its own). Options set before {@code connect()} are
 * remembered and applied to every attempt. Clients layer TLS over it as over any socket: OkHttp
 * does so with the URL's host, which is why TLS is verified against the URL and never against the
 * endpoint reached.
 *
 * <p>Reads and writes keep an activity sequence: a write after the last read is "unanswered". The
 * engine uses it to spot stalls (a write unanswered for too long triggers a probe) and quiet
 * moments (no unanswered write, no bytes for a while: a draining connection can close). A small
 * write right after a read is a reaction (an HTTP/2 SETTINGS, PING or WINDOW_UPDATE
 * acknowledgement, which no answer follows), not a request: it does not count as unanswered.
 */
final class TrackedSocket extends Socket implements Dialer.Attempts {

  /** Where a tracked socket reports to. */
  interface Reporter {
    void opened(TrackedSocket socket);

    void closed(TrackedSocket socket);

    void failed(TrackedSocket socket, IOException cause);
  }

  /**
   * A TLS record carrying one HTTP/2 control frame is 31 to 40 bytes; requests are bigger or later.
   */
  private static final int REACTION_MAX_BYTES = 48;

  /** Clients write acknowledgements from a writer thread: allow for a busy machine. */
  private static final long REACTION_WINDOW_NANOS = 50_000_000;

  private final Dialer dialer;
  private final Reporter reporter;
  private final java.util.function.LongSupplier clock;
  private final Map<SocketOption<?>, Object> options = new LinkedHashMap<>();
  private final AtomicLong activity = new AtomicLong();
  private final Object lock = new Object();

  private Integer soTimeout;
  private Boolean oobInline;
  private SocketAddress bindpoint;
  private int[] performancePreferences;

  private volatile Socket delegate;
  private volatile Socket attempt;
  private volatile Endpoint endpoint;
  private volatile boolean viaSeed;
  private volatile boolean closed;
  private volatile boolean closedByEngine;
  private volatile long lastReadSequence;
  private volatile long lastWriteSequence;
  private volatile long lastReadNanos;
  private volatile long lastWriteNanos;
  private volatile long reportedStallSequence;
  private volatile long unansweredSinceNanos;
  private InputStream in;
  private OutputStream out;

  TrackedSocket(Dialer dialer, Reporter reporter, java.util.function.LongSupplier clock) {
    this.dialer = dialer;
    this.reporter = reporter;
    this.clock = clock;
  }

  /**
   * The endpoint this socket reached, or null (not connected, or not the server); the seed address
   * when it went through the seed (see {@link #viaSeed()}).
   */
  Endpoint endpoint() {
    return endpoint;
  }

  /** Whether this socket went through the seed address, and may lead to any apiserver. */
  boolean viaSeed() {
    return viaSeed;
  }

  /** Whether a write happened after the last read. */
  boolean hasUnansweredWrite() {
    return lastWriteSequence > lastReadSequence;
  }

  /** Nanos of the oldest write not answered yet (meaningful when {@link #hasUnansweredWrite()}). */
  long unansweredSinceNanos() {
    return unansweredSinceNanos;
  }

  /** Nanos of the last read or write (or of the connect). */
  long lastActivityNanos() {
    return Math.max(lastReadNanos, lastWriteNanos);
  }

  long lastWriteNanos() {
    return lastWriteNanos;
  }

  /** Returns true once per unanswered write older than {@code thresholdNanos}. */
  boolean takeStall(long now, long thresholdNanos) {
    long write = lastWriteSequence;
    if (write > lastReadSequence
        && now - lastWriteNanos >= thresholdNanos
        && reportedStallSequence != write) {
      reportedStallSequence = write;
      return true;
    }
    return false;
  }

  /** Closes the socket on the engine's behalf (eviction or drain); its failures are not signals. */
  void closeByEngine() {
    closedByEngine = true;
    try {
      close();
    } catch (IOException ignored) {
      // Closing a plain socket only fails if it is already broken; either way it is gone.
    }
  }

  @Override
  public void prepare(Socket attemptSocket) throws IOException {
    synchronized (lock) {
      if (closed) {
        throw new SocketException("Socket is closed");
      }
      attempt = attemptSocket;
      for (Map.Entry<SocketOption<?>, Object> option : options.entrySet()) {
        setOn(attemptSocket, option.getKey(), option.getValue());
      }
      if (soTimeout != null) {
        attemptSocket.setSoTimeout(soTimeout);
      }
      if (oobInline != null) {
        attemptSocket.setOOBInline(oobInline);
      }
      if (performancePreferences != null) {
        attemptSocket.setPerformancePreferences(
            performancePreferences[0], performancePreferences[1], performancePreferences[2]);
      }
      if (bindpoint != null) {
        attemptSocket.bind(bindpoint);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> void setOn(Socket socket, SocketOption<T> option, Object value)
      throws IOException {
    socket.setOption(option, (T) value);
  }

  @Override
  public void connect(SocketAddress address) throws IOException {
    connect(address, 0);
  }

  @Override
  public void connect(SocketAddress address, int timeout) throws IOException {
    if (!(address instanceof InetSocketAddress target)) {
      throw new IllegalArgumentException("unsupported address type: " + address);
    }
    if (timeout < 0) {
      throw new IllegalArgumentException("connect timeout must not be negative, was " + timeout);
    }
    if (closed) {
      throw new SocketException("Socket is closed");
    }
    if (delegate != null) {
      throw new SocketException("already connected");
    }
    Dialer.Dialed dialed = dialer.dial(target, timeout, this);
    synchronized (lock) {
      attempt = null;
      if (closed) {
        dialed.socket().close();
        throw new SocketException("Socket is closed");
      }
      delegate = dialed.socket();
      endpoint = dialed.endpoint();
      viaSeed = dialed.viaSeed();
      long now = clock.getAsLong();
      lastReadNanos = now;
      lastWriteNanos = now;
    }
    if (endpoint != null) {
      reporter.opened(this);
    }
  }

  @Override
  public void bind(SocketAddress local) throws IOException {
    synchronized (lock) {
      if (delegate != null) {
        delegate.bind(local);
      } else {
        bindpoint = local;
      }
    }
  }

  private Socket connected() throws SocketException {
    Socket socket = delegate;
    if (closed) {
      throw new SocketException("Socket is closed");
    }
    if (socket == null) {
      throw new SocketException("Socket is not connected");
    }
    return socket;
  }

  @Override
  public InputStream getInputStream() throws IOException {
    Socket socket = connected();
    synchronized (lock) {
      if (in == null) {
        in = new TrackedInput(socket.getInputStream());
      }
      return in;
    }
  }

  @Override
  public OutputStream getOutputStream() throws IOException {
    Socket socket = connected();
    synchronized (lock) {
      if (out == null) {
        out = new TrackedOutput(socket.getOutputStream());
      }
      return out;
    }
  }

  @Override
  public void close() throws IOException {
    Socket socket;
    Socket pendingAttempt;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      socket = delegate;
      pendingAttempt = attempt;
    }
    try {
      if (pendingAttempt != null) {
        pendingAttempt.close();
      }
      if (socket != null) {
        socket.close();
      }
    } finally {
      super.close();
      if (socket != null && endpoint != null) {
        reporter.closed(this);
      }
    }
  }

  private void onRead(int count) {
    if (count > 0) {
      lastReadNanos = clock.getAsLong();
      lastReadSequence = activity.incrementAndGet();
    }
  }

  private void onWrite(int bytes) {
    long now = clock.getAsLong();
    boolean reaction = bytes <= REACTION_MAX_BYTES && now - lastReadNanos <= REACTION_WINDOW_NANOS;
    lastWriteNanos = now;
    if (reaction && lastWriteSequence <= lastReadSequence) {
      return;
    }
    if (lastWriteSequence <= lastReadSequence) {
      unansweredSinceNanos = now;
    }
    lastWriteSequence = activity.incrementAndGet();
  }

  private void onFailure(IOException e) {
    if (!closed && !closedByEngine && endpoint != null) {
      reporter.failed(this, e);
    }
  }

  private final class TrackedInput extends InputStream {
    private final InputStream in;

    TrackedInput(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      try {
        int b = in.read();
        onRead(b < 0 ? 0 : 1);
        return b;
      } catch (IOException e) {
        onFailure(e);
        throw e;
      }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      try {
        int n = in.read(buffer, offset, length);
        onRead(n);
        return n;
      } catch (IOException e) {
        onFailure(e);
        throw e;
      }
    }

    @Override
    public int available() throws IOException {
      return in.available();
    }

    @Override
    public void close() throws IOException {
      TrackedSocket.this.close();
    }
  }

  private final class TrackedOutput extends OutputStream {
    private final OutputStream out;

    TrackedOutput(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      try {
        out.write(b);
        onWrite(1);
      } catch (IOException e) {
        onFailure(e);
        throw e;
      }
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws IOException {
      try {
        out.write(buffer, offset, length);
        if (length > 0) {
          onWrite(length);
        }
      } catch (IOException e) {
        onFailure(e);
        throw e;
      }
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      TrackedSocket.this.close();
    }
  }

  // Everything below delegates to the connected socket, or remembers the setting until connect.

  @Override
  public InetAddress getInetAddress() {
    Socket socket = delegate;
    return socket == null ? null : socket.getInetAddress();
  }

  @Override
  public InetAddress getLocalAddress() {
    Socket socket = delegate;
    return socket == null ? super.getLocalAddress() : socket.getLocalAddress();
  }

  @Override
  public int getPort() {
    Socket socket = delegate;
    return socket == null ? 0 : socket.getPort();
  }

  @Override
  public int getLocalPort() {
    Socket socket = delegate;
    return socket == null ? -1 : socket.getLocalPort();
  }

  @Override
  public SocketAddress getRemoteSocketAddress() {
    Socket socket = delegate;
    return socket == null ? null : socket.getRemoteSocketAddress();
  }

  @Override
  public SocketAddress getLocalSocketAddress() {
    Socket socket = delegate;
    return socket == null ? null : socket.getLocalSocketAddress();
  }

  @Override
  public SocketChannel getChannel() {
    return null;
  }

  private <T> void setOptionValue(SocketOption<T> option, T value) throws IOException {
    synchronized (lock) {
      if (closed) {
        throw new SocketException("Socket is closed");
      }
      if (delegate != null) {
        delegate.setOption(option, value);
      } else {
        options.put(option, value);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private <T> T optionValue(SocketOption<T> option, T unset) throws IOException {
    synchronized (lock) {
      if (closed) {
        throw new SocketException("Socket is closed");
      }
      if (delegate != null) {
        return delegate.getOption(option);
      }
      Object value = options.get(option);
      return value == null ? unset : (T) value;
    }
  }

  @Override
  public <T> Socket setOption(SocketOption<T> name, T value) throws IOException {
    setOptionValue(name, value);
    return this;
  }

  @Override
  public <T> T getOption(SocketOption<T> name) throws IOException {
    return optionValue(name, null);
  }

  @Override
  public Set<SocketOption<?>> supportedOptions() {
    Socket socket = delegate;
    return socket == null ? super.supportedOptions() : socket.supportedOptions();
  }

  @Override
  public void setTcpNoDelay(boolean on) throws SocketException {
    setQuietly(StandardSocketOptions.TCP_NODELAY, on);
  }

  @Override
  public boolean getTcpNoDelay() throws SocketException {
    return getQuietly(StandardSocketOptions.TCP_NODELAY, false);
  }

  @Override
  public void setSoLinger(boolean on, int linger) throws SocketException {
    if (on && linger < 0) {
      throw new IllegalArgumentException("invalid value for SO_LINGER: " + linger);
    }
    setQuietly(StandardSocketOptions.SO_LINGER, on ? Math.min(linger, 65_535) : -1);
  }

  @Override
  public int getSoLinger() throws SocketException {
    return getQuietly(StandardSocketOptions.SO_LINGER, -1);
  }

  @Override
  public void sendUrgentData(int data) throws IOException {
    connected().sendUrgentData(data);
  }

  @Override
  public void setOOBInline(boolean on) throws SocketException {
    synchronized (lock) {
      if (delegate != null) {
        delegate.setOOBInline(on);
      } else {
        oobInline = on;
      }
    }
  }

  @Override
  public boolean getOOBInline() throws SocketException {
    synchronized (lock) {
      if (delegate != null) {
        return delegate.getOOBInline();
      }
      return oobInline != null && oobInline;
    }
  }

  @Override
  public void setSoTimeout(int timeout) throws SocketException {
    if (timeout < 0) {
      throw new IllegalArgumentException("timeout must not be negative, was " + timeout);
    }
    synchronized (lock) {
      if (closed) {
        throw new SocketException("Socket is closed");
      }
      if (delegate != null) {
        delegate.setSoTimeout(timeout);
      }
      soTimeout = timeout;
    }
  }

  @Override
  public int getSoTimeout() throws SocketException {
    synchronized (lock) {
      if (delegate != null) {
        return delegate.getSoTimeout();
      }
      return soTimeout == null ? 0 : soTimeout;
    }
  }

  @Override
  public void setSendBufferSize(int size) throws SocketException {
    if (size <= 0) {
      throw new IllegalArgumentException("send buffer size must be positive, was " + size);
    }
    setQuietly(StandardSocketOptions.SO_SNDBUF, size);
  }

  @Override
  public int getSendBufferSize() throws SocketException {
    return getQuietly(StandardSocketOptions.SO_SNDBUF, 0);
  }

  @Override
  public void setReceiveBufferSize(int size) throws SocketException {
    if (size <= 0) {
      throw new IllegalArgumentException("receive buffer size must be positive, was " + size);
    }
    setQuietly(StandardSocketOptions.SO_RCVBUF, size);
  }

  @Override
  public int getReceiveBufferSize() throws SocketException {
    return getQuietly(StandardSocketOptions.SO_RCVBUF, 0);
  }

  @Override
  public void setKeepAlive(boolean on) throws SocketException {
    setQuietly(StandardSocketOptions.SO_KEEPALIVE, on);
  }

  @Override
  public boolean getKeepAlive() throws SocketException {
    return getQuietly(StandardSocketOptions.SO_KEEPALIVE, false);
  }

  @Override
  public void setTrafficClass(int tc) throws SocketException {
    setQuietly(StandardSocketOptions.IP_TOS, tc);
  }

  @Override
  public int getTrafficClass() throws SocketException {
    return getQuietly(StandardSocketOptions.IP_TOS, 0);
  }

  @Override
  public void setReuseAddress(boolean on) throws SocketException {
    setQuietly(StandardSocketOptions.SO_REUSEADDR, on);
  }

  @Override
  public boolean getReuseAddress() throws SocketException {
    return getQuietly(StandardSocketOptions.SO_REUSEADDR, false);
  }

  @Override
  public void setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
    synchronized (lock) {
      performancePreferences = new int[] {connectionTime, latency, bandwidth};
    }
  }

  @Override
  public void shutdownInput() throws IOException {
    connected().shutdownInput();
  }

  @Override
  public void shutdownOutput() throws IOException {
    connected().shutdownOutput();
  }

  @Override
  public boolean isConnected() {
    Socket socket = delegate;
    return socket != null && socket.isConnected();
  }

  @Override
  public boolean isBound() {
    Socket socket = delegate;
    return socket != null ? socket.isBound() : bindpoint != null;
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public boolean isInputShutdown() {
    Socket socket = delegate;
    return socket != null && socket.isInputShutdown();
  }

  @Override
  public boolean isOutputShutdown() {
    Socket socket = delegate;
    return socket != null && socket.isOutputShutdown();
  }

  @Override
  public String toString() {
    Socket socket = delegate;
    Endpoint reached = endpoint;
    if (socket == null) {
      return "TrackedSocket[unconnected" + (closed ? ", closed" : "") + "]";
    }
    return "TrackedSocket["
        + (reached == null ? "untracked" : (viaSeed ? "seed=" : "endpoint=") + reached)
        + ", "
        + socket
        + (closed ? ", closed" : "")
        + "]";
  }

  private <T> void setQuietly(SocketOption<T> option, T value) throws SocketException {
    try {
      setOptionValue(option, value);
    } catch (SocketException e) {
      throw e;
    } catch (IOException e) {
      SocketException wrapped = new SocketException(e.getMessage());
      wrapped.initCause(e);
      throw wrapped;
    }
  }

  private <T> T getQuietly(SocketOption<T> option, T unset) throws SocketException {
    try {
      return optionValue(option, unset);
    } catch (SocketException e) {
      throw e;
    } catch (IOException e) {
      SocketException wrapped = new SocketException(e.getMessage());
      wrapped.initCause(e);
      throw wrapped;
    }
  }
}
