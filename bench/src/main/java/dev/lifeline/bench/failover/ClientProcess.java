package dev.lifeline.bench.failover;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One scenario client JVM ({@link ScenarioClientMain}) seen from the benchmark: starts it, collects
 * what it writes, sends it commands, stops it. Its standard error and any line that is not a record
 * go to a log file. Thread-safe.
 */
final class ClientProcess implements AutoCloseable {
  private final Process process;
  private final Writer commands;
  private final Thread reader;
  private final CountDownLatch ready = new CountDownLatch(1);
  private final long launched;
  private final List<ClientRecord.Get> gets = new ArrayList<>();
  private final List<ClientRecord.Delivery> deliveries = new ArrayList<>();
  private final List<ClientRecord.EngineEvent> engineEvents = new ArrayList<>();
  private final List<String> fatal = new ArrayList<>();
  private ClientRecord.EndpointStates endpoints;
  private long childClock = Long.MIN_VALUE;
  private long clockCheckedAt;

  private ClientProcess(Process process, Path log, long launched) throws IOException {
    this.process = process;
    this.launched = launched;
    this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Writer logWriter = Files.newBufferedWriter(log, StandardCharsets.UTF_8);
    this.reader =
        Thread.ofPlatform().daemon().name("failover-bench-reader").start(() -> read(logWriter));
  }

  /**
   * Starts a scenario client JVM.
   *
   * @param classPath the class path of this JVM; the JDK resolver is left out unless the
   *     configuration uses it
   * @param log where its standard error and stray output go
   */
  static ClientProcess start(
      Configuration configuration, ScenarioSetup setup, String classPath, Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(configuration.jvmOptions());
    command.add("-cp");
    command.add(classPathFor(configuration, classPath));
    command.add(ScenarioClientMain.class.getName());
    command.add("configuration=" + configuration.id());
    command.add("kubeconfig=" + setup.kubeconfig());
    command.add("namespace=" + setup.namespace());
    command.add("object=" + setup.objectName());
    command.add("userAgent=" + setup.userAgent());
    Path errors = log.resolveSibling(log.getFileName() + ".stderr");
    long launched = System.nanoTime();
    Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
    return new ClientProcess(process, log, launched);
  }

  /** {@code classPath} without the JDK resolver unless {@code configuration} uses it. */
  static String classPathFor(Configuration configuration, String classPath) {
    if (configuration.needsJdkResolver()) {
      return classPath;
    }
    List<String> kept = new ArrayList<>();
    for (String entry : classPath.split(java.io.File.pathSeparator)) {
      String normalized = entry.replace('\\', '/');
      if (!normalized.contains("lifeline-jdk-resolver")
          && !normalized.contains("adapters/jdk-resolver/")) {
        kept.add(entry);
      }
    }
    return String.join(java.io.File.pathSeparator, kept);
  }

  private void read(Writer log) {
    try (log;
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        ClientRecord record = ClientRecord.parse(line);
        if (record == null) {
          log.write(line);
          log.write('\n');
          continue;
        }
        accept(record, line, log);
      }
    } catch (IOException e) {
      synchronized (this) {
        fatal.add("reading the client's output failed: " + e);
      }
    } finally {
      ready.countDown();
    }
  }

  private void accept(ClientRecord record, String line, Writer log) throws IOException {
    switch (record) {
      case ClientRecord.Get g -> {
        synchronized (this) {
          gets.add(g);
        }
        if (!g.ok()) {
          log.write(line);
          log.write('\n');
        }
      }
      case ClientRecord.Delivery d -> {
        synchronized (this) {
          deliveries.add(d);
        }
      }
      case ClientRecord.EngineEvent e -> {
        synchronized (this) {
          engineEvents.add(e);
        }
        log.write(line);
        log.write('\n');
      }
      case ClientRecord.EndpointStates s -> {
        synchronized (this) {
          endpoints = s;
        }
      }
      case ClientRecord.Clock c -> {
        synchronized (this) {
          childClock = c.nanos();
          clockCheckedAt = System.nanoTime();
        }
      }
      case ClientRecord.Ready r -> ready.countDown();
      case ClientRecord.Fatal f -> {
        synchronized (this) {
          fatal.add(f.message());
        }
        log.write(line);
        log.write('\n');
        ready.countDown();
      }
    }
    log.flush();
  }

  /**
   * Waits until the client answered its first GET and its watch synced.
   *
   * @throws IllegalStateException when it failed, exited or took longer than {@code timeout}, with
   *     what it said; or when the two JVMs do not share the monotonic clock
   */
  void awaitReady(Duration timeout) throws InterruptedException {
    boolean done = ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    synchronized (this) {
      if (!fatal.isEmpty()) {
        throw new IllegalStateException("the client failed: " + String.join("; ", fatal));
      }
      if (!done) {
        throw new IllegalStateException("the client was not ready within " + timeout);
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("the client exited with " + process.exitValue());
      }
      if (childClock < launched || childClock > clockCheckedAt) {
        throw new IllegalStateException(
            "the client JVM's System.nanoTime() is not this JVM's ("
                + childClock
                + " outside ["
                + launched
                + ", "
                + clockCheckedAt
                + "]): the benchmark needs one monotonic clock per machine (Linux)");
      }
    }
  }

  /** Asks the client for the engine's endpoint states; the answer arrives later. */
  void requestStatus() {
    send("status");
  }

  private void send(String command) {
    try {
      synchronized (commands) {
        commands.write(command);
        commands.write('\n');
        commands.flush();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("the client no longer reads commands", e);
    }
  }

  /** The GETs so far, in order. */
  synchronized List<ClientRecord.Get> gets() {
    return List.copyOf(gets);
  }

  /** The watch's deliveries so far, in order. */
  synchronized List<ClientRecord.Delivery> deliveries() {
    return List.copyOf(deliveries);
  }

  /** The engine's events so far, in order. */
  synchronized List<ClientRecord.EngineEvent> engineEvents() {
    return List.copyOf(engineEvents);
  }

  /** The latest endpoint states the client reported. */
  synchronized Optional<ClientRecord.EndpointStates> endpoints() {
    return Optional.ofNullable(endpoints);
  }

  /** What the client reported as fatal, if anything. */
  synchronized List<String> fatal() {
    return List.copyOf(fatal);
  }

  /** Whether the JVM still runs. */
  boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Asks the client to quit, and kills it if it has not within 3 s (a client stuck on a dead
   * connection may not close promptly; that is not measured). Keeps the caller's interrupt flag.
   */
  @Override
  public void close() {
    try {
      send("quit");
    } catch (UncheckedIOException alreadyGone) {
      // It exited on its own; nothing to ask.
    }
    try {
      if (!process.waitFor(3, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
      reader.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
