package dev.lifeline.cli.internal.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;

/**
 * Sends what the libraries log (the client, the engine, the testkit through {@code System.Logger};
 * OkHttp and Netty through {@code java.util.logging}) to a file instead of the terminal, so that
 * the demo's output is only its timeline and summary. {@link #close()} puts the previous handlers
 * back.
 *
 * <p>Not thread-safe: install and close from one thread.
 */
public final class LibraryLogs implements AutoCloseable {
  private final Logger root = LogManager.getLogManager().getLogger("");
  private final List<Handler> previous;
  private final Level previousLevel;
  private final Handler file;

  private LibraryLogs(Path path, Level level) throws IOException {
    OutputStream stream = Files.newOutputStream(path);
    this.file =
        new StreamHandler(stream, new SimpleFormatter()) {
          @Override
          public synchronized void publish(java.util.logging.LogRecord record) {
            super.publish(record);
            flush();
          }
        };
    file.setLevel(level);
    this.previous = List.of(root.getHandlers());
    this.previousLevel = root.getLevel();
    for (Handler h : previous) {
      root.removeHandler(h);
    }
    root.addHandler(file);
    root.setLevel(level);
  }

  /**
   * Routes library logs to {@code path} (created or truncated), at INFO, or FINE for bug reports.
   *
   * @throws DemoFailure naming the file when it cannot be written
   */
  public static LibraryLogs toFile(Path path, boolean debug) {
    try {
      return new LibraryLogs(path, debug ? Level.FINE : Level.INFO);
    } catch (IOException e) {
      throw new DemoFailure(
          "cannot write the library log "
              + path
              + " ("
              + e.getMessage()
              + "); choose another file with --log-file",
          e);
    }
  }

  @Override
  public void close() {
    root.removeHandler(file);
    file.close();
    for (Handler h : previous) {
      root.addHandler(h);
    }
    root.setLevel(previousLevel);
  }
}
