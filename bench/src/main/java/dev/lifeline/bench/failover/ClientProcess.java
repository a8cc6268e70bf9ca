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
 * what it writes, sends it commands, stops it. Its standard error goes to {@code <log>.stderr};
 * engine events, failed GETs and any line that is not a record to the log; every record to {@code
 * <log>.records}, for analysis after the run. Thread-safe.
 */
final class ClientProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final Writer logWriter;
  private final Writer recordWriter;
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
    this.log = log;
    this.launched = launched;
    this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    this.logWriter = Files.newBufferedWriter(log, StandardCharsets.UTF_8);
    this.recordWriter =
        Files.newBufferedWriter(
            log.resolveSibling(log.getFileName() + ".records"), StandardCharsets.UTF_8);
    this.reader = Thread.ofPlatform().daemon().name("failover-bench-reader").start(this::read);
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

  private void read() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        ClientRecord record = ClientRecord.parse(line);
        if (record == null) {
          write(logWriter, line);
          continue;
        }
        write(recordWriter, line);
        accept(record, line);
      }
    } catch (IOException e) {
      synchronized (this) {
        fatal.add("reading the client's output failed: " + e);
      }
    } finally {
      ready.countDown();
      closeQuietly(logWriter);
      closeQuietly(recordWriter);
    }
  }

  private void accept(ClientRecord record, String line) throws IOException {
    switch (record) {
      case ClientRecord.Get g -> {
        synchronized (this) {
          gets.add(g);
        }
        if (!g.ok()) {
          write(logWriter, line);
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
        write(logWriter, line);
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
        write(logWriter, line);
        ready.countDown();
      }
    }
  }

  /**
   * Adds a line of the benchmark's own to the log and the records file (as {@code # text}), e.g.
   * when the fault was injected.
   */
  void note(String text) {
    String line = "# " + System.nanoTime() + " " + text;
    try {
      write(logWriter, line);
      write(recordWriter, line);
    } catch (IOException e) {
      System.err.println("warning: cannot write to " + log + ": " + e);
    }
  }

  private static void write(Writer writer, String line) throws IOException {
    synchronized (writer) {
      writer.write(line);
      writer.write('\n');
      writer.flush();
    }
  }

  private static void closeQuietly(Writer writer) {
    synchronized (writer) {
      try {
        writer.close();
      } catch (IOException e) {
        System.err.println("warning: cannot close a client log: " + e);
      }
    }
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
        throw new IllegalStateException(
            "the client exited with " + process.exitValue() + "; see " + log + ".stderr");
      }
      if (childClock == Long.MIN_VALUE) {
        throw new IllegalStateException("the client wrote no clock line; see " + log + ".stderr");
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

  /**
   * Asks the client for the engine's endpoint states and waits for the answer.
   *
   * @return the answer, or empty when none came within {@code timeout}
   */
  Optional<ClientRecord.EndpointStates> freshEndpoints(Duration timeout) {
    long asked = System.nanoTime();
    requestStatus();
    long deadline = asked + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<ClientRecord.EndpointStates> latest = endpoints();
      if (latest.isPresent() && latest.get().nanos() >= asked) {
        return latest;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
    }
    return Optional.empty();
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
