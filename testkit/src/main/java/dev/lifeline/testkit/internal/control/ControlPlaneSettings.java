package dev.lifeline.testkit.internal.control;

import dev.lifeline.testkit.AccessRule;
import dev.lifeline.testkit.AnonymousAccess;
import dev.lifeline.testkit.ClusterIpListener;
import dev.lifeline.testkit.LoadBalancerSpec;
import dev.lifeline.testkit.WatchListSupport;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The validated configuration of a fake control plane, as the public builder produces it.
 *
 * @param loadBalancer null for none
 * @param serviceAccountRules access rules by service account user name ({@code
 *     system:serviceaccount:<ns>:<name>})
 */
public record ControlPlaneSettings(
    List<InetAddress> addresses,
    int port,
    String serverName,
    String clusterIp,
    String serviceCidr,
    Set<String> omittedCertificateNames,
    List<String> extraCertificateNames,
    List<UserSettings> users,
    AnonymousAccess anonymousAccess,
    WatchListSupport watchList,
    Duration bookmarkInterval,
    Duration minRequestTimeout,
    int watchHistorySize,
    int watchQueueLimit,
    Duration leaseTtl,
    Duration reconcileInterval,
    Duration shutdownDelay,
    Duration shutdownGracePeriod,
    boolean identityLeases,
    Duration identityLeaseRenewInterval,
    Clock clock,
    List<Path> seedFiles,
    List<String> seedTexts,
    String kubernetesVersion,
    int requestLogCapacity,
    int maxRequestBodyBytes,
    Duration tooLargeResourceVersionWait,
    Long randomSeed,
    ClusterIpListener clusterIpListener,
    LoadBalancerSpec loadBalancer,
    Map<String, List<AccessRule>> serviceAccountRules) {

  /**
   * One user.
   *
   * @param token null for a random one
   */
  public record UserSettings(
      String name, String token, List<String> groups, List<AccessRule> rules, boolean allowList) {
    /** Never prints the token. */
    @Override
    public String toString() {
      return "UserSettings[name="
          + name
          + ", groups="
          + groups
          + ", rules="
          + rules
          + ", allowList="
          + allowList
          + "]";
    }
  }
}
