package dev.lifeline.client.internal.watch;

import java.io.Closeable;
import java.io.IOException;

/**
 * An open watch. {@link #next()} is called from one thread; {@link #close()} from any, to stop it.
 */
public interface WatchStream<T> extends Closeable {
  /**
   * The next event, blocking until one arrives.
   *
   * @return the event, or null when the server ended the stream cleanly
   * @throws IOException when the connection failed or the stream was closed
   */
  WatchEvent<T> next() throws IOException;

  /** Stops the stream, waking a blocked {@link #next()}. Idempotent. */
  @Override
  void close();
}
