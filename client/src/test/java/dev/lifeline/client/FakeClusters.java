package dev.lifeline.client;

import dev.lifeline.testkit.KubeconfigWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Clients of the fake control plane, configured the way users configure them: from a kubeconfig.
 */
final class FakeClusters {
  private FakeClusters() {}

  /** Loads the kubeconfig {@code writer} produces, as {@code --kubeconfig} would. */
  static KubeConfig config(KubeconfigWriter writer, Path dir) {
    try {
      Path file = Files.createTempFile(dir, "kubeconfig", ".yaml");
      writer.writeTo(file);
      return KubeConfig.loader().environment(Map.of()).homeDirectory(dir).kubeconfig(file).load();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A client of that kubeconfig with short timeouts suited to tests. */
  static KubeClient client(KubeconfigWriter writer, Path dir) {
    return KubeClient.builder(config(writer, dir)).build();
  }
}
