package dev.lifeline.testkit.internal.auth;

import dev.lifeline.testkit.AccessRule;
import dev.lifeline.testkit.TestUser;
import dev.lifeline.testkit.internal.control.ControlPlaneSettings.UserSettings;
import dev.lifeline.testkit.internal.pki.Pki;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The static users of the fake: token authentication, client-certificate identities and the
 * allow-list authorizer. Thread-safe.
 */
public final class UserRegistry {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, RealUser> users = new LinkedHashMap<>();
  private final Map<String, RealUser> byToken = new ConcurrentHashMap<>();
  private final Map<String, List<AccessRule>> serviceAccountRules;

  /**
   * Creates the users of the settings; users without a token get a random one.
   *
   * @param serviceAccountRules access rules by service account user name
   */
  public UserRegistry(
      List<UserSettings> settings, Pki pki, Map<String, List<AccessRule>> serviceAccountRules) {
    this.serviceAccountRules = Map.copyOf(serviceAccountRules);
    for (UserSettings s : settings) {
      String token = s.token() != null ? s.token() : randomToken();
      RealUser u = new RealUser(s.name(), s.groups(), s.rules(), s.allowList(), token, this, pki);
      users.put(s.name(), u);
      if (byToken.putIfAbsent(token, u) != null) {
        throw new IllegalArgumentException(
            "users " + byToken.get(token).name() + " and " + s.name() + " have the same token");
      }
    }
  }

  static String randomToken() {
    byte[] b = new byte[24];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  void replaceToken(RealUser user, String oldToken, String newToken) {
    if (byToken.putIfAbsent(newToken, user) != null && byToken.get(newToken) != user) {
      throw new IllegalArgumentException("token is already used by another user");
    }
    if (!oldToken.equals(newToken)) {
      byToken.remove(oldToken, user);
    }
  }

  /** A user by name. */
  public Optional<TestUser> user(String name) {
    return Optional.ofNullable(users.get(name));
  }

  /** Every user. */
  public List<TestUser> all() {
    return new ArrayList<>(users.values());
  }

  /** The names of every user, for error messages. */
  public List<String> names() {
    return new ArrayList<>(users.keySet());
  }

  /** The identity of a bearer token, if it is a current token. */
  public Optional<Identity> authenticateToken(String token) {
    RealUser u = byToken.get(token);
    return u == null ? Optional.empty() : Optional.of(identity(u.name(), u.groups()));
  }

  /** The identity a verified client certificate carries: CN is the user, each O a group. */
  public static Identity authenticateCertificate(X509Certificate cert) {
    String cn = "";
    List<String> groups = new ArrayList<>();
    try {
      LdapName dn = new LdapName(cert.getSubjectX500Principal().getName());
      for (Rdn rdn : dn.getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          cn = rdn.getValue().toString();
        } else if (rdn.getType().equalsIgnoreCase("O")) {
          groups.add(rdn.getValue().toString());
        }
      }
    } catch (InvalidNameException e) {
      throw new IllegalArgumentException("unreadable certificate subject", e);
    }
    return identity(cn, groups);
  }

  /** An identity with {@code system:authenticated} added, as the apiserver adds it. */
  public static Identity identity(String name, List<String> groups) {
    List<String> all = new ArrayList<>(groups);
    if (!all.contains("system:authenticated")) {
      all.add("system:authenticated");
    }
    return new Identity(name, List.copyOf(all));
  }

  /**
   * Whether an identity may perform a verb on a resource in a namespace ({@code ""} for cluster
   * scope). {@code system:masters} may do anything; known users without an allow list too; service
   * accounts what their rules allow; unknown users (a client certificate for a name not configured,
   * or {@code system:anonymous}) nothing.
   */
  public boolean isAllowed(Identity id, String verb, String resource, String namespace) {
    return allowedBecause(id, verb, resource, namespace).isPresent();
  }

  /**
   * Why an identity may perform a verb on a resource in a namespace, for a
   * SelfSubjectAccessReview's {@code status.reason}; empty when it may not (RBAC gives no reason
   * for a denial either).
   */
  public Optional<String> allowedBecause(
      Identity id, String verb, String resource, String namespace) {
    if (id.groups().contains("system:masters")) {
      return Optional.of(
          "RBAC: allowed by ClusterRoleBinding \"cluster-admin\" of ClusterRole \"cluster-admin\""
              + " to Group \"system:masters\"");
    }
    RealUser u = users.get(id.name());
    List<AccessRule> rules;
    if (u == null) {
      rules = serviceAccountRules.getOrDefault(id.name(), List.of());
    } else if (!u.isAllowList()) {
      return Optional.of(
          "allowed: user \"" + id.name() + "\" has full access (no access rules configured)");
    } else {
      rules = u.rules();
    }
    for (AccessRule r : rules) {
      if (r.allows(verb, resource, namespace)) {
        return Optional.of("allowed by an access rule of \"" + id.name() + "\": " + r);
      }
    }
    return Optional.empty();
  }

  /**
   * Whether an identity has full access (a member of {@code system:masters}, or a configured user
   * without access rules), as for non-resource paths beyond discovery, health and version.
   */
  public boolean hasFullAccess(Identity id) {
    if (id.groups().contains("system:masters")) {
      return true;
    }
    RealUser u = users.get(id.name());
    return u != null && !u.isAllowList();
  }
}
