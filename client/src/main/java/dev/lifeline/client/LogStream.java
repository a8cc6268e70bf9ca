package dev.lifeline.client;

import java.io.Closeable;
import java.io.IOException;

/**
 * A followed pod log: lines as the container writes them. Not thread-safe, except {@link #close()},
 * which may be called from any thread to stop a blocked {@link #readLine()}.
 */
public interface LogStream extends Closeable {
  /**
   * The next line without its line terminator, blocking until one is written.
   *
   * @return the line, or null when the log ended (container exited or stream closed)
   * @throws IOException when the connection failed
   */
  String readLine() throws IOException;

  /** Stops following and releases the connection. */
  @Override
  void close();
}
