package dev.lifeline.dnscheck.internal.probe;

import java.io.IOException;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/** A probe over UDP: one connected datagram socket per attempt. */
final class UdpProbeTask extends ProbeTask {
  private static final System.Logger LOG = System.getLogger(UdpProbeTask.class.getName());

  /** Large enough for any UDP DNS message, EDNS included. */
  private static final int MAX_DATAGRAM = 65_535;

  private DatagramChannel channel;
  private ByteBuffer buffer;

  UdpProbeTask(ProbeRequest request, CompletableFuture<ProbeResult> future, DnsProber prober) {
    super(request, future, prober);
  }

  @Override
  void send(byte[] query) throws IOException {
    // Connected, so the kernel drops datagrams from other sources and reports ICMP port
    // unreachable to us as PortUnreachableException.
    channel = DatagramChannel.open();
    channel.configureBlocking(false);
    channel.connect(request.server());
    register(channel, SelectionKey.OP_READ);
    int written = channel.write(ByteBuffer.wrap(query));
    if (written != query.length) {
      throw new IOException("the socket's send buffer is full");
    }
  }

  @Override
  void onReady(SelectionKey key) {
    if (buffer == null) {
      buffer = ByteBuffer.allocate(MAX_DATAGRAM);
    }
    try {
      while (true) {
        buffer.clear();
        int n = channel.read(buffer);
        if (n <= 0) {
          return;
        }
        if (onReply(Arrays.copyOf(buffer.array(), n))) {
          return;
        }
      }
    } catch (PortUnreachableException e) {
      attemptFailed(Outcome.UNREACHABLE, "ICMP port unreachable: nothing listens on UDP " + port());
    } catch (IOException e) {
      attemptFailed(Outcome.NETWORK_ERROR, "receiving failed: " + describe(e));
    }
  }

  private String port() {
    return request.server().getAddress().getHostAddress() + ":" + request.server().getPort();
  }

  @Override
  void closeSocket() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        LOG.log(System.Logger.Level.DEBUG, "closing a UDP probe socket failed", e);
      }
      channel = null;
    }
  }
}
