package dev.lifeline.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class or method that needs root (iptables, network namespaces). When the JVM does
 * not run as root, or a listed command is missing, the test is skipped with a message saying what
 * it needs; when the environment variable {@code LIFELINE_REQUIRE_ROOT_TESTS=1} is set (CI sets
 * it), it fails instead.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(RootRequirement.class)
public @interface RequiresRoot {
  /**
   * What the test needs root for, for the skip message (for example "iptables to drop packets").
   */
  String value();

  /** Commands that must be on the PATH (for example {@code iptables}, {@code ip}). */
  String[] commands() default {};
}
