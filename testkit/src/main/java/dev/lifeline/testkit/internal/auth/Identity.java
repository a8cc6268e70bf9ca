package dev.lifeline.testkit.internal.auth;

import java.util.List;

/**
 * An authenticated requester.
 *
 * @param name the user name
 * @param groups the groups, including {@code system:authenticated} or {@code
 *     system:unauthenticated}
 */
public record Identity(String name, List<String> groups) {
  /** The anonymous user. */
  public static final Identity ANONYMOUS =
      new Identity("system:anonymous", List.of("system:unauthenticated"));

  /** Whether this is the anonymous user. */
  public boolean isAnonymous() {
    return name.equals(ANONYMOUS.name());
  }
}
