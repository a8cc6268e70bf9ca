package dev.lifeline.client.internal.auth;

import dev.lifeline.client.KubeConfigException;
import dev.lifeline.client.internal.config.ConfigLoader;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A token read from a file and re-read as it rotates: after {@code refresh} has passed since the
 * last read, and at once after a 401. Projected service-account tokens live about an hour and the
 * kubelet rewrites the file well before they expire, so a one-minute refresh never sends an expired
 * token. When a re-read fails the last token is kept (the kubelet replaces the file atomically, but
 * a transient error should not fail requests); only a first read that fails is an error.
 */
final class TokenFileSource implements CredentialSource {
  private static final System.Logger LOG = System.getLogger(TokenFileSource.class.getName());

  private final Path file;
  private final long refreshNanos;
  private final LongSupplier nanoTime;
  private final String source;
  private final String field;

  private Credentials cached;
  private long readAt;

  TokenFileSource(Path file, Duration refresh, LongSupplier nanoTime, String source, String field) {
    this.file = file;
    this.refreshNanos = refresh.toNanos();
    this.nanoTime = nanoTime;
    this.source = source;
    this.field = field;
  }

  @Override
  public synchronized Credentials current() {
    long now = nanoTime.getAsLong();
    if (cached == null || now - readAt >= refreshNanos) {
      read(now);
    }
    return cached;
  }

  private void read(long now) {
    try {
      String token = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (token.isEmpty()) {
        throw new IOException("the file is empty");
      }
      if (cached == null || !token.equals(cached.token())) {
        cached = new Credentials(token, null);
      }
      readAt = now;
    } catch (IOException e) {
      if (cached == null) {
        throw new KubeConfigException(
            source, field, "cannot read " + file + " (" + ConfigLoader.reason(e) + ")", e);
      }
      // Keep the last token; try again on the next request instead of waiting a whole period.
      LOG.log(
          Level.WARNING,
          "cannot re-read token file {0} ({1}); using the last token",
          file,
          ConfigLoader.reason(e));
    }
  }

  @Override
  public synchronized boolean refreshAfterUnauthorized(Credentials used) {
    if (cached != used) {
      return cached != null;
    }
    read(nanoTime.getAsLong());
    return cached != used;
  }

  @Override
  public String toString() {
    return "TokenFile[" + file + "]";
  }
}
