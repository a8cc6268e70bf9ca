package dev.lifeline.client.internal.auth;

/** A token from the configuration; nothing to refresh. */
final class StaticTokenSource implements CredentialSource {
  private final Credentials credentials;

  StaticTokenSource(String token) {
    this.credentials = new Credentials(token, null);
  }

  @Override
  public Credentials current() {
    return credentials;
  }

  @Override
  public boolean refreshAfterUnauthorized(Credentials used) {
    return false;
  }

  @Override
  public String toString() {
    return "StaticToken";
  }
}
