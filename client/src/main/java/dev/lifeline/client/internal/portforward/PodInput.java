package dev.lifeline.client.internal.portforward;

import dev.lifeline.client.PortForwardException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;

/**
 * The bytes from the pod for {@link dev.lifeline.client.PortForwardConnection#input()}: a buffer of
 * at most 256 KiB between the WebSocket's reader thread (which waits when it is full, holding back
 * the pod) and the reading thread.
 */
final class PodInput extends InputStream implements PodSink {
  private static final int LIMIT = 256 * 1024;

  private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
  private int headOffset;
  private int buffered;
  private boolean ended;
  private boolean closed;
  private PortForwardException failure;

  @Override
  public synchronized void data(byte[] bytes, int offset, int length) throws IOException {
    while (buffered >= LIMIT && !closed) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while buffering bytes from the pod");
      }
    }
    if (closed) {
      throw new IOException("the port-forward input is closed");
    }
    byte[] copy = new byte[length];
    System.arraycopy(bytes, offset, copy, 0, length);
    chunks.add(copy);
    buffered += length;
    notifyAll();
  }

  @Override
  public synchronized void ended(PortForwardException failure) {
    this.ended = true;
    this.failure = failure;
    notifyAll();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public synchronized int read(byte[] b, int off, int len) throws IOException {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    while (buffered == 0 && !ended && !closed) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while reading from the pod");
      }
    }
    if (closed) {
      throw new IOException("the port-forward input is closed");
    }
    if (buffered == 0) {
      if (failure != null) {
        throw new PortForwardException(failure.getMessage(), failure);
      }
      return -1;
    }
    int n = 0;
    while (n < len && !chunks.isEmpty()) {
      byte[] head = chunks.peek();
      int take = Math.min(len - n, head.length - headOffset);
      System.arraycopy(head, headOffset, b, off + n, take);
      n += take;
      headOffset += take;
      if (headOffset == head.length) {
        chunks.poll();
        headOffset = 0;
      }
    }
    buffered -= n;
    notifyAll();
    return n;
  }

  @Override
  public synchronized int available() {
    return buffered;
  }

  @Override
  public synchronized void close() {
    closed = true;
    chunks.clear();
    buffered = 0;
    notifyAll();
  }
}
