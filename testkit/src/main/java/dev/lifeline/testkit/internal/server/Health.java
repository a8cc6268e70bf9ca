package dev.lifeline.testkit.internal.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /healthz}, {@code /livez} and {@code /readyz} with the check names and output of a
 * kube-apiserver: {@code ok} when passing, the {@code [+]/[-]} list with {@code ?verbose} or on
 * failure (500), single checks at {@code /readyz/<check>}, and {@code ?exclude=<check>}. During
 * graceful shutdown the {@code shutdown} check of {@code /readyz} fails.
 */
final class Health {
  private static final List<String> COMMON =
      List.of(
          "ping",
          "log",
          "etcd",
          "poststarthook/start-apiserver-admission-initializer",
          "poststarthook/generic-apiserver-start-informers",
          "poststarthook/priority-and-fairness-config-consumer",
          "poststarthook/start-system-namespaces-controller",
          "poststarthook/bootstrap-controller",
          "poststarthook/start-kubernetes-service-cidr-controller",
          "poststarthook/apiservice-registration-controller");

  private Health() {}

  /** The answer to a health request. */
  record Answer(int code, String body) {}

  static List<String> checks(String endpoint) {
    List<String> out = new ArrayList<>();
    out.add("ping");
    out.add("log");
    out.add("etcd");
    if (endpoint.equals("readyz")) {
      out.add("etcd-readiness");
      out.add("informer-sync");
    }
    out.addAll(COMMON.subList(3, COMMON.size()));
    if (endpoint.equals("readyz")) {
      out.add("shutdown");
    }
    return out;
  }

  /**
   * Answers a health path.
   *
   * @param endpoint healthz, livez or readyz
   * @param check a single check, or null for all
   * @param terminating whether the instance is shutting down
   */
  static Answer answer(
      String endpoint, String check, Map<String, List<String>> query, boolean terminating) {
    List<String> all = checks(endpoint);
    if (check != null) {
      if (!all.contains(check)) {
        return new Answer(404, "404 page not found\n");
      }
      boolean failing = check.equals("shutdown") && terminating;
      return failing
          ? new Answer(500, "internal server error: process is shutting down\n")
          : new Answer(200, "ok");
    }
    Set<String> excluded = Set.copyOf(query.getOrDefault("exclude", List.of()));
    boolean verbose = query.containsKey("verbose");
    StringBuilder sb = new StringBuilder();
    boolean failed = false;
    for (String c : all) {
      if (excluded.contains(c)) {
        sb.append("[+]").append(c).append(" excluded: ok\n");
        continue;
      }
      boolean failing = c.equals("shutdown") && terminating;
      failed |= failing;
      sb.append(failing ? "[-]" : "[+]")
          .append(c)
          .append(failing ? " failed: reason withheld\n" : " ok\n");
    }
    if (failed) {
      sb.append(endpoint).append(" check failed\n");
      return new Answer(500, sb.toString());
    }
    if (verbose) {
      sb.append(endpoint).append(" check passed\n");
      return new Answer(200, sb.toString());
    }
    return new Answer(200, "ok");
  }
}
