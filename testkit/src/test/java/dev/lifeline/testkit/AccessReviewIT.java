package dev.lifeline.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SelfSubjectAccessReview: the same access rules that authorize requests answer "may I?", with the
 * apiserver's request and response shapes.
 */
class AccessReviewIT {
  private static final String REVIEWS = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";

  @RegisterExtension
  static final FakeControlPlaneExtension cp =
      new FakeControlPlaneExtension(
          FakeControlPlane.builder()
              .instances(1)
              .ephemeralPort()
              .user(
                  "helper",
                  u ->
                      u.allow(
                              new AccessRule(
                                  Set.of("create", "get", "delete"),
                                  Set.of("pods"),
                                  Set.of("probes")))
                          .allow(
                              new AccessRule(Set.of("get"), Set.of("pods/log"), Set.of("probes"))))
              .user("nobody", UserSpec::allowNothing)
              .user("full", u -> {})
              .anonymousAccess(AnonymousAccess.ENABLED));

  private static KubeHttp admin;
  private static KubeHttp helper;
  private static KubeHttp nobody;

  @BeforeAll
  static void connect() {
    admin = new KubeHttp(cp, 0, cp.admin().token());
    helper = new KubeHttp(cp, 0, cp.user("helper").token());
    nobody = new KubeHttp(cp, 0, cp.user("nobody").token());
  }

  @AfterAll
  static void disconnect() {
    admin.close();
    helper.close();
    nobody.close();
  }

  private static String resourceReview(
      String namespace, String verb, String resource, String subresource) {
    return """
        {"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview",
         "spec":{"resourceAttributes":{"namespace":"%s","verb":"%s","resource":"%s",
         "subresource":"%s"}}}"""
        .formatted(namespace, verb, resource, subresource);
  }

  private static JsonNode ask(KubeHttp as, String review) {
    KubeHttp.Response r = as.post(REVIEWS, review);
    assertThat(r.code()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  @Test
  void theAnswerFollowsTheUsersAccessRulesAndEchoesTheRequest() {
    JsonNode create = ask(helper, resourceReview("probes", "create", "pods", ""));
    assertThat(create.path("kind").asText()).isEqualTo("SelfSubjectAccessReview");
    assertThat(create.path("apiVersion").asText()).isEqualTo("authorization.k8s.io/v1");
    assertThat(create.at("/spec/resourceAttributes/verb").asText()).isEqualTo("create");
    assertThat(create.at("/status/allowed").asBoolean()).isTrue();
    assertThat(create.at("/status/reason").asText()).contains("helper");

    assertThat(
            ask(helper, resourceReview("probes", "get", "pods", "log"))
                .at("/status/allowed")
                .asBoolean())
        .isTrue();
    JsonNode elsewhere = ask(helper, resourceReview("kube-system", "create", "pods", ""));
    assertThat(elsewhere.at("/status/allowed").asBoolean()).isFalse();
    assertThat(elsewhere.path("status").has("reason")).isFalse();
    assertThat(
            ask(helper, resourceReview("probes", "create", "pods", "portforward"))
                .at("/status/allowed")
                .asBoolean())
        .isFalse();
    assertThat(
            ask(nobody, resourceReview("probes", "get", "pods", ""))
                .at("/status/allowed")
                .asBoolean())
        .isFalse();
  }

  @Test
  void theAnswerMatchesWhatTheRequestItselfGets() {
    assertThat(helper.get("/api/v1/namespaces/probes/pods/x/log").code()).isNotEqualTo(403);
    assertThat(helper.get("/api/v1/namespaces/kube-system/pods").code()).isEqualTo(403);
    assertThat(
            ask(helper, resourceReview("kube-system", "list", "pods", ""))
                .at("/status/allowed")
                .asBoolean())
        .isFalse();
  }

  @Test
  void mastersAndUsersWithoutRulesMayDoAnything() {
    JsonNode masters = ask(admin, resourceReview("kube-system", "create", "pods", "eviction"));
    assertThat(masters.at("/status/allowed").asBoolean()).isTrue();
    assertThat(masters.at("/status/reason").asText()).contains("system:masters");
    try (KubeHttp full = new KubeHttp(cp, 0, cp.user("full").token())) {
      assertThat(
              ask(full, resourceReview("x", "delete", "nodes", ""))
                  .at("/status/allowed")
                  .asBoolean())
          .isTrue();
    }
  }

  @Test
  void anImpersonatedUserIsReviewedAsThatUser() {
    KubeHttp.Response r =
        admin.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(cp.instance(0).url() + REVIEWS))
                .header("Authorization", "Bearer " + cp.admin().token())
                .header("Impersonate-User", "helper")
                .header("Content-Type", "application/json")
                .POST(
                    java.net.http.HttpRequest.BodyPublishers.ofString(
                        resourceReview("kube-system", "create", "pods", "")))
                .build());
    assertThat(r.code()).isEqualTo(201);
    assertThat(r.json().at("/status/allowed").asBoolean()).isFalse();
  }

