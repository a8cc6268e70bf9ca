package dev.lifeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.dnscheck.DeploymentMode;
import dev.lifeline.dnscheck.DnsCheckConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine;

/**
 * The manifests under {@code deploy/dnscheck}: the Deployment's arguments are valid flags, and the
 * Roles grant every call the checker makes in-cluster (and nothing cluster-wide).
 */
class DeployManifestsTest {
  private static final Path DEPLOY = Path.of("..", "deploy", "dnscheck");

  @Test
  void theDeploymentsArgumentsAreValidDnscheckFlags() throws IOException {
    Map<String, Object> deployment = only(docs("deployment.yaml"), "Deployment");
    Map<String, Object> container = at(deployment, "spec", "template", "spec", "containers", 0);
    @SuppressWarnings("unchecked")
    List<String> args = (List<String>) container.get("args");
    assertThat(args.get(0)).isEqualTo("dnscheck");

    CommandLine root = Lifeline.commandLine();
    root.parseArgs(args.toArray(String[]::new));
    DnscheckCommand command = root.getSubcommands().get("dnscheck").getCommand();
    DnsCheckConfig config =
        command.config(Map.of("POD_NAME", "lifeline-dnscheck-0", "POD_NAMESPACE", "lifeline"));

    assertThat(config.mode()).hasValue(DeploymentMode.IN_CLUSTER);
    assertThat(config.metricsAddress())
        .hasValueSatisfying(a -> assertThat(a.getPort()).isEqualTo(9753));
    assertThat(config.leaseNamespace()).isEqualTo("lifeline");
    assertThat(config.identity()).startsWith("lifeline-dnscheck-0_");
    assertThat(at(deployment, "spec", "template", "spec").get("dnsPolicy")).isEqualTo("Default");
  }

  @Test
  void theRolesGrantEveryCallTheCheckerMakesInTheCluster() throws IOException {
    List<Map<String, Object>> rbac = docs("rbac.yaml");
    String[][] calls = {
      // namespace, api group, resource, verb, name (or "")
      {"kube-system", "", "services", "list", ""},
      {"kube-system", "", "services", "watch", ""},
      {"kube-system", "", "services", "get", ""},
      {"kube-system", "", "pods", "list", ""},
      {"kube-system", "", "pods", "watch", ""},
      {"kube-system", "", "configmaps", "list", ""},
      {"kube-system", "", "configmaps", "watch", ""},
      {"kube-system", "apps", "daemonsets", "get", "node-local-dns"},
      {"kube-system", "", "pods/eviction", "create", ""},
      {"kube-system", "", "events", "create", ""},
      {"default", "", "services", "list", ""},
      {"default", "", "services", "watch", ""},
      {"lifeline", "coordination.k8s.io", "leases", "create", ""},
      {"lifeline", "coordination.k8s.io", "leases", "get", "lifeline-dnscheck"},
      {"lifeline", "coordination.k8s.io", "leases", "update", "lifeline-dnscheck"},
    };
    for (String[] c : calls) {
      assertThat(granted(rbac, c[0], c[1], c[2], c[3], c[4]))
          .as("%s %s/%s in %s", c[3], c[1], c[2], c[0])
          .isTrue();
    }
    // Least privilege: no deletes by default, nothing cluster-wide, no wildcards.
    assertThat(granted(rbac, "kube-system", "", "pods", "delete", "x")).isFalse();
    assertThat(rbac)
        .noneMatch(
            d -> "ClusterRole".equals(d.get("kind")) || "ClusterRoleBinding".equals(d.get("kind")));
    assertThat(rbac.toString()).doesNotContain("*");
  }

  private static boolean granted(
      List<Map<String, Object>> docs,
      String ns,
      String group,
      String resource,
      String verb,
      String name) {
    for (Map<String, Object> d : docs) {
      if (!"Role".equals(d.get("kind")) || !ns.equals(at(d, "metadata").get("namespace"))) {
        continue;
      }
      boolean bound =
          docs.stream()
              .anyMatch(
                  b ->
                      "RoleBinding".equals(b.get("kind"))
                          && ns.equals(at(b, "metadata").get("namespace"))
                          && at(b, "roleRef").get("name").equals(at(d, "metadata").get("name"))
                          && b.get("subjects")
                              .toString()
                              .contains("name=lifeline-dnscheck, namespace=lifeline"));
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> rules = (List<Map<String, Object>>) d.get("rules");
      for (Map<String, Object> r : rules) {
        List<?> names = (List<?>) r.get("resourceNames");
        if (bound
            && ((List<?>) r.get("apiGroups")).contains(group)
            && ((List<?>) r.get("resources")).contains(resource)
            && ((List<?>) r.get("verbs")).contains(verb)
            && (names == null || names.contains(name))) {
          return true;
        }
      }
    }
    return false;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> docs(String file) throws IOException {
    List<Map<String, Object>> out = new ArrayList<>();
    try (Reader r = Files.newBufferedReader(DEPLOY.resolve(file))) {
      for (Object o : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(r)) {
        out.add((Map<String, Object>) o);
      }
    }
    return out;
  }

  private static Map<String, Object> only(List<Map<String, Object>> docs, String kind) {
    return docs.stream().filter(d -> kind.equals(d.get("kind"))).findFirst().orElseThrow();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> at(Map<String, Object> doc, Object... path) {
    Object node = doc;
    for (Object p : path) {
      node =
          p instanceof Integer i
              ? ((List<Object>) node).get(i)
              : ((Map<String, Object>) node).get(p);
    }
    return (Map<String, Object>) node;
  }
}
