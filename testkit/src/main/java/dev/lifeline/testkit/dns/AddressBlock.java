package dev.lifeline.testkit.dns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A block of loopback addresses, {@code 127.N.0.0/16} with N from 53 to 62, held by one harness at
 * a time through a lock file, so that concurrent test JVMs (and their iptables rules) never meet.
 * Within the block: {@code .0.10} is the Service IP, {@code .1.1} onwards the pods (never reused),
 * {@code .252.1} the load balancer, {@code .253.1} the node, {@code .254.x} addresses behind
 * relays, {@code .255.x} the broken upstream.
 */
final class AddressBlock implements AutoCloseable {
  static final int FIRST = 53;
  static final int COUNT = 10;

  private final int octet;
  private final FileChannel channel;
  private final FileLock lock;
  private int nextPod = 1;
  private int nextBacking = 1;

  private AddressBlock(int octet, FileChannel channel, FileLock lock) {
    this.octet = octet;
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the first free block. */
  static AddressBlock acquire() {
    for (int i = 0; i < COUNT; i++) {
      int octet = FIRST + i;
      Path file =
          Path.of(System.getProperty("java.io.tmpdir"), "lifeline-dns-harness-" + octet + ".lock");
      FileChannel ch = null;
      try {
        ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = ch.tryLock();
        if (lock != null) {
          return new AddressBlock(octet, ch, lock);
        }
        ch.close();
      } catch (OverlappingFileLockException e) {
        close(ch); // held by this JVM
      } catch (IOException e) {
        close(ch);
        throw new UncheckedIOException("cannot lock " + file, e);
      }
    }
    throw new IllegalStateException(
        "all " + COUNT + " DNS harness address blocks (127.53-62.0.0/16) are in use");
  }

  private static void close(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // nothing to do
      }
    }
  }

  /** The block's second octet (53 to 62). */
  int octet() {
    return octet;
  }

  /** {@code 127.N.0.0/16}. */
  String cidr() {
    return "127." + octet + ".0.0/16";
  }

  InetAddress serviceIp() {
    return address(0, 10);
  }

  InetAddress nextPodIp() {
    int n = nextPod++;
    if (n > 250 * 250) {
      throw new IllegalStateException("out of pod addresses");
    }
    return address(1 + (n - 1) / 250, 1 + (n - 1) % 250);
  }

  InetAddress nextBackingIp() {
    int n = nextBacking++;
    if (n > 250) {
      throw new IllegalStateException("out of relay backing addresses");
    }
    return address(254, n);
  }

  InetAddress nodeIp() {
    return address(253, 1);
  }

  InetAddress loadBalancerIp() {
    return address(252, 1);
  }

  InetAddress upstreamIp(int n) {
    return address(255, n);
  }

  private InetAddress address(int third, int fourth) {
    try {
      return InetAddress.getByAddress(new byte[] {127, (byte) octet, (byte) third, (byte) fourth});
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // the lock goes with the process anyway
    }
  }
}
