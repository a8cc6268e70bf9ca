package dev.lifeline.testkit;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How a user of the fake control plane authenticates and what it may do. Used inside {@link
 * FakeControlPlane.Builder#user(String, java.util.function.Consumer)}.
 *
 * <p>Defaults: a random bearer token, no groups, and full access. Calling {@link
 * #allow(AccessRule)} switches the user to allow-list mode: only what the rules allow (plus
 * discovery, health and version paths, which every authenticated user may read). Members of {@code
 * system:masters} always have full access.
 */
public final class UserSpec {
  private final String name;
  private String token;
  private final Set<String> groups = new LinkedHashSet<>();
  private final List<AccessRule> rules = new ArrayList<>();
  private boolean allowList;

  UserSpec(String name) {
    this.name = name;
  }

  /** Sets the bearer token (default: a random one). */
  public UserSpec token(String token) {
    Objects.requireNonNull(token, "token");
    if (token.isBlank()) {
      throw new IllegalArgumentException("token of user " + name + " must not be blank");
    }
    this.token = token;
    return this;
  }

  /** Adds groups (client certificates carry them as O). */
  public UserSpec groups(String... groups) {
    this.groups.addAll(List.of(groups));
    return this;
  }

  /** Restricts the user to what the given rules allow (may be called several times). */
  public UserSpec allow(AccessRule rule) {
    rules.add(Objects.requireNonNull(rule, "rule"));
    allowList = true;
    return this;
  }

  /**
   * Restricts the user to nothing but discovery, health and version: every resource request is 403.
   */
  public UserSpec allowNothing() {
    allowList = true;
    return this;
  }

  String name() {
    return name;
  }

  String token() {
    return token;
  }

  Set<String> groups() {
    return Set.copyOf(groups);
  }

  List<AccessRule> rules() {
    return List.copyOf(rules);
  }

  boolean isAllowList() {
    return allowList;
  }
}
