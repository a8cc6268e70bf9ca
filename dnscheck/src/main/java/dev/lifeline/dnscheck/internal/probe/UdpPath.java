package dev.lifeline.dnscheck.internal.probe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One connected datagram socket to one DNS server, shared by every UDP probe to it and kept while
 * it is in use: opening, connecting, registering and closing a socket per attempt cost more CPU
 * than the query itself. Replies are matched to probes by query ID. Connected, so the kernel drops
 * datagrams from other sources and reports ICMP port unreachable as {@link
 * PortUnreachableException}. Prober thread only.
 */
final class UdpPath {
  private static final System.Logger LOG = System.getLogger(UdpPath.class.getName());

  /**
   * How many IDs of ended attempts are remembered, so that a late reply to one (its attempt timed
   * out) is dropped as a socket per attempt would have, not taken for a wrong ID.
   */
  private static final int RETIRED_IDS = 64;

  private final InetSocketAddress server;
  private final DatagramChannel channel;
  private final Map<Integer, UdpProbeTask> waiting = new HashMap<>();
  private final ArrayDeque<Integer> retired = new ArrayDeque<>();
  private long lastUsedNanos;

  private UdpPath(InetSocketAddress server, DatagramChannel channel) {
    this.server = server;
    this.channel = channel;
  }

  static UdpPath open(InetSocketAddress server, DnsProber prober) throws IOException {
    DatagramChannel channel = DatagramChannel.open();
    try {
      channel.configureBlocking(false);
      channel.connect(server);
      UdpPath path = new UdpPath(server, channel);
      channel.register(prober.selector(), SelectionKey.OP_READ, path);
      return path;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  InetSocketAddress server() {
    return server;
  }

  /** Whether {@code id} is waited for or was recently. */
  boolean isTaken(int id) {
    return waiting.containsKey(id) || retired.contains(id);
  }

  /** Sends {@code query} (whose ID is {@code id}) for {@code task}. */
  void send(int id, byte[] query, UdpProbeTask task, long now) throws IOException {
    waiting.put(id, task);
    lastUsedNanos = now;
    int written = channel.write(ByteBuffer.wrap(query));
    if (written != query.length) {
      throw new IOException("the socket's send buffer is full");
    }
  }

  /** The attempt waiting for {@code id} ended. */
  void release(int id, UdpProbeTask task) {
    if (waiting.remove(id, task)) {
      retired.addLast(id);
      if (retired.size() > RETIRED_IDS) {
        retired.removeFirst();
      }
    }
  }

  boolean isIdleSince(long nanos) {
    return waiting.isEmpty() && lastUsedNanos - nanos <= 0;
  }

  /** Reads every datagram that arrived and hands each to the probe waiting for its ID. */
  void onReady(ByteBuffer buffer) {
    try {
      while (true) {
        buffer.clear();
        int n = channel.read(buffer);
        if (n <= 0) {
          return;
        }
        byte[] reply = new byte[n];
        buffer.flip().get(reply);
        int id = n >= 2 ? ((reply[0] & 0xff) << 8) | (reply[1] & 0xff) : -1;
        UdpProbeTask task = waiting.get(id);
        if (task != null) {
          task.onReply(reply);
        } else if (!retired.contains(id)) {
          // Not an answer to any query sent here: the server answers with wrong IDs.
          for (UdpProbeTask t : waiting.values()) {
            t.foreignIds.add(id);
          }
        }
      }
    } catch (PortUnreachableException e) {
      for (UdpProbeTask t : List.copyOf(waiting.values())) {
        t.attemptFailed(
            Outcome.UNREACHABLE, "ICMP port unreachable: nothing listens on UDP " + describe());
      }
    } catch (IOException e) {
      for (UdpProbeTask t : List.copyOf(waiting.values())) {
        t.attemptFailed(Outcome.NETWORK_ERROR, "receiving failed: " + ProbeTask.describe(e));
      }
    }
  }

  private String describe() {
    return server.getAddress().getHostAddress() + ":" + server.getPort();
  }

  void close() {
    try {
      channel.close();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "closing a UDP probe socket failed", e);
    }
  }
}
