package dev.lifeline.testkit.dns;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A minimal blocking DNS client for A queries, so the harness can tell when a server serves what it
 * was given without depending on a DNS library. Not a resolver: one query, one reply.
 */
public final class MiniDnsClient {
  private MiniDnsClient() {}

  /**
   * A reply.
   *
   * @param rcode the response code (0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN, 5 REFUSED)
   * @param addresses the A records' addresses
   */
  public record Reply(int rcode, List<String> addresses) {}

  /** Asks {@code server} over UDP for the A records of {@code name}; null if no reply in time. */
  public static Reply queryUdp(InetSocketAddress server, String name, Duration timeout)
      throws IOException {
    int id = ThreadLocalRandom.current().nextInt(0x10000);
    byte[] q = query(id, name);
    try (DatagramSocket s = new DatagramSocket()) {
      s.setSoTimeout((int) Math.max(1, timeout.toMillis()));
      s.send(new DatagramPacket(q, q.length, server));
      byte[] buf = new byte[4096];
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
          s.receive(p);
        } catch (SocketTimeoutException e) {
          return null;
        }
        Reply r = parse(buf, p.getLength(), id);
        if (r != null) {
          return r;
        }
      }
      return null;
    }
  }

  /** Asks {@code server} over TCP; null if no reply in time. */
  public static Reply queryTcp(InetSocketAddress server, String name, Duration timeout)
      throws IOException {
    int id = ThreadLocalRandom.current().nextInt(0x10000);
    byte[] q = query(id, name);
    try (Socket s = new Socket()) {
      s.connect(server, (int) Math.max(1, timeout.toMillis()));
      s.setSoTimeout((int) Math.max(1, timeout.toMillis()));
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeShort(q.length);
      out.write(q);
      out.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      byte[] r = new byte[in.readUnsignedShort()];
      in.readFully(r);
      return parse(r, r.length, id);
    } catch (SocketTimeoutException e) {
      return null;
    }
  }

  static byte[] query(int id, String name) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(id >> 8);
    b.write(id);
    b.write(0x01); // RD
    b.write(0x00);
    b.writeBytes(new byte[] {0, 1, 0, 0, 0, 0, 0, 0}); // QD=1
    for (String label : name.split("\\.")) {
      if (label.isEmpty()) {
        continue;
      }
      b.write(label.length());
      b.writeBytes(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
    b.write(0);
    b.writeBytes(new byte[] {0, 1, 0, 1}); // A, IN
    return b.toByteArray();
  }

  /** Parses a reply with the given ID; null if it is another ID or not a response. */
  static Reply parse(byte[] m, int len, int id) {
    if (len < 12 || (((m[0] & 0xff) << 8) | (m[1] & 0xff)) != id || (m[2] & 0x80) == 0) {
      return null;
    }
    int rcode = m[3] & 0x0f;
    int qd = u16(m, 4);
    int an = u16(m, 6);
    int pos = 12;
    for (int i = 0; i < qd; i++) {
      pos = skipName(m, pos) + 4;
    }
    List<String> addresses = new ArrayList<>();
    for (int i = 0; i < an && pos < len; i++) {
      pos = skipName(m, pos);
      int type = u16(m, pos);
      int rdlen = u16(m, pos + 8);
      int rdata = pos + 10;
      if (type == 1 && rdlen == 4) {
        try {
          addresses.add(
              InetAddress.getByAddress(java.util.Arrays.copyOfRange(m, rdata, rdata + 4))
                  .getHostAddress());
        } catch (java.net.UnknownHostException e) {
          throw new AssertionError(e);
        }
      }
      pos = rdata + rdlen;
    }
    return new Reply(rcode, addresses);
  }

  private static int skipName(byte[] m, int pos) {
    while (true) {
      int len = m[pos] & 0xff;
      if (len == 0) {
        return pos + 1;
      }
      if ((len & 0xc0) == 0xc0) {
        return pos + 2;
      }
      pos += len + 1;
    }
  }

  private static int u16(byte[] m, int pos) {
    return ((m[pos] & 0xff) << 8) | (m[pos + 1] & 0xff);
  }
}
