package dev.lifeline.client.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import dev.lifeline.client.Projection;
import dev.lifeline.client.ResourceType;
import dev.lifeline.client.internal.RealResourceType;
import dev.lifeline.client.internal.json.Json;
import dev.lifeline.client.model.BinaryData;
import dev.lifeline.client.model.Condition;
import dev.lifeline.client.model.ConfigMap;
import dev.lifeline.client.model.EndpointSlice;
import dev.lifeline.client.model.Endpoints;
import dev.lifeline.client.model.Event;
import dev.lifeline.client.model.GenericObject;
import dev.lifeline.client.model.IntOrString;
import dev.lifeline.client.model.KubeObject;
import dev.lifeline.client.model.LabelSelector;
import dev.lifeline.client.model.Lease;
import dev.lifeline.client.model.Namespace;
import dev.lifeline.client.model.ObjectMeta;
import dev.lifeline.client.model.ObjectReference;
import dev.lifeline.client.model.OwnerReference;
import dev.lifeline.client.model.Pod;
import dev.lifeline.client.model.PodDisruptionBudget;
import dev.lifeline.client.model.Secret;
import dev.lifeline.client.model.Service;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelCodecTest {
  static final String POD_JSON =
      "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"dns-1\",\"namespace\":\"kube-system\","
          + "\"uid\":\"6b5d1c1e-8f0a-4c47-9d43-2b1f0a4e7c11\",\"resourceVersion\":\"123456\","
          + "\"generateName\":\"dns-\",\"creationTimestamp\":\"2024-05-01T10:00:00Z\","
          + "\"labels\":{\"k8s-app\":\"kube-dns\",\"pod-template-hash\":\"5d4f\"},"
          + "\"annotations\":{\"kubectl.kubernetes.io/last-applied-configuration\":\"{...}\"},"
          + "\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"name\":\"dns-5d4f\","
          + "\"uid\":\"0f0f0f0f-0000-4000-8000-000000000001\",\"controller\":true,\"blockOwnerDeletion\":true}],"
          + "\"managedFields\":[{\"manager\":\"kubelet\",\"fieldsV1\":{\"f:status\":{\"f:phase\":{}}}}]},"
          + "\"spec\":{\"nodeName\":\"node-a\",\"serviceAccountName\":\"coredns\",\"hostNetwork\":false,"
          + "\"containers\":[{\"name\":\"coredns\",\"image\":\"coredns:1.11\",\"args\":[\"-conf\"],"
          + "\"resources\":{\"limits\":{\"memory\":\"170Mi\"}}}],\"volumes\":[{\"name\":\"config\"}]},"
          + "\"status\":{\"phase\":\"Running\",\"podIP\":\"10.244.1.7\",\"podIPs\":[{\"ip\":\"10.244.1.7\"},"
          + "{\"ip\":\"fd00::7\"}],\"hostIP\":\"192.168.1.10\",\"startTime\":\"2024-05-01T10:00:02Z\","
          + "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"lastTransitionTime\":\"2024-05-01T10:00:09Z\"},"
          + "{\"type\":\"PodScheduled\",\"status\":\"True\"}],"
          + "\"containerStatuses\":[{\"name\":\"coredns\",\"ready\":true,\"restartCount\":3,\"started\":true,"
          + "\"image\":\"coredns:1.11\",\"state\":{\"running\":{\"startedAt\":\"2024-05-01T10:00:05Z\"}}}],"
          + "\"qosClass\":\"Burstable\"}}";

  static <T extends KubeObject> T read(ResourceType<T> type, String json) {
    try (JsonParser p = Json.parser(json.getBytes(StandardCharsets.UTF_8))) {
      p.nextToken();
      return RealResourceType.codec(type).reader().read(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static <T extends KubeObject> String write(ResourceType<T> type, T object) {
    return new String(
        Json.write(out -> RealResourceType.codec(type).writer().write(out, object)),
        StandardCharsets.UTF_8);
  }

  static <T extends KubeObject> T roundTrip(ResourceType<T> type, T object) {
    return read(type, write(type, object));
  }

  @Test
  void aPodIsDecodedWithTheFieldsLifelineNeedsAndNothingElse() {
    Pod pod = read(ResourceType.POD, POD_JSON);

    assertThat(pod.name()).isEqualTo("dns-1");
    assertThat(pod.namespace()).isEqualTo("kube-system");
    assertThat(pod.metadata().uid()).isEqualTo("6b5d1c1e-8f0a-4c47-9d43-2b1f0a4e7c11");
    assertThat(pod.metadata().resourceVersion()).isEqualTo("123456");
    assertThat(pod.labels()).containsEntry("k8s-app", "kube-dns").hasSize(2);
    assertThat(pod.metadata().controller().name()).isEqualTo("dns-5d4f");
    assertThat(pod.metadata().creationTimestamp()).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
    assertThat(pod.nodeName()).isEqualTo("node-a");
    assertThat(pod.containers()).containsExactly(new Pod.Container("coredns", "coredns:1.11"));
    assertThat(pod.phase()).isEqualTo("Running");
    assertThat(pod.podIP()).isEqualTo("10.244.1.7");
    assertThat(pod.podIPs()).containsExactly("10.244.1.7", "fd00::7");
    assertThat(pod.isReady()).isTrue();
    assertThat(pod.restartCount()).isEqualTo(3);
    assertThat(pod.containerStatuses().get(0).ready()).isTrue();
  }

  @Test
  void aProjectionKeepsOnlyItsFieldsAndTheIdentity() {
    ResourceType<Pod> pods =
        ResourceType.POD.withProjection(
            Projection.of("metadata.labels", "spec.nodeName", "status.podIP", "status.phase"));

    Pod pod = read(pods, POD_JSON);

    assertThat(pod.name()).isEqualTo("dns-1");
    assertThat(pod.namespace()).isEqualTo("kube-system");
    assertThat(pod.metadata().uid()).isNotNull();
    assertThat(pod.metadata().resourceVersion()).isEqualTo("123456");
    assertThat(pod.labels()).hasSize(2);
    assertThat(pod.nodeName()).isEqualTo("node-a");
    assertThat(pod.podIP()).isEqualTo("10.244.1.7");
    assertThat(pod.phase()).isEqualTo("Running");
    assertThat(pod.metadata().annotations()).isEmpty();
    assertThat(pod.metadata().ownerReferences()).isEmpty();
    assertThat(pod.metadata().creationTimestamp()).isNull();
    assertThat(pod.containers()).isEmpty();
    assertThat(pod.conditions()).isEmpty();
    assertThat(pod.podIPs()).isEmpty();
    assertThat(pod.hostIP()).isNull();
  }

  @Test
  void projectionsReachIntoListsOfObjects() {
    Pod pod =
        read(
            ResourceType.POD.withProjection(Projection.of("status.containerStatuses.restartCount")),
            POD_JSON);
    assertThat(pod.containerStatuses()).hasSize(1);
    assertThat(pod.containerStatuses().get(0).restartCount()).isEqualTo(3);
    assertThat(pod.containerStatuses().get(0).name()).isNull();
  }

  @Test
  void aProjectionOfAnUnknownFieldFailsAtOnceNamingTheKnownOnes() {
    assertThatThrownBy(() -> ResourceType.POD.withProjection(Projection.of("spec.nodname")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("projection of Pod: unknown field 'spec.nodname'")
        .hasMessageContaining("nodeName");
    assertThatThrownBy(() -> ResourceType.POD.withProjection(Projection.of("status.phase.x")))
        .hasMessageContaining("'status.phase' is kept whole");
    assertThatThrownBy(() -> Projection.of("status..phase"))
        .hasMessageContaining("expected field names separated by dots");
  }

  @Test
  void repeatedStringsAreSharedAcrossObjects() {
    Pod a = read(ResourceType.POD, POD_JSON);
    Pod b = read(ResourceType.POD, POD_JSON.replace("dns-1", "dns-2"));
    assertThat(b.namespace()).isSameAs(a.namespace());
    assertThat(b.nodeName()).isSameAs(a.nodeName());
    assertThat(b.phase()).isSameAs(a.phase());
    assertThat(b.labels().get("k8s-app")).isSameAs(a.labels().get("k8s-app"));
  }

  @Test
  void opaqueUidsAndResourceVersionsComeBackExactlyAsSent() {
    for (String rv : new String[] {"0", "42", "007", "999999999999999999999", "abc", "-1"}) {
      for (String uid :
          new String[] {
            "6b5d1c1e-8f0a-4c47-9d43-2b1f0a4e7c11", "6B5D1C1E-8F0A-4C47-9D43-2B1F0A4E7C11", "x"
          }) {
        ObjectMeta meta = ObjectMeta.builder().name("n").uid(uid).resourceVersion(rv).build();
        assertThat(meta.resourceVersion()).isEqualTo(rv);
        assertThat(meta.uid()).isEqualTo(uid);
        assertThat(meta.hasResourceVersion(ObjectMeta.builder().resourceVersion(rv).build()))
            .isTrue();
      }
    }
    ObjectMeta none = ObjectMeta.builder().name("n").build();
    assertThat(none.uid()).isNull();
    assertThat(none.resourceVersion()).isNull();
  }

  @Test
  void containerPortsAreDecodedSoThatANamedTargetPortResolves() {
    Pod pod =
        read(
            ResourceType.POD,
            POD_JSON.replace(
                "\"args\":[\"-conf\"],",
                "\"args\":[\"-conf\"],\"ports\":[{\"name\":\"dns\",\"containerPort\":5353,"
                    + "\"protocol\":\"UDP\"},{\"name\":\"dns-tcp\",\"containerPort\":5353,"
                    + "\"protocol\":\"TCP\"},{\"name\":\"metrics\",\"containerPort\":9153}],"));

    assertThat(pod.containers().get(0).ports())
        .containsExactly(
            new Pod.ContainerPort("dns", 5353, "UDP"),
            new Pod.ContainerPort("dns-tcp", 5353, "TCP"),
            new Pod.ContainerPort("metrics", 9153, null));
    assertThat(pod.portNumber("dns", "UDP")).hasValue(5353);
    assertThat(pod.portNumber("dns", "TCP")).isEmpty();
    assertThat(pod.portNumber("metrics", null)).hasValue(9153);
    assertThat(pod.portNumber("metrics", "TCP")).hasValue(9153);
    assertThat(pod.portNumber("health", "TCP")).isEmpty();
    assertThat(roundTrip(ResourceType.POD, pod)).isEqualTo(pod);
    assertThat(
            read(
                    ResourceType.POD.withProjection(Projection.of("spec.containers.ports")),
                    write(ResourceType.POD, pod))
                .portNumber("dns-tcp", "TCP"))
        .hasValue(5353);
  }

  @Test
  void aPodSurvivesARoundTrip() {
    Pod pod = read(ResourceType.POD, POD_JSON);
    assertThat(roundTrip(ResourceType.POD, pod)).isEqualTo(pod);
  }

  @Test
  void aLeaseIsWrittenWithMicrosecondTimesAndReadBack() {
    Lease lease =
        Lease.builder()
            .metadata(ObjectMeta.of("kube-system", "lifeline-dnscheck"))
            .holderIdentity("pod-a")
            .leaseDurationSeconds(15)
            .acquireTime(Instant.parse("2024-05-01T10:00:00.123456789Z"))
            .renewTime(Instant.parse("2024-05-01T10:00:05.5Z"))
            .leaseTransitions(2)
            .build();

    String json = write(ResourceType.LEASE, lease);

    assertThat(json)
        .contains("\"apiVersion\":\"coordination.k8s.io/v1\",\"kind\":\"Lease\"")
        .contains("\"acquireTime\":\"2024-05-01T10:00:00.123456Z\"")
        .contains("\"renewTime\":\"2024-05-01T10:00:05.500000Z\"");
    Lease back = read(ResourceType.LEASE, json);
    assertThat(back.holderIdentity()).isEqualTo("pod-a");
    assertThat(back.acquireTime()).isEqualTo(Instant.parse("2024-05-01T10:00:00.123456Z"));
    assertThat(back.toBuilder().build()).isEqualTo(back);
  }

  @Test
  void anEventIsWrittenAsKubectlDescribeShowsIt() {
    Event event =
        Event.builder()
            .metadata(
                ObjectMeta.builder().namespace("kube-system").generateName("coredns-").build())
            .involvedObject(ObjectReference.of("Pod", "kube-system", "coredns-1"))
            .reason("DnsPodRestarted")
            .message("evicted after 5 failed checks")
            .type("Warning")
            .source("lifeline-dnscheck", "node-a")
            .firstTimestamp(Instant.parse("2024-05-01T10:00:00Z"))
            .lastTimestamp(Instant.parse("2024-05-01T10:00:00Z"))
            .count(1)
            .eventTime(Instant.parse("2024-05-01T10:00:00.000001Z"))
            .reporting("lifeline-dnscheck", "pod-a")
            .action("Evict")
            .build();

    String json = write(ResourceType.EVENT, event);

    assertThat(json).contains("\"eventTime\":\"2024-05-01T10:00:00.000001Z\"");
    assertThat(json).contains("\"firstTimestamp\":\"2024-05-01T10:00:00Z\"");
    assertThat(json)
        .contains("\"source\":{\"component\":\"lifeline-dnscheck\",\"host\":\"node-a\"}");
    assertThat(roundTrip(ResourceType.EVENT, event)).isEqualTo(event);
  }

  @Test
  void configMapsAndSecretsKeepTextAndBinaryData() {
    ConfigMap cm =
        new ConfigMap(
            ObjectMeta.of("default", "cfg"),
            Map.of("Corefile", ".:53 {\n  forward . /etc/resolv.conf\n}\n"),
            BinaryData.of(Map.of("blob", new byte[] {0, 1, 2, (byte) 255})),
            true);
    assertThat(roundTrip(ResourceType.CONFIG_MAP, cm)).isEqualTo(cm);

    Secret secret =
        Secret.of(
            ObjectMeta.of("default", "creds"), BinaryData.ofStrings(Map.of("password", "hunter2")));
    String json = write(ResourceType.SECRET, secret);
    assertThat(json).contains("\"password\":\"aHVudGVyMg==\"").contains("\"type\":\"Opaque\"");
    Secret back = read(ResourceType.SECRET, json);
    assertThat(back.string("password")).isEqualTo("hunter2");
    assertThat(back).isEqualTo(secret);
  }

  @Test
  void secretValuesNeverAppearInToString() {
    Secret secret =
        Secret.of(
            ObjectMeta.of("default", "creds"), BinaryData.ofStrings(Map.of("password", "hunter2")));
    assertThat(secret.toString())
        .contains("password")
        .doesNotContain("hunter2")
        .doesNotContain("aHVudGVy");
  }

  @Test
  void servicesEndpointSlicesAndEndpointsSurviveARoundTrip() {
    Service service =
        Service.builder()
            .metadata(ObjectMeta.of("kube-system", "kube-dns"))
            .type("ClusterIP")
            .clusterIP("10.96.0.10")
            .addClusterIP("10.96.0.10")
            .addIpFamily("IPv4")
            .addPort(Service.Port.udp("dns", 53))
            .addPort(
                new Service.Port("metrics", "TCP", 9153, IntOrString.of("metrics"), null, null))
            .selector(Map.of("k8s-app", "kube-dns"))
            .build();
    assertThat(roundTrip(ResourceType.SERVICE, service)).isEqualTo(service);

    EndpointSlice slice =
        EndpointSlice.builder()
            .metadata(
                ObjectMeta.builder()
                    .namespace("default")
                    .name("kubernetes")
                    .labels(Map.of(EndpointSlice.SERVICE_NAME_LABEL, "kubernetes"))
                    .build())
            .addEndpoint(EndpointSlice.Endpoint.ready("127.0.0.2"))
            .addEndpoint(
                new EndpointSlice.Endpoint(
                    List.of("127.0.0.3"),
                    null,
                    null,
                    true,
                    "node-b",
                    "zone-1",
                    null,
                    ObjectReference.of("Pod", "default", "apiserver-b")))
            .addPort(new EndpointSlice.Port("https", "TCP", 6443, null))
            .build();
    EndpointSlice back = roundTrip(ResourceType.ENDPOINT_SLICE, slice);
    assertThat(back).isEqualTo(slice);
    assertThat(back.endpoints().get(1).isReady()).isTrue();
    assertThat(back.endpoints().get(1).isTerminating()).isTrue();

    Endpoints endpoints =
        Endpoints.of(
            ObjectMeta.of("default", "kubernetes"),
            List.of(
                new Endpoints.Subset(
                    List.of(Endpoints.Address.of("127.0.0.2")),
                    List.of(new Endpoints.Address("127.0.0.4", null, "node-c", null)),
                    List.of(new Endpoints.Port("https", 6443, "TCP", null)))));
    assertThat(roundTrip(ResourceType.ENDPOINTS, endpoints)).isEqualTo(endpoints);
  }

  @Test
  void podDisruptionBudgetsAndNamespacesSurviveARoundTrip() {
    PodDisruptionBudget pdb =
        new PodDisruptionBudget(
            ObjectMeta.of("kube-system", "coredns"),
            IntOrString.of("50%"),
            null,
            new LabelSelector(
                Map.of("k8s-app", "kube-dns"),
                List.of(new LabelSelector.Requirement("tier", "In", List.of("a", "b")))),
            "AlwaysAllow",
            2,
            1,
            1,
            2,
            4,
            List.of(Condition.of("DisruptionAllowed", true)));
    assertThat(roundTrip(ResourceType.POD_DISRUPTION_BUDGET, pdb)).isEqualTo(pdb);
    assertThat(pdb.selector().matches(Map.of("k8s-app", "kube-dns", "tier", "a"))).isTrue();
    assertThat(pdb.selector().matches(Map.of("k8s-app", "kube-dns", "tier", "c"))).isFalse();

    Namespace ns = new Namespace(ObjectMeta.of(null, "team-a"), "Active");
    assertThat(roundTrip(ResourceType.NAMESPACE, ns)).isEqualTo(ns);
  }

  @Test
  void ownerReferencesAndFinalizersAreWritten() {
    ObjectMeta meta =
        ObjectMeta.builder()
            .namespace("a")
            .name("b")
            .ownerReferences(
                List.of(new OwnerReference("apps/v1", "ReplicaSet", "rs", "u-1", true, null)))
            .finalizers(List.of("lifeline.dev/cleanup"))
            .build();
    ConfigMap cm = ConfigMap.of(meta, Map.of());
    assertThat(roundTrip(ResourceType.CONFIG_MAP, cm).metadata()).isEqualTo(meta);
  }

  @Test
  void anyKindIsReadAsAnImmutableTreeAndCanBeProjected() {
    String deployment =
        "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\",\"namespace\":\"a\","
            + "\"resourceVersion\":\"7\",\"labels\":{\"app\":\"web\"}},\"spec\":{\"replicas\":3,"
            + "\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\",\"ports\":[]}]}}},"
            + "\"status\":{\"readyReplicas\":2,\"ratio\":0.5,\"paused\":false,\"note\":null}}";
    ResourceType<GenericObject> type =
        ResourceType.generic("apps", "v1", "deployments", "Deployment", true);

    GenericObject full = read(type, deployment);
    assertThat(full.kind()).isEqualTo("Deployment");
    assertThat(full.name()).isEqualTo("web");
    assertThat(full.at("spec", "replicas")).isEqualTo(3L);
    assertThat(full.string("spec", "template", "spec", "containers", 0, "image"))
        .isEqualTo("nginx");
    assertThat(full.at("status", "ratio")).isEqualTo(0.5);
    assertThat(full.content()).containsKeys("spec", "status");
    assertThat(read(type, write(type, full))).isEqualTo(full);

    GenericObject projected =
        read(type.withProjection(Projection.of("spec.replicas", "metadata.labels")), deployment);
    assertThat(projected.at("spec", "replicas")).isEqualTo(3L);
    assertThat(projected.at("spec", "template")).isNull();
    assertThat(projected.content()).doesNotContainKey("status");
    assertThat(projected.labels()).containsEntry("app", "web");
  }

  @Test
  void aFieldOfTheWrongTypeIsReportedWithItsPath() {
    assertThatThrownBy(
            () ->
                read(ResourceType.POD, "{\"metadata\":{\"name\":\"x\"},\"status\":{\"phase\":{}}}"))
        .hasRootCauseInstanceOf(com.fasterxml.jackson.core.JsonParseException.class)
        .rootCause()
        .hasMessageContaining("Pod.status.phase: expected a string, found an object");
  }

  @Test
  void unknownFieldsOfAnyShapeAreSkipped() {
    Namespace ns =
        read(
            ResourceType.NAMESPACE,
            "{\"x\":[1,[2,{\"y\":null}]],\"metadata\":{\"name\":\"n\",\"z\":{\"a\":[true]}},\"spec\":{"
                + "\"finalizers\":[\"kubernetes\"]},\"status\":{\"phase\":\"Active\",\"conditions\":[]}}");
    assertThat(ns).isEqualTo(new Namespace(ObjectMeta.of(null, "n"), "Active"));
  }
}
