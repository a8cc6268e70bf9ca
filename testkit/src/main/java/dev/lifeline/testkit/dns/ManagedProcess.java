package dev.lifeline.testkit.dns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A child process of the harness (a DNS server) with its output in a log file. Every process still
 * running when the JVM exits is stopped by a shutdown hook, so a failed test leaves none behind.
 */
final class ManagedProcess implements AutoCloseable {
  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (Process p : RUNNING) {
                    p.destroyForcibly();
                  }
                },
                "lifeline-dns-harness-cleanup"));
  }

  private final String what;
  private final Process process;
  private final Path log;

  private ManagedProcess(String what, Process process, Path log) {
    this.what = what;
    this.process = process;
    this.log = log;
  }

  /** Starts {@code command} with its output going to {@code log}. */
  static ManagedProcess start(String what, List<String> command, Path log) {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    try {
      Process p = pb.start();
      RUNNING.add(p);
      return new ManagedProcess(what, p, log);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot start " + what + " (" + command.get(0) + "): " + e.getMessage(), e);
    }
  }

  /** Runs a short command to completion; returns its output, or throws with it on failure. */
  static String run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish in 30 s");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command) + " failed (exit " + p.exitValue() + "): " + out.strip());
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command.get(0), e);
    }
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Sends a signal (HUP, STOP, CONT) with kill(1). */
  void signal(String signal) {
    run(List.of("kill", "-" + signal, Long.toString(process.pid())));
  }

  /** The process's output so far, for error messages. */
  String output() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      List<String> tail =
          new ArrayList<>(lines.subList(Math.max(0, lines.size() - 20), lines.size()));
      return String.join("\n", tail);
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  String what() {
    return what;
  }

  /** Stops the process (TERM, then KILL after two seconds) and waits for it. Idempotent. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(2, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(2, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
    RUNNING.remove(process);
  }
}
