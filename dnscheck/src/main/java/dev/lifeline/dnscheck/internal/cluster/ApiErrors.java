package dev.lifeline.dnscheck.internal.cluster;

import dev.lifeline.client.KubeApiException;
import dev.lifeline.client.KubeConfigException;
import dev.lifeline.client.KubeException;

/** Turns client failures into one line that says what failed and what to do. */
public final class ApiErrors {
  private ApiErrors() {}

  /**
   * Explains a failed API call.
   *
   * @param what what was being done: {@code get service kube-system/kube-dns}
   * @param server the API server's URL, for unreachable errors
   */
  public static DiscoveryException explain(String what, String server, RuntimeException e) {
    if (e instanceof KubeApiException api) {
      if (api.isForbidden()) {
        return new DiscoveryException(
            DiscoveryException.Kind.FORBIDDEN,
            "forbidden to "
                + what
                + " ("
                + firstLine(api.statusMessage())
                + "); grant it to the checker's user (deploy/dnscheck/rbac.yaml lists what it"
                + " needs)",
            e);
      }
      if (api.isUnauthorized()) {
        return new DiscoveryException(
            DiscoveryException.Kind.FORBIDDEN,
            "the API server at "
                + server
                + " rejected the credentials (401) while trying to "
                + what
                + "; check the kubeconfig's user or the service account token",
            e);
      }
      if (api.isNotFound()) {
        return new DiscoveryException(
            DiscoveryException.Kind.NOT_FOUND, "not found: " + what + " (404)", e);
      }
      return new DiscoveryException(
          DiscoveryException.Kind.API_ERROR,
          "the API server answered "
              + api.code()
              + " to "
              + what
              + ": "
              + firstLine(api.statusMessage()),
          e);
    }
    if (e instanceof KubeConfigException) {
      return new DiscoveryException(
          DiscoveryException.Kind.UNREACHABLE,
          "cannot get credentials for the API server at "
              + server
              + ": "
              + firstLine(e.getMessage()),
          e);
    }
    if (e instanceof KubeException) {
      return new DiscoveryException(
          DiscoveryException.Kind.UNREACHABLE,
          "cannot reach the API server at "
              + server
              + " to "
              + what
              + ": "
              + firstLine(e.getMessage())
              + "; check the kubeconfig's server and the network",
          e);
    }
    return new DiscoveryException(
        DiscoveryException.Kind.API_ERROR, what + " failed: " + firstLine(String.valueOf(e)), e);
  }

  private static String firstLine(String s) {
    if (s == null || s.isBlank()) {
      return "no message";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s.strip() : s.substring(0, nl).strip();
  }
}
