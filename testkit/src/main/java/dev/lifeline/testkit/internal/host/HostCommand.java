package dev.lifeline.testkit.internal.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command of the host's network tools ({@code iptables}, {@code ip}) and returns its output;
 * a failure names the command line, the exit code and the tool's own message.
 */
public final class HostCommand {
  private HostCommand() {}

  /**
   * Runs a command and waits for it (at most 20 s).
   *
   * @param debianPackage the package that provides the command, named when it is missing
   * @return standard output and error, merged
   * @throws IllegalStateException when it cannot run, fails, or takes too long
   */
  public static String run(String debianPackage, List<String> command) {
    String line = String.join(" ", command);
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "could not run "
              + line
              + ": "
              + e.getMessage()
              + " (install Debian's "
              + debianPackage
              + " package)",
          e);
    }
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(line + " did not finish in 20 s");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            line + " failed with exit code " + p.exitValue() + ": " + out.trim());
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("could not read the output of " + line, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IllegalStateException("interrupted while running " + line, e);
    }
  }
}
