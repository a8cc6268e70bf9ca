package dev.lifeline.failover.internal;

import dev.lifeline.failover.Endpoint;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The last good endpoint set on disk: one {@code ADDRESS:PORT} per line, {@code #} comments.
 *
 * <p>Written atomically (a temporary file in the same directory, flushed, then renamed over the old
 * one) so that a crash never leaves a half-written file. A line that does not parse is logged with
 * its file and line number and skipped.
 */
final class EndpointsFile {
  private static final System.Logger LOG = System.getLogger(EndpointsFile.class.getName());

  private final Path path;
  private final URI server;

  EndpointsFile(Path path, URI server) {
    this.path = path;
    this.server = server;
  }

  Path path() {
    return path;
  }

  /** The endpoints in the file; empty when it does not exist or cannot be read (logged). */
  List<Endpoint> read() {
    List<String> lines;
    try {
      lines = Files.readAllLines(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      LOG.log(
          Level.WARNING,
          () ->
              "cannot read endpoints file " + path + ": " + e + "; starting from the seed address");
      return List.of();
    }
    List<Endpoint> endpoints = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      try {
        Endpoint endpoint = Endpoint.parse(line);
        if (!endpoints.contains(endpoint)) {
          endpoints.add(endpoint);
        }
      } catch (IllegalArgumentException e) {
        int lineNumber = i + 1;
        LOG.log(
            Level.WARNING,
            () -> path + ":" + lineNumber + ": skipped: " + e.getMessage() + " (fix or delete it)");
      }
    }
    return endpoints;
  }

  /** Replaces the file's content with {@code endpoints}. */
  void write(Collection<Endpoint> endpoints) throws IOException {
    StringBuilder text = new StringBuilder();
    text.append("# Lifeline: last known apiserver endpoints of ")
        .append(server)
        .append("\n# written ")
        .append(Instant.now())
        .append("; read at start when the seed address cannot be reached\n");
    for (Endpoint endpoint : endpoints) {
      text.append(endpoint).append('\n');
    }
    Path dir = path.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    Path temp = Files.createTempFile(dir, path.getFileName().toString() + ".", ".tmp");
    try {
      Files.write(temp, text.toString().getBytes(StandardCharsets.UTF_8));
      try (var channel =
          java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      try {
        Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
