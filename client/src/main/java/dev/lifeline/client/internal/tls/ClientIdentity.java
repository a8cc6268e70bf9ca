package dev.lifeline.client.internal.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A client certificate chain and its key. {@link #toString()} never shows the key.
 *
 * @param chain the certificate first, then intermediates
 * @param key the private key
 */
public record ClientIdentity(List<X509Certificate> chain, PrivateKey key) {
  /** Copies. */
  public ClientIdentity {
    chain = List.copyOf(chain);
  }

  @Override
  public String toString() {
    return "ClientIdentity[" + chain.get(0).getSubjectX500Principal() + "]";
  }
}
