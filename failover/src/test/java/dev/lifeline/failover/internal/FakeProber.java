package dev.lifeline.failover.internal;

import dev.lifeline.failover.Endpoint;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A scriptable prober: which endpoints answer, how, and what /readyz says. */
final class FakeProber implements Prober {

  /** How an endpoint behaves. */
  enum Mode {
    /** Answers everything. */
    UP,
    /** Accepts nothing and acknowledges no PING: connects time out. */
    BLACKHOLE,
    /** Refuses connections. */
    REFUSED,
    /** Speaks HTTP/1.1 only. */
    NO_HTTP2,
    /**
     * A hung or very busy server process on a live host: TCP connects succeed, TLS handshakes time
     * out, PINGs are held unanswered until {@link FakeChannel#answerHeld()}.
     */
    SILENT,
    /**
     * Answers that have not reached this process yet (in flight, or unread while it was stalled):
     * PINGs are held until {@link FakeChannel#answerHeld()}, TCP connects stay pending. Looks like
     * a blackhole to whoever judges before the answers arrive.
     */
    HELD
  }

  final Map<Endpoint, Mode> modes = new ConcurrentHashMap<>();
  final Map<Endpoint, Integer> readyz = new ConcurrentHashMap<>();
  final Map<Endpoint, List<FakeChannel>> channels = new ConcurrentHashMap<>();
  final List<String> calls = new CopyOnWriteArrayList<>();
  final List<FakeConnect> connects = new CopyOnWriteArrayList<>();

  Mode mode(Endpoint endpoint) {
    return modes.getOrDefault(endpoint, Mode.UP);
  }

  void set(Endpoint endpoint, Mode mode) {
    modes.put(endpoint, mode);
  }

  FakeChannel channel(Endpoint endpoint) {
    List<FakeChannel> opened = channels.getOrDefault(endpoint, List.of());
    return opened.isEmpty() ? null : opened.get(opened.size() - 1);
  }

  long count(String call) {
    return calls.stream().filter(call::equals).count();
  }

  private void fail(Endpoint endpoint) throws IOException {
    switch (mode(endpoint)) {
      case BLACKHOLE, HELD -> throw new SocketTimeoutException("Connect timed out");
      case REFUSED -> throw new ConnectException("Connection refused");
      case SILENT ->
          throw new HandshakeTimeoutException(
              "TLS handshake not finished within 1000 ms after a TCP connect of 0 ms");
      default -> {}
    }
  }

  @Override
  public ConnectCheck startConnect(Endpoint endpoint) {
    calls.add("connect " + endpoint);
    FakeConnect connect = new FakeConnect(endpoint);
    connects.add(connect);
    return connect;
  }

  /** A TCP connect whose outcome follows the endpoint's mode at the time it is asked. */
  final class FakeConnect implements ConnectCheck {
    final Endpoint endpoint;
    volatile boolean closed;

    FakeConnect(Endpoint endpoint) {
      this.endpoint = endpoint;
    }

    @Override
    public boolean isConnected() throws IOException {
      if (closed) {
        throw new IllegalStateException("asked after close");
      }
      return switch (mode(endpoint)) {
        case BLACKHOLE, HELD -> false;
        case REFUSED -> throw new ConnectException("Connection refused");
        default -> true;
      };
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @Override
  public PingChannel openPingChannel(Endpoint endpoint, PingChannel.Listener listener)
      throws IOException {
    calls.add("open " + endpoint);
    fail(endpoint);
    if (mode(endpoint) == Mode.NO_HTTP2) {
      throw new NoHttp2Exception(
          "the endpoint did not negotiate HTTP/2 (ALPN selected 'http/1.1')");
    }
    FakeChannel channel = new FakeChannel(endpoint, listener);
    channels.computeIfAbsent(endpoint, e -> new CopyOnWriteArrayList<>()).add(channel);
    return channel;
  }

  @Override
  public long handshake(Endpoint endpoint) throws IOException {
    calls.add("handshake " + endpoint);
    fail(endpoint);
    return 200_000;
  }

  @Override
  public Readyz readyz(Endpoint endpoint) throws IOException {
    calls.add("readyz " + endpoint);
    fail(endpoint);
    int status = readyz.getOrDefault(endpoint, 200);
    return new Readyz(status, status == 200 ? "ok" : "readyz check failed");
  }

  /** A PING channel that acknowledges at once while its endpoint is up. */
  final class FakeChannel implements PingChannel {
    final Endpoint endpoint;
    final PingChannel.Listener listener;
    final List<Long> pings = new CopyOnWriteArrayList<>();
    final List<Long> held = new CopyOnWriteArrayList<>();
    volatile boolean closed;
    volatile boolean unreadInput;

    FakeChannel(Endpoint endpoint, PingChannel.Listener listener) {
      this.endpoint = endpoint;
      this.listener = listener;
    }

    @Override
    public long connectNanos() {
      return 100_000;
    }

    @Override
    public void ping(long id) throws IOException {
      if (closed) {
        throw new IOException("closed");
      }
      pings.add(id);
      if (mode(endpoint) == Mode.UP) {
        listener.pingAcked(id);
      } else if (mode(endpoint) == Mode.SILENT || mode(endpoint) == Mode.HELD) {
        held.add(id);
      }
    }

    /** Answers the PINGs a silent endpoint held, late. */
    void answerHeld() {
      for (Long id : held) {
        listener.pingAcked(id);
      }
      held.clear();
    }

    @Override
    public boolean hasUnreadInput() {
      return unreadInput;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  static Set<Endpoint> none() {
    return Set.of();
  }
}
