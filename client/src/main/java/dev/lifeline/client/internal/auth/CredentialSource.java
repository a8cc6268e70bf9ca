package dev.lifeline.client.internal.auth;

/**
 * Supplies the current credentials and refreshes them after the server refused them.
 * Implementations are thread-safe.
 */
public interface CredentialSource {
  /** No credentials (client certificates from the configuration are handled by TLS). */
  CredentialSource NONE =
      new CredentialSource() {
        @Override
        public Credentials current() {
          return Credentials.NONE;
        }

        @Override
        public boolean refreshAfterUnauthorized(Credentials used) {
          return false;
        }
      };

  /**
   * The credentials to use now, reading or running whatever provides them when the cached ones are
   * stale.
   *
   * @throws dev.lifeline.client.KubeConfigException when they cannot be obtained
   */
  Credentials current();

  /**
   * The server answered 401 to a request made with {@code used}: refresh (re-read the file, re-run
   * the plugin) unless that already happened since.
   *
   * @return whether {@link #current()} now differs from {@code used}, so retrying the request may
   *     succeed
   */
  boolean refreshAfterUnauthorized(Credentials used);
}
