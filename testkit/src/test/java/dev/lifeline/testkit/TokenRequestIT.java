package dev.lifeline.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The TokenRequest API and the bound service account tokens it issues. */
class TokenRequestIT {
  /** A clock the test moves forward, so that token expiry needs no waiting. */
  static final class MovableClock extends Clock {
    private volatile Instant now = Instant.parse("2030-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  static final MovableClock CLOCK = new MovableClock();

  @RegisterExtension
  static final FakeControlPlaneExtension cp =
      new FakeControlPlaneExtension(
          FakeControlPlane.builder()
              .instances(1)
              .ephemeralPort()
              .clock(CLOCK)
              .serviceAccountAccess("tokens", "reader", AccessRule.readOnly("configmaps")));

  private static KubeHttp admin;

  @BeforeAll
  static void objects() {
    admin = new KubeHttp(cp, 0, cp.admin().token());
    cp.store()
        .create(
            "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"tokens\"}}");
    for (String sa : new String[] {"reader", "other"}) {
      cp.store()
          .create(
              "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\""
                  + sa
                  + "\",\"namespace\":\"tokens\"}}");
    }
  }

  @AfterAll
  static void close() {
    admin.close();
  }

  private static KubeHttp.Response request(String sa, String spec) {
    return admin.post(
        "/api/v1/namespaces/tokens/serviceaccounts/" + sa + "/token",
        "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\",\"spec\":"
            + spec
            + "}");
  }

  private static String token(String sa, String spec) {
    KubeHttp.Response r = request(sa, spec);
    assertThat(r.code()).as(r.body()).isEqualTo(201);
    return r.json().at("/status/token").asText();
  }

  private static int listConfigMaps(String token) {
    try (KubeHttp http = new KubeHttp(cp, 0, token)) {
      return http.get("/api/v1/namespaces/tokens/configmaps").code();
    }
  }

  @Test
  void aTokenAuthenticatesAsTheServiceAccountWithItsRules() {
    KubeHttp.Response r = request("reader", "{}");

    assertThat(r.code()).isEqualTo(201);
    JsonNode answer = r.json();
    assertThat(answer.path("kind").asText()).isEqualTo("TokenRequest");
    assertThat(answer.at("/spec/audiences").toString())
        .isEqualTo("[\"https://kubernetes.default.svc.cluster.local\"]");
    assertThat(answer.at("/spec/expirationSeconds").asLong()).isEqualTo(3600);
    assertThat(Instant.parse(answer.at("/status/expirationTimestamp").asText()))
        .isEqualTo(CLOCK.instant().plusSeconds(3600));
    String token = answer.at("/status/token").asText();

    JsonNode claims = claims(token);
    assertThat(claims.path("sub").asText()).isEqualTo("system:serviceaccount:tokens:reader");
    assertThat(claims.path("iss").asText())
        .isEqualTo("https://kubernetes.default.svc.cluster.local");
    assertThat(claims.at("/kubernetes.io/serviceaccount/name").asText()).isEqualTo("reader");
    assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(3600);

    try (KubeHttp http = new KubeHttp(cp, 0, token)) {
      assertThat(http.get("/api/v1/namespaces/tokens/configmaps").code()).isEqualTo(200);
      KubeHttp.Response pods = http.get("/api/v1/namespaces/tokens/pods");
      assertThat(pods.code()).isEqualTo(403);
      assertThat(pods.json().path("message").asText())
          .isEqualTo(
              "pods is forbidden: User \"system:serviceaccount:tokens:reader\" cannot list"
                  + " resource \"pods\" in API group \"\" in the namespace \"tokens\"");
    }
    assertThat(cp.instance(0).requestLog())
        .anyMatch(l -> l.user().equals("system:serviceaccount:tokens:reader"));
  }

  @Test
  void aServiceAccountWithoutRulesMayDoNothing() {
    String token = token("other", "{}");

    assertThat(listConfigMaps(token)).isEqualTo(403);
  }

  @Test
  void aTokenExpiresByTheControlPlanesClock() {
    String token = token("reader", "{\"expirationSeconds\":600}");
    assertThat(listConfigMaps(token)).isEqualTo(200);

    CLOCK.advance(Duration.ofSeconds(599));
    assertThat(listConfigMaps(token)).isEqualTo(200);
    CLOCK.advance(Duration.ofSeconds(1));
    assertThat(listConfigMaps(token)).isEqualTo(401);
  }

  @Test
  void anExpirationUnderTenMinutesIsInvalid() {
    KubeHttp.Response r = request("reader", "{\"expirationSeconds\":599}");

    assertThat(r.code()).isEqualTo(422);
    assertThat(r.json().path("message").asText())
        .isEqualTo(
            "TokenRequest.authentication.k8s.io \"\" is invalid: spec.expirationSeconds: Invalid"
                + " value: 599: may not specify a duration less than 10 minutes");
  }

  @Test
  void aMissingServiceAccountIs404() {
    KubeHttp.Response r = request("ghost", "{}");

    assertThat(r.code()).isEqualTo(404);
    assertThat(r.json().path("message").asText()).isEqualTo("serviceaccounts \"ghost\" not found");
  }

  @Test
  void aTokenForAnotherAudienceDoesNotAuthenticateHere() {
    String token = token("reader", "{\"audiences\":[\"vault\"]}");

    assertThat(claims(token).path("aud").toString()).isEqualTo("[\"vault\"]");
    assertThat(listConfigMaps(token)).isEqualTo(401);
  }

  @Test
  void aTokenBoundToAPodDiesWithThePod() {
    JsonNode pod =
        KubeHttp.JSON.valueToTree(
            cp.store()
                .create(
                    "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"bound\","
                        + "\"namespace\":\"tokens\"},\"spec\":{\"serviceAccountName\":\"reader\","
                        + "\"nodeName\":\"node-1\",\"containers\":[{\"name\":\"c\",\"image\":\"x\"}]}}"));
    String uid = pod.at("/metadata/uid").asText();
    String ref =
        "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"name\":\"bound\",\"uid\":\"" + uid + "\"}";

    String token = token("reader", "{\"boundObjectRef\":" + ref + "}");
    JsonNode claims = claims(token);
    assertThat(claims.at("/kubernetes.io/pod/uid").asText()).isEqualTo(uid);
    assertThat(claims.at("/kubernetes.io/node/name").asText()).isEqualTo("node-1");
    assertThat(listConfigMaps(token)).isEqualTo(200);

    KubeHttp.Response wrongAccount = request("other", "{\"boundObjectRef\":" + ref + "}");
    assertThat(wrongAccount.code()).isEqualTo(400);
    assertThat(wrongAccount.json().path("message").asText())
        .isEqualTo(
            "cannot bind token for serviceaccount \"other\" to pod running with different"
                + " serviceaccount name.");
    KubeHttp.Response staleUid =
        request(
            "reader",
            "{\"boundObjectRef\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"name\":\"bound\","
                + "\"uid\":\"00000000-0000-0000-0000-000000000000\"}}");
    assertThat(staleUid.code()).isEqualTo(409);

    cp.store().delete("v1", "Pod", "tokens", "bound");
    assertThat(listConfigMaps(token)).isEqualTo(401);
  }

  private static JsonNode claims(String jwt) {
    String[] parts = jwt.split("\\.");
    assertThat(parts).hasSize(3);
    try {
      return KubeHttp.JSON.readTree(
          new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
