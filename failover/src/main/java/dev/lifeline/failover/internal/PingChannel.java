package dev.lifeline.failover.internal;

import java.io.IOException;

/** An open HTTP/2 connection used only to PING one endpoint. */
interface PingChannel {

  /** What the channel's reader reports; called on its reader thread. */
  interface Listener {
    /** The server acknowledged the PING {@code id}. */
    void pingAcked(long id);

    /** The server sent GOAWAY: it closes this connection (idle timeout or shutdown). */
    void goAway(long errorCode);

    /** The connection ended without us closing it; {@code cause} is null for a clean EOF. */
    void closed(IOException cause);
  }

  /** The TCP connect time of this channel, in nanos. */
  long connectNanos();

  /** Sends a PING whose opaque data is {@code id}. May block briefly on a full send buffer. */
  void ping(long id) throws IOException;

  /**
   * Whether bytes from the server have arrived that the reader has not handled yet: in the kernel's
   * receive buffer, decrypted and buffered, or a frame being read. When the process was starved of
   * CPU an answer can sit there while its deadline runs; a missing answer is only missing when this
   * is false. Never blocks.
   */
  boolean hasUnreadInput();

  /** Closes the connection; the listener hears nothing more. Idempotent. */
  void close();
}
