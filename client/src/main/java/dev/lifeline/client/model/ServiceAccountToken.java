package dev.lifeline.client.model;

import java.time.Instant;

/**
 * A token issued by the TokenRequest API. {@link #toString()} never shows the token.
 *
 * @param token the bearer token
 * @param expiration when it expires
 */
public record ServiceAccountToken(String token, Instant expiration) {
  @Override
  public String toString() {
    return "ServiceAccountToken[expiration=" + expiration + "]";
  }
}
