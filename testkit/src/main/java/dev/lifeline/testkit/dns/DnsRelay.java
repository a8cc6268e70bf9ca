package dev.lifeline.testkit.dns;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A user-space DNS relay over UDP and TCP on one address, forwarding each query (UDP) or connection
 * (TCP) to a backend chosen round robin, after an optional delay.
 *
 * <p>Two uses: the Service IP, where it plays kube-proxy's userspace mode (round robin over the
 * pods, each query from a fresh upstream socket so that a lost backend costs only that query); and
 * a slow pod, where it adds latency in front of one server. Latency is added here rather than with
 * {@code tc netem} because netem on the loopback device would slow every loopback packet of the
 * machine (other tests, other builds), and filtering it to one address pair needs qdisc surgery
 * that a crashed test would leave behind.
 */
public final class DnsRelay implements AutoCloseable {
  private final InetSocketAddress address;
  private final DatagramSocket udp;
  private final ServerSocket tcp;
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final Set<AutoCloseable> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger next = new AtomicInteger();
  private volatile List<InetSocketAddress> backends;
  private volatile Duration delay;
  private volatile boolean closed;

  private DnsRelay(InetSocketAddress address, List<InetSocketAddress> backends, Duration delay)
      throws IOException {
    this.address = address;
    this.backends = List.copyOf(backends);
    this.delay = delay;
    this.udp = new DatagramSocket(address);
    try {
      this.tcp = new ServerSocket();
      tcp.setReuseAddress(true);
      tcp.bind(address, 64);
    } catch (IOException e) {
      udp.close();
      throw e;
    }
    threads.add(
        Thread.ofPlatform().daemon().name("dns-relay-udp-" + address).start(this::serveUdp));
    threads.add(
        Thread.ofPlatform().daemon().name("dns-relay-tcp-" + address).start(this::serveTcp));
  }

  /**
   * Starts a relay.
   *
   * @param address where it listens (UDP and TCP)
   * @param backends the servers it forwards to, round robin (may be empty: queries are dropped)
   * @param delay added before each forward
   */
  public static DnsRelay start(
      InetSocketAddress address, List<InetSocketAddress> backends, Duration delay) {
    try {
      return new DnsRelay(address, backends, delay);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + address + ": " + e.getMessage(), e);
    }
  }

  public InetSocketAddress address() {
    return address;
  }

  /** Replaces the backends (pods came or went). */
  public void backends(List<InetSocketAddress> backends) {
    this.backends = List.copyOf(backends);
  }

  /** Changes the added delay. */
  public void delay(Duration delay) {
    this.delay = delay;
  }

  private InetSocketAddress pick() {
    List<InetSocketAddress> b = backends;
    return b.isEmpty() ? null : b.get(Math.floorMod(next.getAndIncrement(), b.size()));
  }

  private void pause() {
    long nanos = delay.toNanos();
    long until = System.nanoTime() + nanos;
    while (nanos > 0 && !closed) {
      LockSupport.parkNanos(nanos);
      nanos = until - System.nanoTime();
    }
  }

  private void serveUdp() {
    byte[] buf = new byte[65_535];
    while (!closed) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        udp.receive(p);
      } catch (IOException e) {
        return; // closed
      }
      byte[] query = java.util.Arrays.copyOf(p.getData(), p.getLength());
      InetSocketAddress client = (InetSocketAddress) p.getSocketAddress();
      Thread.ofVirtual().start(() -> forwardUdp(query, client));
    }
  }

  private void forwardUdp(byte[] query, InetSocketAddress client) {
    InetSocketAddress backend = pick();
    if (backend == null) {
      return;
    }
    pause();
    DatagramSocket up;
    try {
      up = new DatagramSocket();
    } catch (SocketException e) {
      return;
    }
    open.add(up);
    try {
      up.setSoTimeout(5000);
      up.send(new DatagramPacket(query, query.length, backend));
      byte[] buf = new byte[65_535];
      DatagramPacket reply = new DatagramPacket(buf, buf.length);
      up.receive(reply);
      udp.send(new DatagramPacket(buf, reply.getLength(), client));
    } catch (SocketTimeoutException e) {
      // lost on the way: the client times out, as with kube-proxy
    } catch (IOException e) {
      // the backend's port is closed, or we are closing: the same
    } finally {
      up.close();
      open.remove(up);
    }
  }

  private void serveTcp() {
    while (!closed) {
      Socket client;
      try {
        client = tcp.accept();
      } catch (IOException e) {
        return; // closed
      }
      Thread.ofVirtual().start(() -> forwardTcp(client));
    }
  }

  private void forwardTcp(Socket client) {
    InetSocketAddress backend = pick();
    try (client;
        Socket up = new Socket()) {
      open.add(client);
      open.add(up);
      if (backend == null) {
        return;
      }
      pause();
      up.connect(backend, 5000);
      Thread back = Thread.ofVirtual().start(() -> pipe(up, client));
      pipe(client, up);
      back.join(5000);
    } catch (IOException e) {
      // the backend refused or went away: close the client's connection, as kube-proxy does
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      open.remove(client);
    }
  }

  private static void pipe(Socket from, Socket to) {
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      byte[] buf = new byte[16_384];
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        out.flush();
      }
      to.shutdownOutput();
    } catch (IOException e) {
      // one side closed
    }
  }

  @Override
  public void close() {
    closed = true;
    udp.close();
    try {
      tcp.close();
    } catch (IOException e) {
      // closing anyway
    }
    for (AutoCloseable c : open) {
      try {
        c.close();
      } catch (Exception e) {
        // closing anyway
      }
    }
    for (Thread t : threads) {
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
