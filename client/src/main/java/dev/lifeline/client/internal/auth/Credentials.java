package dev.lifeline.client.internal.auth;

import dev.lifeline.client.internal.tls.ClientIdentity;

/**
 * What a request authenticates with: a bearer token and/or a client identity. {@link #toString()}
 * hides the token.
 *
 * @param token the bearer token, or null
 * @param identity the client certificate, or null
 */
public record Credentials(String token, ClientIdentity identity) {
  /** No credentials. */
  public static final Credentials NONE = new Credentials(null, null);

  @Override
  public String toString() {
    return "Credentials[token="
        + (token == null ? "none" : "<hidden>")
        + ", identity="
        + identity
        + "]";
  }
}
