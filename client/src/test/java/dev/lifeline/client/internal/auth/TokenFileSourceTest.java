package dev.lifeline.client.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.client.KubeConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileSourceTest {
  @TempDir Path dir;
  private final AtomicLong nanos = new AtomicLong(1_000);

  private TokenFileSource source(Path file) {
    return new TokenFileSource(
        file, Duration.ofMinutes(1), nanos::get, "in-cluster configuration", "token");
  }

  @Test
  void theFileIsReReadOnceTheRefreshPeriodPassed() throws IOException {
    Path file = Files.writeString(dir.resolve("token"), "one\n");
    TokenFileSource source = source(file);
    assertThat(source.current().token()).isEqualTo("one");

    Files.writeString(file, "two");
    nanos.addAndGet(Duration.ofSeconds(59).toNanos());
    assertThat(source.current().token()).isEqualTo("one");
    nanos.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(source.current().token()).isEqualTo("two");
  }

  @Test
  void a401ReReadsTheFileAtOnceAndSaysWhetherTheTokenChanged() throws IOException {
    Path file = Files.writeString(dir.resolve("token"), "old");
    TokenFileSource source = source(file);
    Credentials used = source.current();

    assertThat(source.refreshAfterUnauthorized(used)).isFalse();
    Files.writeString(file, "rotated");
    assertThat(source.refreshAfterUnauthorized(used)).isTrue();
    assertThat(source.current().token()).isEqualTo("rotated");
  }

  @Test
  void aFailedReReadKeepsTheLastToken() throws IOException {
    Path file = Files.writeString(dir.resolve("token"), "kept");
    TokenFileSource source = source(file);
    source.current();
    Files.delete(file);
    nanos.addAndGet(Duration.ofMinutes(5).toNanos());
    assertThat(source.current().token()).isEqualTo("kept");
  }

  @Test
  void aFirstReadThatFailsNamesTheFile() {
    Path file = dir.resolve("missing");
    assertThatThrownBy(() -> source(file).current())
        .isInstanceOf(KubeConfigException.class)
        .hasMessage(
            "in-cluster configuration: token: cannot read "
                + file
                + " (No such file or directory)");
  }
}
