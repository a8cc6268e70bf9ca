package dev.lifeline.client.internal.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents the current client identity at each handshake: a static certificate from the
 * configuration, or the one an exec plugin last returned (which may change). Sends it whatever CAs
 * the server names, as Go's client does.
 */
public final class IdentityKeyManager extends X509ExtendedKeyManager {
  private static final String ALIAS = "kube-client";

  private final Supplier<ClientIdentity> identity;

  /** Uses whatever {@code identity} returns at handshake time (null: no client certificate). */
  public IdentityKeyManager(Supplier<ClientIdentity> identity) {
    this.identity = identity;
  }

  @Override
  public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
    return identity.get() == null ? null : ALIAS;
  }

  @Override
  public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
    return chooseClientAlias(keyTypes, issuers, null);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    ClientIdentity id = identity.get();
    return id == null ? null : id.chain().toArray(new X509Certificate[0]);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    ClientIdentity id = identity.get();
    return id == null ? null : id.key();
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return identity.get() == null ? null : new String[] {ALIAS};
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return null;
  }
}
