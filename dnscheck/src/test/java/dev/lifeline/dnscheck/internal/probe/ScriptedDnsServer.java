package dev.lifeline.dnscheck.internal.probe;

import dev.lifeline.dnscheck.Transport;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A DNS server on 127.0.0.1 (UDP and TCP on one port) whose every reply is scripted, for the
 * prober's edge cases that real servers don't produce on demand: wrong IDs, wrong questions, the TC
 * bit, silence, a closed connection.
 */
final class ScriptedDnsServer implements AutoCloseable {

  /** Decides the reply datagrams (zero or more) to one query. */
  @FunctionalInterface
  interface Script {
    List<byte[]> reply(Message query, Transport transport, int queryNumber) throws IOException;
  }

  private final DatagramSocket udp;
  private final ServerSocket tcp;
  private final List<Thread> threads = new ArrayList<>();
  private final List<Socket> connections = new CopyOnWriteArrayList<>();
  private final AtomicInteger udpQueries = new AtomicInteger();
  private final AtomicInteger tcpQueries = new AtomicInteger();
  private final AtomicInteger queries = new AtomicInteger();
  private volatile Script script;

  ScriptedDnsServer(Script script) throws IOException {
    this.script = script;
    InetAddress lo = InetAddress.getLoopbackAddress();
    DatagramSocket u = null;
    ServerSocket t = null;
    for (int i = 0; i < 20 && t == null; i++) {
      u = new DatagramSocket(new InetSocketAddress(lo, 0));
      try {
        t = new ServerSocket(u.getLocalPort(), 50, lo);
      } catch (BindException e) {
        u.close();
      }
    }
    if (t == null) {
      throw new IOException("no port free for both UDP and TCP");
    }
    this.udp = u;
    this.tcp = t;
    threads.add(Thread.ofPlatform().daemon().name("scripted-dns-udp").start(this::serveUdp));
    threads.add(Thread.ofPlatform().daemon().name("scripted-dns-tcp").start(this::serveTcp));
  }

  InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), udp.getLocalPort());
  }

  void script(Script script) {
    this.script = script;
  }

  int udpQueries() {
    return udpQueries.get();
  }

  int tcpQueries() {
    return tcpQueries.get();
  }

  /** A well-formed answer to the query with the given A records. */
  static byte[] answer(Message query, String... addresses) throws IOException {
    Message r = response(query, Rcode.NOERROR);
    Record q = query.getQuestion();
    for (String a : addresses) {
      r.addRecord(
          new ARecord(q.getName(), DClass.IN, 30, InetAddress.getByName(a)), Section.ANSWER);
    }
    return r.toWire();
  }

  /** A response with the query's ID and question and the given rcode. */
  static Message response(Message query, int rcode) {
    Message r = new Message(query.getHeader().getID());
    r.getHeader().setFlag(Flags.QR);
    r.getHeader().setFlag(Flags.AA);
    r.getHeader().setRcode(rcode);
    r.addRecord(query.getQuestion(), Section.QUESTION);
    return r;
  }

  /** The same bytes with another message ID. */
  static byte[] withId(byte[] wire, int id) {
    byte[] copy = wire.clone();
    copy[0] = (byte) (id >> 8);
    copy[1] = (byte) id;
    return copy;
  }

  /** A response whose question is another name. */
  static byte[] otherQuestion(Message query) throws IOException {
    Message r = new Message(query.getHeader().getID());
    r.getHeader().setFlag(Flags.QR);
    r.addRecord(
        Record.newRecord(Name.fromString("other.example."), Type.A, DClass.IN), Section.QUESTION);
    return r.toWire();
  }

  private void serveUdp() {
    byte[] buf = new byte[65_535];
    while (!udp.isClosed()) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        udp.receive(p);
        udpQueries.incrementAndGet();
        Message q = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
        for (byte[] out : script.reply(q, Transport.UDP, queries.incrementAndGet())) {
          udp.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
        }
      } catch (SocketException e) {
        return; // closed
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private void serveTcp() {
    while (!tcp.isClosed()) {
      try {
        Socket s = tcp.accept();
        connections.add(s);
        Thread.ofVirtual().start(() -> serveConnection(s));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serveConnection(Socket s) {
    try (s) {
      DataInputStream in = new DataInputStream(s.getInputStream());
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      byte[] q = new byte[in.readUnsignedShort()];
      in.readFully(q);
      tcpQueries.incrementAndGet();
      List<byte[]> replies = script.reply(new Message(q), Transport.TCP, queries.incrementAndGet());
      for (byte[] r : replies) {
        out.writeShort(r.length);
        out.write(r);
      }
      out.flush();
      if (replies.isEmpty()) {
        // Stay silent until the client gives up (or we close).
        in.read();
      }
    } catch (IOException e) {
      // The client went away or we closed: nothing to do.
    } finally {
      connections.remove(s);
    }
  }

  @Override
  public void close() throws IOException {
    udp.close();
    tcp.close();
    for (Socket s : connections) {
      s.close();
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
