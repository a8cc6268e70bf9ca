package dev.lifeline.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.TestAbortedException;

/**
 * The root-test rule: tests that need root skip with a message when not root, and fail instead when
 * {@code LIFELINE_REQUIRE_ROOT_TESTS=1}. Used through {@link RequiresRoot}, or directly with {@link
 * #require(String, String...)} inside a test.
 */
public final class RootRequirement implements ExecutionCondition {
  /** The environment variable that turns skips into failures. */
  public static final String REQUIRE_ENV = "LIFELINE_REQUIRE_ROOT_TESTS";

  /** Used by JUnit through {@link RequiresRoot}. */
  public RootRequirement() {}

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Optional<RequiresRoot> annotation =
        context.getElement().flatMap(e -> AnnotationSupport.findAnnotation(e, RequiresRoot.class));
    if (annotation.isEmpty()) {
      return ConditionEvaluationResult.enabled("no @RequiresRoot");
    }
    return decide(missing(annotation.get().value(), annotation.get().commands()), isRequired());
  }

  /**
   * The rule itself: enabled when nothing is missing, otherwise disabled with the message, or a
   * failure when root tests are required.
   */
  static ConditionEvaluationResult decide(Optional<String> missing, boolean required) {
    if (missing.isEmpty()) {
      return ConditionEvaluationResult.enabled("running as root");
    }
    if (required) {
      throw new AssertionError(missing.get() + " (" + REQUIRE_ENV + "=1 makes this a failure)");
    }
    return ConditionEvaluationResult.disabled(missing.get());
  }

  /**
   * Checks inside a test that root (and the commands) are available.
   *
   * @param what what the test needs root for
   * @throws TestAbortedException when not available (the test is skipped)
   * @throws AssertionError when not available and {@code LIFELINE_REQUIRE_ROOT_TESTS=1}
   */
  public static void require(String what, String... commands) {
    Optional<String> missing = missing(what, commands);
    if (missing.isPresent()) {
      if (isRequired()) {
        throw new AssertionError(missing.get() + " (" + REQUIRE_ENV + "=1 makes this a failure)");
      }
      throw new TestAbortedException(missing.get());
    }
  }

  /** Whether {@code LIFELINE_REQUIRE_ROOT_TESTS=1}. */
  public static boolean isRequired() {
    return "1".equals(System.getenv(REQUIRE_ENV));
  }

  /** Whether the JVM runs as root (uid 0). */
  public static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          String[] f = line.substring(4).trim().split("\\s+");
          return f.length > 1 && f[1].equals("0");
        }
      }
    } catch (IOException | RuntimeException e) {
      return "root".equals(System.getProperty("user.name"));
    }
    return false;
  }

  /** Whether a command is on the PATH (or in /usr/sbin or /sbin, where Debian keeps iptables). */
  public static boolean hasCommand(String command) {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(":")));
    }
    dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
    for (String d : dirs) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, command))) {
        return true;
      }
    }
    return false;
  }

  private static Optional<String> missing(String what, String... commands) {
    return missing(isRoot(), RootRequirement::hasCommand, what, commands);
  }

  /** What is missing for a root test, given whether we are root and which commands exist. */
  static Optional<String> missing(
      boolean root,
      java.util.function.Predicate<String> hasCommand,
      String what,
      String... commands) {
    if (!root) {
      return Optional.of(
          "needs root for "
              + what
              + "; run as root (and set "
              + REQUIRE_ENV
              + "=1 to make this a failure)");
    }
    for (String c : commands) {
      if (!hasCommand.test(c)) {
        return Optional.of(
            "needs the command "
                + c
                + " for "
                + what
                + "; install it (Debian: apt-get install "
                + (c.equals("ip") ? "iproute2" : c)
                + ")");
      }
    }
    return Optional.empty();
  }
}
