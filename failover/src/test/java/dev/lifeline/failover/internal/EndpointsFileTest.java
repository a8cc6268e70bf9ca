package dev.lifeline.failover.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.failover.Endpoint;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndpointsFileTest {
  @TempDir Path dir;

  @Test
  void writtenEndpointsReadBackInOrder() throws Exception {
    EndpointsFile file = new EndpointsFile(dir.resolve("sub/endpoints"), URI.create("https://x"));
    List<Endpoint> endpoints =
        List.of(Endpoint.parse("10.0.0.2:6443"), Endpoint.parse("[fd00::1]:6443"));

    file.write(endpoints);

    assertThat(file.read()).isEqualTo(endpoints);
    assertThat(Files.readString(file.path())).startsWith("# Lifeline: last known apiserver");
  }

  @Test
  void aRewriteLeavesNoTemporaryFileBehind() throws Exception {
    EndpointsFile file = new EndpointsFile(dir.resolve("endpoints"), URI.create("https://x"));
    file.write(List.of(Endpoint.parse("10.0.0.2:6443")));
    file.write(List.of(Endpoint.parse("10.0.0.3:6443")));

    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("endpoints");
    }
    assertThat(file.read()).containsExactly(Endpoint.parse("10.0.0.3:6443"));
  }

  @Test
  void badLinesAreSkippedAndGoodOnesKept() throws Exception {
    Path path = dir.resolve("endpoints");
    Files.writeString(
        path, "# comment\n\n10.0.0.2:6443\nnot-an-ip:6443\n10.0.0.2:6443\n10.0.0.3:99999\n");

    assertThat(new EndpointsFile(path, URI.create("https://x")).read())
        .containsExactly(Endpoint.parse("10.0.0.2:6443"));
  }

  @Test
  void aMissingFileIsAnEmptySet() {
    assertThat(new EndpointsFile(dir.resolve("none"), URI.create("https://x")).read()).isEmpty();
  }
}
