package dev.lifeline.testkit.internal.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeline.testkit.internal.api.Json;
import dev.lifeline.testkit.internal.api.ResourceType;
import dev.lifeline.testkit.internal.store.ObjectStore;
import dev.lifeline.testkit.internal.store.StoredObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bound service account tokens, as the TokenRequest API issues them: JWTs (ES256, signed with a key
 * made on first use) whose claims are the real ones ({@code iss}, {@code sub}, {@code aud}, {@code
 * exp}, {@code iat}, {@code nbf}, {@code jti}, {@code kubernetes.io}). A token authenticates as
 * {@code system:serviceaccount:<ns>:<name>} while it has not expired by the control plane's clock,
 * names one of the API audiences, and its service account (and bound object, if any) still exists
 * with the same uid. Issued tokens are remembered, so authentication looks them up rather than
 * verifying signatures. Thread-safe.
 */
public final class ServiceAccountTokens {
  /** The apiserver's API audience and issuer by default ({@code --service-account-issuer}). */
  public static final String ISSUER = "https://kubernetes.default.svc.cluster.local";

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final ObjectStore store;
  private final Clock clock;
  private final ResourceType serviceAccounts;
  private final Map<String, Issued> issued = new ConcurrentHashMap<>();
  private KeyPair key;

  /**
   * What a token stands for.
   *
   * @param bound the bound object (kind, name, uid), or null
   */
  private record Issued(
      String namespace,
      String name,
      String serviceAccountUid,
      List<String> audiences,
      Instant expiry,
      Bound bound) {}

  /** An object a token is bound to: a Pod, a Secret or a Node. */
  public record Bound(ResourceType type, String name, String uid) {}

  public ServiceAccountTokens(ObjectStore store) {
    this.store = store;
    this.clock = store.clock();
    this.serviceAccounts = store.registry().byKind("v1", "ServiceAccount").orElseThrow();
  }

  /** The identity of a service account, with the groups the apiserver gives it. */
  public static Identity identity(String namespace, String name) {
    return UserRegistry.identity(
        "system:serviceaccount:" + namespace + ":" + name,
        List.of("system:serviceaccounts", "system:serviceaccounts:" + namespace));
  }

  /**
   * Issues a token.
   *
   * @param serviceAccount the service account, which exists
   * @param bound the bound object, or null
   */
  public String issue(
      StoredObject serviceAccount,
      List<String> audiences,
      Instant issuedAt,
      Instant expiry,
      Bound bound,
      Optional<String> nodeName) {
    String ns = serviceAccount.namespace();
    String name = serviceAccount.name();
    ObjectNode header = Json.object();
    header.put("alg", "ES256");
    header.put("kid", "lifeline-testkit");
    ObjectNode claims = Json.object();
    audiences.forEach(claims.putArray("aud")::add);
    claims.put("exp", expiry.getEpochSecond());
    claims.put("iat", issuedAt.getEpochSecond());
    claims.put("iss", ISSUER);
    claims.put("jti", UUID.randomUUID().toString());
    ObjectNode k8s = claims.putObject("kubernetes.io");
    k8s.put("namespace", ns);
    nodeName.ifPresent(n -> k8s.putObject("node").put("name", n));
    if (bound != null) {
      ObjectNode b = k8s.putObject(bound.type().kind().toLowerCase(java.util.Locale.ROOT));
      b.put("name", bound.name());
      b.put("uid", bound.uid());
    }
    ObjectNode sa = k8s.putObject("serviceaccount");
    sa.put("name", name);
    sa.put("uid", serviceAccount.uid());
    claims.put("nbf", issuedAt.getEpochSecond());
    claims.put("sub", "system:serviceaccount:" + ns + ":" + name);
    String signingInput =
        B64.encodeToString(Json.bytes(header)) + "." + B64.encodeToString(Json.bytes(claims));
    String token = signingInput + "." + B64.encodeToString(sign(signingInput));
    issued.put(
        token, new Issued(ns, name, serviceAccount.uid(), List.copyOf(audiences), expiry, bound));
    return token;
  }

  /** The identity of a token that is valid now, or empty. */
  public Optional<Identity> authenticate(String token) {
    Issued t = issued.get(token);
    if (t == null) {
      return Optional.empty();
    }
    if (!clock.instant().isBefore(t.expiry())) {
      issued.remove(token);
      return Optional.empty();
    }
    if (!t.audiences().contains(ISSUER)) {
      return Optional.empty();
    }
    if (!exists(serviceAccounts, t.namespace(), t.name(), t.serviceAccountUid())) {
      return Optional.empty();
    }
    Bound b = t.bound();
    if (b != null && !exists(b.type(), t.namespace(), b.name(), b.uid())) {
      return Optional.empty();
    }
    return Optional.of(identity(t.namespace(), t.name()));
  }

  private boolean exists(ResourceType type, String namespace, String name, String uid) {
    String ns = type.namespaced() ? namespace : "";
    return store.get(type, ns, name).map(o -> o.uid().equals(uid)).orElse(false);
  }

  private synchronized byte[] sign(String input) {
    try {
      if (key == null) {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        key = g.generateKeyPair();
      }
      Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
      s.initSign(key.getPrivate());
      s.update(input.getBytes(StandardCharsets.US_ASCII));
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot sign with ES256", e);
    }
  }
}
