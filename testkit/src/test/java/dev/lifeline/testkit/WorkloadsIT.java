package dev.lifeline.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code apps/v1} DaemonSets and Deployments (stored, listed and watched with selectors; no
 * controllers), and a LoadBalancer Service's ingress as a cloud controller sets it.
 */
class WorkloadsIT {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension
  static final FakeControlPlaneExtension cp =
      new FakeControlPlaneExtension(FakeControlPlane.builder().instances(1).ephemeralPort());

  private static KubeHttp http;

  @BeforeAll
  static void connect() {
    http = new KubeHttp(cp, 0, cp.admin().token());
  }

  @AfterAll
  static void disconnect() {
    http.close();
  }

  private static String daemonSet(String name, String app) {
    return """
        {"apiVersion":"apps/v1","kind":"DaemonSet",
         "metadata":{"name":"%s","namespace":"kube-system","labels":{"k8s-app":"%s"}},
         "spec":{"selector":{"matchLabels":{"k8s-app":"%s"}},
                 "template":{"metadata":{"labels":{"k8s-app":"%s"}},
                             "spec":{"containers":[{"name":"c","image":"i"}]}}}}"""
        .formatted(name, app, app, app);
  }

  @Test
  void daemonSetsAreStoredListedByLabelAndWatched() throws Exception {
    long rv = cp.store().resourceVersion();
    try (KubeHttp.Watch w =
        http.watch(
            "/apis/apps/v1/namespaces/kube-system/daemonsets?watch=true&resourceVersion=" + rv)) {
      KubeHttp.Response created =
          http.post(
              "/apis/apps/v1/namespaces/kube-system/daemonsets",
              daemonSet("node-local-dns", "node-local-dns"));
      assertThat(created.code()).as(created.body()).isEqualTo(201);
      JsonNode ds = created.json();
      assertThat(ds.at("/metadata/generation").asInt()).isEqualTo(1);
      assertThat(ds.at("/spec/updateStrategy/type").asText()).isEqualTo("RollingUpdate");
      assertThat(ds.at("/status/numberReady").asInt()).isZero();
      http.post("/apis/apps/v1/namespaces/kube-system/daemonsets", daemonSet("other", "other"));

      JsonNode added = w.next(WAIT);
      assertThat(added.path("type").asText()).isEqualTo("ADDED");
      assertThat(added.at("/object/metadata/name").asText()).isEqualTo("node-local-dns");
    }
    assertThat(
            http.get(
                    "/apis/apps/v1/namespaces/kube-system/daemonsets?labelSelector=k8s-app%3Dnode-local-dns")
                .json()
                .path("items"))
        .extracting(i -> i.at("/metadata/name").asText())
        .containsExactly("node-local-dns");
    assertThat(http.get("/apis/apps/v1/namespaces/kube-system/daemonsets/node-local-dns").code())
        .isEqualTo(200);
    assertThat(cp.store().get("apps/v1", "DaemonSet", "kube-system", "other")).isPresent();
  }

  @Test
  void aWorkloadNeedsASelectorThatMatchesItsTemplateAndKeepsIt() {
    KubeHttp.Response noSelector =
        http.post(
            "/apis/apps/v1/namespaces/default/deployments",
            """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
             "spec":{"template":{"metadata":{"labels":{"app":"web"}},
                     "spec":{"containers":[{"name":"c","image":"i"}]}}}}""");
    assertThat(noSelector.code()).isEqualTo(422);
    assertThat(noSelector.json().at("/details/causes/0/field").asText()).isEqualTo("spec.selector");

    KubeHttp.Response mismatch =
        http.post(
            "/apis/apps/v1/namespaces/default/deployments",
            """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
             "spec":{"selector":{"matchLabels":{"app":"web"}},
                     "template":{"metadata":{"labels":{"app":"api"}},
                     "spec":{"containers":[{"name":"c","image":"i"}]}}}}""");
    assertThat(mismatch.code()).isEqualTo(422);
    assertThat(mismatch.json().path("message").asText())
        .contains("spec.template.metadata.labels", "`selector` does not match template `labels`");

    KubeHttp.Response ok =
        http.post(
            "/apis/apps/v1/namespaces/default/deployments",
            """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
             "spec":{"selector":{"matchLabels":{"app":"web"}},
                     "template":{"metadata":{"labels":{"app":"web","tier":"front"}},
                     "spec":{"containers":[{"name":"c","image":"i"}]}}}}""");
    assertThat(ok.code()).as(ok.body()).isEqualTo(201);
    assertThat(ok.json().at("/spec/replicas").asInt()).isEqualTo(1);
    KubeHttp.Response changed =
        http.send(
            "PATCH",
            "/apis/apps/v1/namespaces/default/deployments/web",
            "application/merge-patch+json",
            "{\"spec\":{\"selector\":{\"matchLabels\":{\"tier\":\"front\"}}}}");
    assertThat(changed.code()).isEqualTo(422);
    assertThat(changed.json().path("message").asText()).contains("field is immutable");
  }

