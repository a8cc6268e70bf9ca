package dev.lifeline.client.internal.auth;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Runs an exec credential plugin's process. Replaced in tests. */
public interface ExecPluginRunner {
  /**
   * The outcome of a run.
   *
   * @param exitCode the exit status
   * @param stdout what it printed on standard output
   * @param stderr what it printed on standard error (empty when standard error was the terminal's)
   */
  record Result(int exitCode, byte[] stdout, String stderr) {}

  /**
   * Runs {@code command} with {@code args} and the process environment plus {@code env}.
   *
   * @param interactive whether the plugin gets this process's standard input and standard error
   * @param timeout how long to wait before killing it, or null for no limit
   * @throws IOException when it cannot be started (e.g. not found)
   * @throws InterruptedException when interrupted while waiting (the process is killed)
   */
  Result run(
      String command,
      List<String> args,
      Map<String, String> env,
      boolean interactive,
      Duration timeout)
      throws IOException, InterruptedException;

  /** Runs real processes. */
  ExecPluginRunner PROCESS =
      (command, args, env, interactive, timeout) -> {
        List<String> commandLine = new java.util.ArrayList<>();
        commandLine.add(command);
        commandLine.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(commandLine);
        builder.environment().putAll(env);
        if (interactive) {
          builder.redirectInput(ProcessBuilder.Redirect.INHERIT);
          builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        }
        Process process = builder.start();
        if (!interactive) {
          process.getOutputStream().close();
        }
        StreamReader err = interactive ? null : new StreamReader(process.getErrorStream());
        StreamReader out = new StreamReader(process.getInputStream());
        try {
          if (timeout == null) {
            process.waitFor();
          } else if (!process.waitFor(
              timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IOException("did not finish within " + timeout.toSeconds() + " s");
          }
          return new Result(
              process.exitValue(),
              out.bytes(),
              err == null ? "" : new String(err.bytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
          process.destroyForcibly();
          throw e;
        }
      };

  /** Drains a stream on its own thread so that a chatty plugin never blocks on a full pipe. */
  final class StreamReader {
    private final java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
    private final Thread thread;

    StreamReader(InputStream in) {
      thread =
          new Thread(
              () -> {
                try (in) {
                  in.transferTo(buffer);
                } catch (IOException e) {
                  // The process ended or was killed; keep what was read.
                }
              },
              "lifeline-exec-plugin-reader");
      thread.setDaemon(true);
      thread.start();
    }

    byte[] bytes() throws InterruptedException {
      thread.join();
      return buffer.toByteArray();
    }
  }
}
