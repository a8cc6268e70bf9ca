package dev.lifeline.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bad input and refused requests get the codes, reasons and Status shapes the real apiserver
 * answers with.
 */
class ApiErrorsIT {
  @RegisterExtension
  static final FakeControlPlaneExtension cp =
      new FakeControlPlaneExtension(
          FakeControlPlane.builder()
              .instances(1)
              .ephemeralPort()
              .tooLargeResourceVersionWait(Duration.ofMillis(200))
              .watchHistorySize(3)
              .user("viewer", u -> u.token("viewer-token").allow(AccessRule.readOnly("pods")))
              .user("alice", u -> u.token("alice-token").allow(AccessRule.impersonation())));

  private static KubeHttp admin;
  private static final String POD =
      "{\"metadata\":{\"name\":\"%s\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}";

  @BeforeAll
  static void connect() {
    admin = new KubeHttp(cp, 0, cp.admin().token());
  }

  @AfterAll
  static void disconnect() {
    admin.close();
  }

  private static void assertStatus(KubeHttp.Response r, int code, String reason, String message) {
    assertThat(r.code()).as(r.body()).isEqualTo(code);
    assertThat(r.header("content-type")).isEqualTo("application/json");
    JsonNode s = r.json();
    assertThat(s.path("kind").asText()).isEqualTo("Status");
    assertThat(s.path("apiVersion").asText()).isEqualTo("v1");
    assertThat(s.path("metadata").isObject()).isTrue();
    assertThat(s.path("status").asText()).isEqualTo("Failure");
    assertThat(s.path("reason").asText()).isEqualTo(reason);
    assertThat(s.path("code").asInt()).isEqualTo(code);
    assertThat(s.path("message").asText()).startsWith(message);
  }

  @Test
  void malformedJsonIsABadRequest() {
    KubeHttp.Response r = admin.post("/api/v1/namespaces/default/pods", "{\"metadata\": nope");
    assertStatus(
        r,
        400,
        "BadRequest",
        "the object provided is unrecognized (must be of type Pod): couldn't get version/kind; json"
            + " parse error: ");
    assertThat(r.json().path("message").asText()).endsWith("({\"metadata\": nope)");
  }

  @Test
  void unknownResourcesAndGroupsAreNotFoundWithEmptyDetails() {
    KubeHttp.Response r = admin.get("/api/v1/namespaces/default/foos");
    assertStatus(r, 404, "NotFound", "the server could not find the requested resource");
    assertThat(r.json().path("details").isObject()).isTrue();
    assertThat(r.json().path("details").isEmpty()).isTrue();
    assertStatus(
        admin.get("/apis/example.com/v1/widgets"),
        404,
        "NotFound",
        "the server could not find the requested resource");
  }

  @Test
  void aMissingObjectIsNotFoundWithItsDetails() {
    KubeHttp.Response r = admin.get("/apis/coordination.k8s.io/v1/namespaces/default/leases/nope");
    assertStatus(r, 404, "NotFound", "leases.coordination.k8s.io \"nope\" not found");
    assertThat(r.json().path("details"))
        .isEqualTo(
            KubeHttp.JSON
                .createObjectNode()
                .put("name", "nope")
                .put("group", "coordination.k8s.io")
                .put("kind", "leases"));
  }

