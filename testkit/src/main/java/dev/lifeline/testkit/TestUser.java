package dev.lifeline.testkit;

import java.util.List;

/** A user the fake control plane knows. Thread-safe. */
public interface TestUser {
  /** The user name (the client certificate's CN). */
  String name();

  /** The groups (the client certificate's O entries). */
  List<String> groups();

  /** The current bearer token. */
  String token();

  /**
   * Replaces the bearer token with a new random one; the old token stops working at once (its next
   * use gets 401), as after rotating a token file.
   *
   * @return the new token
   */
  String rotateToken();

  /** Replaces the bearer token with the given one; the old token stops working at once. */
  void setToken(String token);

  /** A client certificate for this user with an EC P-256 key, issued once and then reused. */
  ClientCertificate clientCertificate();

  /**
   * A client certificate with the given key algorithm, issued once per algorithm and then reused.
   */
  ClientCertificate clientCertificate(KeyAlgorithm algorithm);
}
