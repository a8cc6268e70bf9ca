package dev.lifeline.bench;

import java.util.Locale;
import java.util.UUID;

/**
 * Pods as a cluster holds them: a Deployment's pods with an app container and a sidecar, probes,
 * environment, volumes, tolerations, managed fields, annotations and a full status; about 4.5 KB of
 * JSON each. The store fills in uid, resourceVersion and creationTimestamp.
 */
final class RealisticPods {
  private static final int NODES = 200;
  private static final int DEPLOYMENTS = 50;

  private RealisticPods() {}

  /** The JSON of pod number {@code i} in {@code namespace}. */
  static String pod(String namespace, int i) {
    int deployment = i % DEPLOYMENTS;
    String app = "service-" + deployment;
    String hash = Integer.toHexString(0x5d4f7b00 + deployment * 7919).substring(0, 8);
    String rs = app + "-" + hash;
    String name = rs + "-" + suffix(i);
    String node = "node-" + (i % NODES) + ".cluster.internal";
    String ip = "10.244." + ((i / 250) % 256) + "." + (1 + i % 250);
    String hostIp = "192.168." + ((i % NODES) / 250) + "." + (10 + (i % NODES) % 240);
    String rsUid = new UUID(0x1234_5678_9abcL, deployment).toString();
    String started = "2024-05-01T10:" + two(i % 60) + ":00Z";
    String image = "registry.example.com/team/" + app + ":v1." + (deployment % 9) + ".3";
    return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{"
        + "\"name\":\""
        + name
        + "\",\"generateName\":\""
        + rs
        + "-\",\"namespace\":\""
        + namespace
        + "\",\"labels\":{\"app\":\""
        + app
        + "\",\"pod-template-hash\":\""
        + hash
        + "\",\"tier\":\""
        + (deployment % 3 == 0 ? "frontend" : "backend")
        + "\",\"version\":\"v1."
        + (deployment % 9)
        + "\",\"app.kubernetes.io/managed-by\":\"helm\"},"
        + "\"annotations\":{\"prometheus.io/scrape\":\"true\",\"prometheus.io/port\":\"9090\","
        + "\"checksum/config\":\"3f2a9c7e1b5d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4c6e8b0d2f4a\"},"
        + "\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"name\":\""
        + rs
        + "\",\"uid\":\""
        + rsUid
        + "\",\"controller\":true,\"blockOwnerDeletion\":true}],"
        + "\"managedFields\":[{\"manager\":\"kube-controller-manager\",\"operation\":\"Update\",\"apiVersion\":\"v1\","
        + "\"time\":\"2024-05-01T10:00:00Z\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:metadata\":{"
        + "\"f:generateName\":{},\"f:labels\":{\".\":{},\"f:app\":{},\"f:pod-template-hash\":{}},"
        + "\"f:ownerReferences\":{\".\":{},\"k:{\\\"uid\\\":\\\""
        + rsUid
        + "\\\"}\":{}}},\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"app\\\"}\":{\".\":{},\"f:image\":{},"
        + "\"f:name\":{},\"f:ports\":{}}}}}},{\"manager\":\"kubelet\",\"operation\":\"Update\",\"apiVersion\":\"v1\","
        + "\"time\":\"2024-05-01T10:00:09Z\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:status\":{"
        + "\"f:conditions\":{},\"f:containerStatuses\":{},\"f:hostIP\":{},\"f:phase\":{},\"f:podIP\":{},"
        + "\"f:startTime\":{}}},\"subresource\":\"status\"}]},"
        + "\"spec\":{\"volumes\":[{\"name\":\"config\",\"configMap\":{\"name\":\""
        + app
        + "-config\",\"defaultMode\":420}},{\"name\":\"kube-api-access-"
        + suffix(i + 7)
        + "\",\"projected\":{\"sources\":[{\"serviceAccountToken\":{\"expirationSeconds\":3607,\"path\":\"token\"}},"
        + "{\"configMap\":{\"name\":\"kube-root-ca.crt\",\"items\":[{\"key\":\"ca.crt\",\"path\":\"ca.crt\"}]}}"
        + "],\"defaultMode\":420}}],"
        + "\"containers\":["
        + container("app", image, 8080, "250m", "256Mi", true)
        + ","
        + container(
            "metrics", "registry.example.com/infra/exporter:0.14.2", 9090, "50m", "64Mi", false)
        + "],\"restartPolicy\":\"Always\",\"terminationGracePeriodSeconds\":30,\"dnsPolicy\":\"ClusterFirst\","
        + "\"serviceAccountName\":\""
        + app
        + "\",\"serviceAccount\":\""
        + app
        + "\",\"nodeName\":\""
        + node
        + "\",\"securityContext\":{\"runAsNonRoot\":true,\"fsGroup\":2000},\"schedulerName\":\"default-scheduler\","
        + "\"tolerations\":[{\"key\":\"node.kubernetes.io/not-ready\",\"operator\":\"Exists\",\"effect\":\"NoExecute\","
        + "\"tolerationSeconds\":300},{\"key\":\"node.kubernetes.io/unreachable\",\"operator\":\"Exists\","
        + "\"effect\":\"NoExecute\",\"tolerationSeconds\":300}],\"priority\":0,\"enableServiceLinks\":true,"
        + "\"preemptionPolicy\":\"PreemptLowerPriority\"},"
        + "\"status\":{\"phase\":\"Running\",\"conditions\":["
        + condition("Initialized", started)
        + ","
        + condition("Ready", started)
        + ","
        + condition("ContainersReady", started)
        + ","
        + condition("PodScheduled", started)
        + "],\"hostIP\":\""
        + hostIp
        + "\",\"hostIPs\":[{\"ip\":\""
        + hostIp
        + "\"}],\"podIP\":\""
        + ip
        + "\",\"podIPs\":[{\"ip\":\""
        + ip
        + "\"}],\"startTime\":\""
        + started
        + "\",\"containerStatuses\":["
        + status("app", image, started, i)
        + ","
        + status("metrics", "registry.example.com/infra/exporter:0.14.2", started, i + 1)
        + "],\"qosClass\":\"Burstable\"}}";
  }

  private static String container(
      String name, String image, int port, String cpu, String memory, boolean full) {
    if (!full) {
      return "{\"name\":\""
          + name
          + "\",\"image\":\""
          + image
          + "\",\"ports\":[{\"name\":\"metrics\",\"containerPort\":"
          + port
          + ",\"protocol\":\"TCP\"}],\"resources\":{\"requests\":{\"cpu\":\""
          + cpu
          + "\",\"memory\":\""
          + memory
          + "\"}},\"terminationMessagePath\":\"/dev/termination-log\",\"imagePullPolicy\":\"IfNotPresent\"}";
    }
    return "{\"name\":\""
        + name
        + "\",\"image\":\""
        + image
        + "\",\"ports\":[{\"name\":\"http\",\"containerPort\":"
        + port
        + ",\"protocol\":\"TCP\"}],\"env\":[{\"name\":\"LOG_LEVEL\",\"value\":\"info\"},"
        + "{\"name\":\"POD_NAME\",\"valueFrom\":{\"fieldRef\":{\"apiVersion\":\"v1\",\"fieldPath\":\"metadata.name\"}}}],"
        + "\"resources\":{\"limits\":{\"memory\":\""
        + memory
        + "\"},\"requests\":{\"cpu\":\""
        + cpu
        + "\",\"memory\":\""
        + memory
        + "\"}},\"volumeMounts\":[{\"name\":\"config\",\"mountPath\":\"/etc/app\",\"readOnly\":true}],"
        + "\"livenessProbe\":{\"httpGet\":{\"path\":\"/healthz\",\"port\":"
        + port
        + ",\"scheme\":\"HTTP\"},\"initialDelaySeconds\":10,\"timeoutSeconds\":1,\"periodSeconds\":10,"
        + "\"successThreshold\":1,\"failureThreshold\":3},\"readinessProbe\":{\"httpGet\":{\"path\":\"/ready\",\"port\":"
        + port
        + ",\"scheme\":\"HTTP\"},\"timeoutSeconds\":1,\"periodSeconds\":5,\"successThreshold\":1,\"failureThreshold\":3},"
        + "\"terminationMessagePath\":\"/dev/termination-log\",\"terminationMessagePolicy\":\"File\","
        + "\"imagePullPolicy\":\"IfNotPresent\",\"securityContext\":{\"allowPrivilegeEscalation\":false,"
        + "\"readOnlyRootFilesystem\":true}}";
  }

  private static String condition(String type, String time) {
    return "{\"type\":\""
        + type
        + "\",\"status\":\"True\",\"lastTransitionTime\":\""
        + time
        + "\"}";
  }

  private static String status(String name, String image, String started, int i) {
    return "{\"name\":\""
        + name
        + "\",\"state\":{\"running\":{\"startedAt\":\""
        + started
        + "\"}},\"lastState\":{},\"ready\":true,\"restartCount\":"
        + (i % 3)
        + ",\"image\":\""
        + image
        + "\",\"imageID\":\""
        + image
        + "@sha256:9c1f2b3a4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8\",\"containerID\":"
        + "\"containerd://"
        + Long.toHexString(0x1f2e3d4c5b6a7988L + i * 31L)
        + "a1b2c3d4e5f60718293a4b5c6d7e8f9012345\",\"started\":true}";
  }

  private static String suffix(int i) {
    String alphabet = "bcdfghjklmnpqrstvwxz2456789";
    StringBuilder s = new StringBuilder();
    int v = i * 7919 + 12345;
    for (int k = 0; k < 5; k++) {
      s.append(alphabet.charAt(Math.floorMod(v, alphabet.length())));
      v /= alphabet.length();
    }
    return s.toString();
  }

  private static String two(int n) {
    return String.format(Locale.ROOT, "%02d", n);
  }
}