  @Test
  void everyAuthenticatedUserMayAskButNotAnonymous() {
    JsonNode self =
        ask(nobody, resourceReview("", "create", "selfsubjectaccessreviews", ""))
            .path("spec")
            .path("resourceAttributes");
    assertThat(self.path("resource").asText()).isEqualTo("selfsubjectaccessreviews");
    try (KubeHttp anonymous = new KubeHttp(cp, 0, null)) {
      KubeHttp.Response r = anonymous.post(REVIEWS, resourceReview("x", "get", "pods", ""));
      assertThat(r.code()).isEqualTo(403);
      assertThat(r.json().path("message").asText())
          .isEqualTo(
              "selfsubjectaccessreviews.authorization.k8s.io is forbidden: User"
                  + " \"system:anonymous\" cannot create resource \"selfsubjectaccessreviews\" in"
                  + " API group \"authorization.k8s.io\" at the cluster scope");
    }
  }

  @Test
  void nonResourcePathsAreReviewedToo() {
    String health =
        """
        {"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview",
         "spec":{"nonResourceAttributes":{"path":"/readyz","verb":"get"}}}""";
    String metrics = health.replace("/readyz", "/metrics");
    assertThat(ask(nobody, health).at("/status/allowed").asBoolean()).isTrue();
    assertThat(ask(nobody, metrics).at("/status/allowed").asBoolean()).isFalse();
    assertThat(ask(admin, metrics).at("/status/allowed").asBoolean()).isTrue();
  }

  @Test
  void aReviewNeedsExactlyOneKindOfAttributes() {
    KubeHttp.Response none =
        helper.post(
            REVIEWS,
            "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectAccessReview\","
                + "\"spec\":{}}");
    assertThat(none.code()).isEqualTo(422);
    assertThat(none.json().path("message").asText())
        .isEqualTo(
            "SelfSubjectAccessReview.authorization.k8s.io \"\" is invalid:"
                + " spec.resourceAttributes: Invalid value: \"null\": exactly one of"
                + " nonResourceAttributes or resourceAttributes must be specified");
    KubeHttp.Response both =
        helper.post(
            REVIEWS,
            "{\"kind\":\"SelfSubjectAccessReview\",\"spec\":{\"resourceAttributes\":{\"verb\":"
                + "\"get\"},\"nonResourceAttributes\":{\"path\":\"/x\",\"verb\":\"get\"}}}");
    assertThat(both.code()).isEqualTo(422);
    assertThat(both.json().at("/details/causes/0/field").asText())
        .isEqualTo("spec.nonResourceAttributes");
  }

  @Test
  void reviewsAreCreatedNotReadAndAreDiscoverable() {
    assertThat(admin.get(REVIEWS).code()).isEqualTo(405);
    assertThat(admin.get("/apis/authorization.k8s.io/v1/subjectaccessreviews").code())
        .isEqualTo(404);
    JsonNode resources = admin.get("/apis/authorization.k8s.io/v1").json();
    assertThat(resources.at("/resources/0/name").asText()).isEqualTo("selfsubjectaccessreviews");
    assertThat(resources.at("/resources/0/verbs").toString()).isEqualTo("[\"create\"]");
    assertThat(admin.get("/apis").json().path("groups").findValuesAsText("name"))
        .contains("authorization.k8s.io");
  }
}
