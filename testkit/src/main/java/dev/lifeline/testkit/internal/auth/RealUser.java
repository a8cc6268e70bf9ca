package dev.lifeline.testkit.internal.auth;

import dev.lifeline.testkit.AccessRule;
import dev.lifeline.testkit.ClientCertificate;
import dev.lifeline.testkit.KeyAlgorithm;
import dev.lifeline.testkit.TestUser;
import dev.lifeline.testkit.internal.pki.Pki;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A user of the fake control plane. Thread-safe. */
final class RealUser implements TestUser {
  private final String name;
  private final List<String> groups;
  private final List<AccessRule> rules;
  private final boolean allowList;
  private final UserRegistry registry;
  private final Pki pki;
  private final Map<KeyAlgorithm, ClientCertificate> certificates =
      new EnumMap<>(KeyAlgorithm.class);
  private volatile String token;

  RealUser(
      String name,
      List<String> groups,
      List<AccessRule> rules,
      boolean allowList,
      String token,
      UserRegistry registry,
      Pki pki) {
    this.name = name;
    this.groups = List.copyOf(groups);
    this.rules = List.copyOf(rules);
    this.allowList = allowList;
    this.token = token;
    this.registry = registry;
    this.pki = pki;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<String> groups() {
    return groups;
  }

  @Override
  public String token() {
    return token;
  }

  @Override
  public String rotateToken() {
    String next = UserRegistry.randomToken();
    setToken(next);
    return next;
  }

  @Override
  public void setToken(String newToken) {
    Objects.requireNonNull(newToken, "token");
    if (newToken.isBlank()) {
      throw new IllegalArgumentException("token of user " + name + " must not be blank");
    }
    synchronized (this) {
      registry.replaceToken(this, token, newToken);
      token = newToken;
    }
  }

  @Override
  public ClientCertificate clientCertificate() {
    return clientCertificate(KeyAlgorithm.EC_P256);
  }

  @Override
  public synchronized ClientCertificate clientCertificate(KeyAlgorithm algorithm) {
    return certificates.computeIfAbsent(algorithm, a -> pki.issueClient(name, groups, a));
  }

  List<AccessRule> rules() {
    return rules;
  }

  boolean isAllowList() {
    return allowList;
  }

  @Override
  public String toString() {
    return "TestUser[" + name + ", groups=" + groups + "]";
  }
}