  @Test
  void badSelectorsAreBadRequests() {
    assertStatus(
        admin.get("/api/v1/pods?labelSelector=app%20in%20web"),
        400,
        "BadRequest",
        "unable to parse requirement: found 'web' expected: '('");
    assertStatus(
        admin.get("/api/v1/pods?fieldSelector=spec.foo%3Dbar"),
        400,
        "BadRequest",
        "field label not supported: spec.foo");
    assertStatus(
        admin.get("/api/v1/configmaps?fieldSelector=data.x%3Dbar"),
        400,
        "BadRequest",
        "\"data.x\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"");
  }

  @Test
  void invalidResourceVersionMatchCombinationsAreInvalidListOptions() {
    KubeHttp.Response noRv = admin.get("/api/v1/pods?resourceVersionMatch=Exact");
    assertStatus(
        noRv,
        422,
        "Invalid",
        "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch"
            + " is forbidden unless resourceVersion is provided");
    assertThat(noRv.json().at("/details/causes/0/reason").asText())
        .isEqualTo("FieldValueForbidden");
    assertStatus(
        admin.get("/api/v1/pods?resourceVersion=0&resourceVersionMatch=Exact"),
        422,
        "Invalid",
        "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch"
            + " \"exact\" is forbidden for resourceVersion \"0\"");
    KubeHttp.Response unsupported =
        admin.get("/api/v1/pods?resourceVersion=1&resourceVersionMatch=Newest");
    assertStatus(
        unsupported,
        422,
        "Invalid",
        "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Unsupported value: \"Newest\":"
            + " supported values: \"Exact\", \"NotOlderThan\", \"\"");
    assertThat(unsupported.json().at("/details/causes/0/reason").asText())
        .isEqualTo("FieldValueNotSupported");
    assertStatus(
        admin.get("/api/v1/pods?sendInitialEvents=true"),
        422,
        "Invalid",
        "ListOptions.meta.k8s.io \"\" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is"
            + " forbidden for list");
    assertStatus(
        admin.get("/api/v1/pods?watch=true&resourceVersionMatch=NotOlderThan"),
        422,
        "Invalid",
        "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch"
            + " is forbidden for watch unless sendInitialEvents is provided");
    assertStatus(
        admin.get("/api/v1/pods?watch=true&sendInitialEvents=true&resourceVersionMatch=Exact"),
        422,
        "Invalid",
        "ListOptions.meta.k8s.io \"\" is invalid: [resourceVersionMatch: Forbidden: sendInitialEvents"
            + " requires setting resourceVersionMatch to NotOlderThan, resourceVersionMatch: Unsupported"
            + " value: \"Exact\": supported values: \"NotOlderThan\"]");
  }

  @Test
  void versionsOutsideTheStoreAreExpiredOrTooLarge() {
    long old = cp.store().resourceVersion();
    for (int i = 0; i < 5; i++) {
      cp.store()
          .create(
              "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"old-"
                  + i
                  + "\",\"namespace\":\"default\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}");
    }
    assertStatus(
        admin.get("/api/v1/pods?resourceVersion=" + old + "&resourceVersionMatch=Exact"),
        410,
        "Expired",
        "The resourceVersion for the provided list is too old.");
    long future = cp.store().resourceVersion() + 100;
    KubeHttp.Response tooLarge =
        admin.get("/api/v1/pods?resourceVersion=" + future + "&resourceVersionMatch=NotOlderThan");
    assertStatus(
        tooLarge, 504, "Timeout", "Timeout: Too large resource version: " + future + ", current: ");
    assertThat(tooLarge.header("retry-after")).isEqualTo("1");
    assertThat(tooLarge.json().at("/details/causes/0/reason").asText())
        .isEqualTo("ResourceVersionTooLarge");
    assertStatus(
        admin.get("/api/v1/pods?limit=1&continue=abc&resourceVersion=5"),
        400,
        "BadRequest",
        "specifying resource version is not allowed when using continue");
    assertStatus(
        admin.get("/api/v1/pods?limit=1&continue=abc"),
        400,
        "BadRequest",
        "continue key is not valid");
  }

  @Test
  void methodsARouteDoesNotTakeAreNotAllowed() {
    assertStatus(
        admin.put("/api/v1/namespaces/default/pods", "{}"),
        405,
        "MethodNotAllowed",
        "the server does not allow this method on the requested resource");
    assertStatus(
        admin.post("/api/v1/pods", String.format(POD, "x")),
        405,
        "MethodNotAllowed",
        "the server does not allow this method on the requested resource");
  }

  @Test
  void unsupportedMediaTypesAre406And415() {
    KubeHttp.Response protobufOnly =
        admin.send(
            HttpRequest.newBuilder(URI.create(cp.instance(0).url() + "/api/v1/pods"))
                .header("Authorization", "Bearer " + cp.admin().token())
                .header("Accept", "application/vnd.kubernetes.protobuf")
                .GET()
                .build());
    assertStatus(
        protobufOnly, 406, "NotAcceptable", "only the following media types are accepted: ");
    assertStatus(
        admin.send(
            "POST", "/api/v1/namespaces/default/pods", "application/vnd.kubernetes.protobuf", "x"),
        415,
        "UnsupportedMediaType",
        "the body of the request was in an unknown format - accepted media types include: ");
    assertStatus(
        admin.send(
            "PATCH", "/api/v1/namespaces/default/pods/x", "application/apply-patch+yaml", "a: b"),
        415,
        "UnsupportedMediaType",
        "the body of the request was in an unknown format - accepted media types include:"
            + " application/json-patch+json, application/merge-patch+json,"
            + " application/strategic-merge-patch+json");
  }

  @Test
  void conflictsAndAlreadyExistsAre409() {
    KubeHttp.Response first =
        admin.post("/api/v1/namespaces/default/pods", String.format(POD, "twice"));
    assertThat(first.code()).isEqualTo(201);
    assertStatus(
        admin.post("/api/v1/namespaces/default/pods", String.format(POD, "twice")),
        409,
        "AlreadyExists",
        "pods \"twice\" already exists");
    JsonNode pod = first.json();
    String stale = pod.toString().replace("\"resourceVersion\":\"", "\"resourceVersion\":\"1");
    assertStatus(
        admin.put("/api/v1/namespaces/default/pods/twice", stale),
        409,
        "Conflict",
        "Operation cannot be fulfilled on pods \"twice\": the object has been modified; please apply"
            + " your changes to the latest version and try again");
    assertStatus(
        admin.send(
            "DELETE",
            "/api/v1/namespaces/default/pods/twice",
            "application/json",
            "{\"preconditions\":{\"uid\":\"not-it\"}}"),
        409,
        "Conflict",
        "Operation cannot be fulfilled on pods \"twice\": Precondition failed: UID in precondition: not-it");
  }

  @Test
  void invalidObjectsAre422WithCauses() {
    KubeHttp.Response r =
        admin.post(
            "/api/v1/namespaces/default/pods",
            "{\"metadata\":{\"name\":\"Bad_Name\"},\"spec\":{}}");
    assertStatus(
        r,
        422,
        "Invalid",
        "Pod \"Bad_Name\" is invalid: [metadata.name: Invalid value: \"Bad_Name\"");
    assertThat(r.json().at("/details/kind").asText()).isEqualTo("Pod");
    assertThat(r.json().at("/details/causes")).hasSize(2);
    assertThat(r.json().at("/details/causes/1/field").asText()).isEqualTo("spec.containers");
    assertStatus(
        admin.post("/api/v1/namespaces/default/configmaps", "{\"metadata\":{}}"),
        422,
        "Invalid",
        "ConfigMap \"\" is invalid: metadata.name: Required value: name or generateName is required");
  }

  @Test
  void aJsonPatchThatDoesNotApplyIs422() {
    admin.post("/api/v1/namespaces/default/pods", String.format(POD, "patched"));
    assertStatus(
        admin.send(
            "PATCH",
            "/api/v1/namespaces/default/pods/patched",
            "application/json-patch+json",
            "[{\"op\":\"test\",\"path\":\"/metadata/name\",\"value\":\"other\"}]"),
        422,
        "Invalid",
        "the server rejected our request due to an error in our request");
  }

  @Test
  void aNameMismatchIsABadRequest() {
    admin.post("/api/v1/namespaces/default/pods", String.format(POD, "named"));
    assertStatus(
        admin.put("/api/v1/namespaces/default/pods/named", String.format(POD, "other")),
        400,
        "BadRequest",
        "the name of the object (other) does not match the name on the URL (named)");
  }

  @Test
  void badCredentialsAre401AndMissingPermissions403() {
    try (KubeHttp nobody = new KubeHttp(cp, 0, "wrong-token");
        KubeHttp anonymous = new KubeHttp(cp, 0, null);
        KubeHttp viewer = new KubeHttp(cp, 0, "viewer-token")) {
      assertStatus(nobody.get("/api/v1/pods"), 401, "Unauthorized", "Unauthorized");
      assertStatus(anonymous.get("/api/v1/pods"), 401, "Unauthorized", "Unauthorized");
      assertThat(anonymous.get("/readyz").code()).isEqualTo(200);
      assertThat(anonymous.get("/version").json().path("gitVersion").asText()).startsWith("v1.");
      assertThat(viewer.get("/api/v1/namespaces/default/pods").code()).isEqualTo(200);
      assertStatus(
          viewer.get("/api/v1/namespaces/default/configmaps"),
          403,
          "Forbidden",
          "configmaps is forbidden: User \"viewer\" cannot list resource \"configmaps\" in API group \"\""
              + " in the namespace \"default\"");
      assertStatus(
          viewer.get("/apis/discovery.k8s.io/v1/endpointslices"),
          403,
          "Forbidden",
          "endpointslices.discovery.k8s.io is forbidden: User \"viewer\" cannot list resource"
              + " \"endpointslices\" in API group \"discovery.k8s.io\" at the cluster scope");
      assertStatus(
          viewer.post("/api/v1/namespaces/default/pods/x/eviction", "{}"),
          403,
          "Forbidden",
          "pods \"x\" is forbidden: User \"viewer\" cannot create resource \"pods/eviction\" in API group"
              + " \"\" in the namespace \"default\"");
      assertThat(viewer.get("/api").code()).isEqualTo(200);
    }
  }

  @Test
  void impersonationIsHonouredForUsersAllowedToImpersonate() {
    HttpRequest asViewer =
        HttpRequest.newBuilder(
                URI.create(cp.instance(0).url() + "/api/v1/namespaces/default/configmaps"))
            .header("Authorization", "Bearer alice-token")
            .header("Impersonate-User", "viewer")
            .GET()
            .build();
    assertStatus(
        admin.send(asViewer),
        403,
        "Forbidden",
        "configmaps is forbidden: User \"viewer\" cannot list resource \"configmaps\"");
    HttpRequest byViewer =
        HttpRequest.newBuilder(URI.create(cp.instance(0).url() + "/api/v1/pods"))
            .header("Authorization", "Bearer viewer-token")
            .header("Impersonate-User", "admin")
            .GET()
            .build();
    assertStatus(
        admin.send(byViewer),
        403,
        "Forbidden",
        "users \"admin\" is forbidden: User \"viewer\" cannot impersonate resource \"users\" in API group"
            + " \"\" at the cluster scope");
  }

  @Test
  void tooLargeBodiesAre413() {
    String big =
        "{\"metadata\":{\"name\":\"big\"},\"data\":{\"x\":\""
            + "y".repeat(3 * 1024 * 1024 + 10)
            + "\"}}";
    KubeHttp.Response r = admin.post("/api/v1/namespaces/default/configmaps", big);
    assertThat(r.code()).isEqualTo(413);
    assertThat(r.json().path("reason").asText()).isEqualTo("RequestEntityTooLarge");
  }
}
