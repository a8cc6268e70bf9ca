package dev.lifeline.bench.failover;

import dev.lifeline.failover.HostResolver;
import dev.lifeline.jdkresolver.JdkResolver;

/**
 * The seed resolver of a name-level engine, in a class of its own: the JDK resolver is on the class
 * path of name-level configurations only, and this class is loaded only by them.
 */
final class NameLevelSeed {
  private NameLevelSeed() {}

  /** The JDK's built-in resolver, bypassing Lifeline's provider and the JVM's cache. */
  static HostResolver resolver() {
    return JdkResolver.builtinResolver();
  }
}
