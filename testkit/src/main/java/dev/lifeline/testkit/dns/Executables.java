package dev.lifeline.testkit.dns;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Finds the Debian binaries the harness runs (they live in /usr/sbin, often not on PATH). */
public final class Executables {
  private Executables() {}

  /** The binary's path, if installed. */
  public static Optional<Path> find(String name) {
    List<String> dirs = new ArrayList<>(List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin"));
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(File.pathSeparator)));
    }
    for (String d : dirs) {
      Path p = Path.of(d, name);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /**
   * The binary's path.
   *
   * @throws IllegalStateException saying which Debian package to install
   */
  public static Path require(String name, String debianPackage) {
    return find(name)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    name + " is not installed; install it with: apt-get install " + debianPackage));
  }

  /** Whether this process runs as root (uid 0). */
  public static boolean isRoot() {
    try {
      Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      return Integer.valueOf(0).equals(uid);
    } catch (Exception e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }
}