  @Test
  void appsIsDiscoverable() {
    JsonNode apps = http.get("/apis/apps/v1").json();
    assertThat(apps.path("resources").findValuesAsText("name"))
        .contains("daemonsets", "daemonsets/status", "deployments", "deployments/status");
  }

  @Test
  void aCloudControllersIngressReachesReadersAndWatchers() throws Exception {
    cp.store()
        .create(
            """
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"dns-lb","namespace":"default"},
             "spec":{"type":"LoadBalancer","selector":{"app":"dns"},
                     "ports":[{"name":"dns","protocol":"UDP","port":53}]}}""");
    assertThat(http.get("/api/v1/namespaces/default/services/dns-lb").json().at("/status"))
        .hasToString("{\"loadBalancer\":{}}");
    long rv = cp.store().resourceVersion();
    try (KubeHttp.Watch w =
        http.watch(
            "/api/v1/namespaces/default/services?watch=true&fieldSelector=metadata.name%3Ddns-lb"
                + "&resourceVersion="
                + rv)) {
      cp.setLoadBalancerIngress("default", "dns-lb", "203.0.113.53");

      JsonNode modified = w.next(WAIT);
      assertThat(modified.path("type").asText()).isEqualTo("MODIFIED");
      assertThat(modified.at("/object/status/loadBalancer/ingress/0/ip").asText())
          .isEqualTo("203.0.113.53");
      assertThat(modified.at("/object/status/loadBalancer/ingress/0/ipMode").asText())
          .isEqualTo("VIP");
    }

    // The same through the status subresource, as the service controller writes it.
    JsonNode svc = http.get("/api/v1/namespaces/default/services/dns-lb").json();
    ((com.fasterxml.jackson.databind.node.ObjectNode) svc.at("/status/loadBalancer/ingress/0"))
        .put("ip", "203.0.113.54");
    KubeHttp.Response put =
        http.put("/api/v1/namespaces/default/services/dns-lb/status", svc.toString());
    assertThat(put.code()).as(put.body()).isEqualTo(200);
    assertThat(put.json().at("/status/loadBalancer/ingress/0/ip").asText())
        .isEqualTo("203.0.113.54");

    cp.setLoadBalancerIngress("default", "dns-lb");
    assertThat(http.get("/api/v1/namespaces/default/services/dns-lb").json().at("/status"))
        .hasToString("{\"loadBalancer\":{}}");
  }

  @Test
  void onlyALoadBalancerServiceGetsAnIngress() {
    cp.store()
        .create(
            """
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"plain","namespace":"default"},
             "spec":{"selector":{"app":"x"},"ports":[{"port":80}]}}""");
    assertThatThrownBy(() -> cp.setLoadBalancerIngress("default", "plain", "203.0.113.1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "service default/plain is of type ClusterIP; only a LoadBalancer Service gets a load"
                + " balancer ingress");
    assertThatThrownBy(() -> cp.setLoadBalancerIngress("default", "missing", "203.0.113.1"))
        .isInstanceOf(KubeApiException.class);
    assertThatThrownBy(() -> cp.setLoadBalancerIngress("default", "plain", "lb.example"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'lb.example'");
  }
}
