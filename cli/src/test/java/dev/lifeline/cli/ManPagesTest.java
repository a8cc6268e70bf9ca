package dev.lifeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * The command's man pages are generated from its definition (picocli's ManPageGenerator), so they
 * cannot drift from the flags: this test fails when {@code docs/man} is stale. To regenerate:
 *
 * <pre>
 * ./mvnw -pl cli -am test -Dtest=ManPagesTest -Dsurefire.failIfNoSpecifiedTests=false -Dlifeline.updateManPages=true
 * </pre>
 */
class ManPagesTest {
  private static final Path DOCS = Path.of("..", "docs", "man");

  @Test
  void theDnscheckManPagesMatchTheCommand() throws IOException {
    CommandLine dnscheck = Lifeline.commandLine().getSubcommands().get("dnscheck");
    Map<String, CommandLine> pages =
        Map.of(
            "lifeline-dnscheck.1.adoc",
            dnscheck,
            "lifeline-dnscheck-probe.1.adoc",
            dnscheck.getSubcommands().get("probe"));
    boolean update = Boolean.getBoolean("lifeline.updateManPages");
    for (Map.Entry<String, CommandLine> page : pages.entrySet()) {
      StringWriter text = new StringWriter();
      try (PrintWriter w = new PrintWriter(text)) {
        ManPageGenerator.writeSingleManPage(w, page.getValue().getCommandSpec());
      }
      // The generator stamps the date; pages only change when the command does.
      String generated = text.toString().replaceAll(":revdate: .*", ":revdate: (generated)");
      Path file = DOCS.resolve(page.getKey());
      if (update) {
        Files.createDirectories(DOCS);
        Files.writeString(file, generated, StandardCharsets.UTF_8);
      }
      assertThat(Files.exists(file))
          .as(
              "%s is missing; regenerate with -Dlifeline.updateManPages=true (see this test's Javadoc)",
              file)
          .isTrue();
      assertThat(Files.readString(file, StandardCharsets.UTF_8))
          .as(
              "%s is stale; regenerate with -Dlifeline.updateManPages=true (see this test's Javadoc)",
              file)
          .isEqualTo(generated);
    }
  }
}
