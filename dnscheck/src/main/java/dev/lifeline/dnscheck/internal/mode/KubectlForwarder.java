package dev.lifeline.dnscheck.internal.mode;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Port-forwards with {@code kubectl port-forward} (the light client has no port-forward stream):
 * one kubectl process per pod, on a local port it picks, bound to 127.0.0.1. kubectl reads the same
 * kubeconfig unless {@code arguments} name another ({@code --kubeconfig}, {@code --context}).
 */
public final class KubectlForwarder implements PortForwards.Forwarder {
  static final Pattern FORWARDING =
      Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+) -> (\\d+)");

  private final List<String> arguments;
  private final Optional<Path> kubectl;

  public KubectlForwarder(List<String> arguments) {
    this.arguments = List.copyOf(arguments);
    this.kubectl = find();
  }

  private static Optional<Path> find() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path p = Path.of(dir, "kubectl");
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  @Override
  public Optional<String> unavailable() {
    return kubectl.isPresent()
        ? Optional.empty()
        : Optional.of("kubectl is not on the PATH (port-forward runs 'kubectl port-forward')");
  }

  @Override
  public PortForwards.Forward open(String namespace, String pod, int port) {
    List<String> cmd = new ArrayList<>();
    cmd.add(
        kubectl
            .orElseThrow(() -> new IllegalStateException(unavailable().orElseThrow()))
            .toString());
    cmd.addAll(arguments);
    cmd.addAll(
        List.of(
            "port-forward", "--address", "127.0.0.1", "-n", namespace, "pod/" + pod, ":" + port));
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run kubectl: " + e.getMessage(), e);
    }
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<Integer> localPort =
        CompletableFuture.supplyAsync(
            () -> {
              StringBuilder seen = new StringBuilder();
              try {
                String line;
                while ((line = out.readLine()) != null) {
                  Matcher m = FORWARDING.matcher(line);
                  if (m.find()) {
                    return Integer.parseInt(m.group(1));
                  }
                  seen.append(line.strip()).append(' ');
                }
              } catch (IOException e) {
                seen.append(e.getMessage());
              }
              throw new IllegalStateException(
                  "kubectl port-forward ended: " + seen.toString().strip());
            });
    try {
      int local = localPort.get(15, TimeUnit.SECONDS);
      // Keep reading so kubectl never blocks on a full pipe ("Handling connection for ..." lines).
      Thread.ofVirtual().start(() -> drain(out));
      InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), local);
      return new KubectlForward(p, address);
    } catch (ExecutionException e) {
      p.destroyForcibly();
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      p.destroyForcibly();
      throw new IllegalStateException(
          "kubectl port-forward to " + namespace + "/" + pod + " did not start within 15 s");
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting kubectl port-forward");
    }
  }

  private static void drain(BufferedReader out) {
    try {
      while (out.readLine() != null) {
        // discard
      }
    } catch (IOException e) {
      // the process ended
    }
  }

  private record KubectlForward(Process process, InetSocketAddress local)
      implements PortForwards.Forward {
    @Override
    public boolean isAlive() {
      return process.isAlive();
    }

    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(2, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
