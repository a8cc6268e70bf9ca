package dev.lifeline.testkit;

import dev.lifeline.testkit.internal.control.ControlPlaneSettings;
import dev.lifeline.testkit.internal.control.RealControlPlane;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A fake Kubernetes control plane: N apiserver stand-ins on their own loopback addresses and one
 * shared port, serving one store over TLS with HTTP/2 and HTTP/1.1 by ALPN, with the real
 * apiserver's list/watch semantics, the lease endpoint reconciler, and fault injection per
 * instance.
 *
 * <p>Start one with {@link #builder()}; in JUnit 5 use {@link FakeControlPlaneExtension}. Close it
 * to release ports, threads and iptables rules. Thread-safe.
 */
public interface FakeControlPlane extends AutoCloseable {
  /** A builder with the defaults documented on each method. */
  static Builder builder() {
    return new Builder();
  }

  /** The instances, in address order. */
  List<ApiServerInstance> instances();

  /**
   * One instance.
   *
   * @throws IndexOutOfBoundsException naming the number of instances
   */
  ApiServerInstance instance(int index);

  /** The shared store. */
  FakeStore store();

  /**
   * The containers' logs the pods' {@code log} subresource serves; tests append to them in place of
   * a container runtime.
   */
  PodLogs podLogs();

  /** The port all instances listen on. */
  int port();

  /** The DNS name in the serving certificate (default {@code apiserver.lifeline.test}). */
  String serverName();

  /** The ClusterIP of the {@code default/kubernetes} Service (default 10.96.0.1). */
  String clusterIp();

  /**
   * Where the {@code kubernetes} Service is reachable through the kube-proxy stand-in: {@code
   * 10.96.0.1:443} (the ClusterIP) when it could listen there, else a loopback address and port.
   * See {@link ClusterIpListener}.
   *
   * @throws IllegalStateException when the control plane was built without a ClusterIP listener
   */
  InetSocketAddress serviceAddress();

  /**
   * Where the load balancer listens. See {@link LoadBalancerSpec}.
   *
   * @throws IllegalStateException when the control plane was built without one
   */
  InetSocketAddress loadBalancerAddress();

  /** The per-run CA. */
  CertificateAuthority ca();

  /** The default user {@code admin} (group {@code system:masters}). */
  TestUser admin();

  /**
   * A user by name.
   *
   * @throws IllegalArgumentException naming the known users when there is none by that name
   */
  TestUser user(String name);

  /** Every user. */
  List<TestUser> users();

  /**
   * A kubeconfig writer for this control plane (user {@code admin}, instance 0, token, by default).
   */
  KubeconfigWriter kubeconfig();

  /**
   * The instance that most recently answered a request whose {@code User-Agent} contains the text.
   */
  Optional<ApiServerInstance> instanceUsedBy(String userAgentPart);

  /**
   * The instance holding an open connection from the given client (local) port, directly or through
   * the ClusterIP listener or the load balancer.
   */
  Optional<ApiServerInstance> instanceServingClientPort(int clientPort);

  /** The addresses in the {@code kubernetes} EndpointSlice now, sorted. */
  List<String> endpointAddresses();

  /**
   * Sets a LoadBalancer Service's {@code status.loadBalancer.ingress}, as a cloud provider's
   * service controller does once it has provisioned the load balancer (there is no such controller
   * in the fake); no addresses remove it. Clients see it as they would: in reads, and as a MODIFIED
   * watch event. The same can be done through the API with {@code PUT .../services/{name}/status}.
   *
   * @param ips IPv4 or IPv6 literals, each one ingress entry ({@code ipMode: VIP})
   * @return the Service as stored
   * @throws KubeApiException 404 when the Service does not exist
   * @throws IllegalArgumentException when the Service is not of type LoadBalancer, or an address is
   *     not an IP literal
   */
  com.fasterxml.jackson.databind.node.ObjectNode setLoadBalancerIngress(
      String namespace, String service, String... ips);

  /** Restores every instance's faults and restarts crashed or stopped instances. */
  void restoreAll();

  /**
   * Stops everything: listeners, instances, threads, iptables rules, addresses added to {@code lo}.
   * Returns once the ports are free and the testkit's threads have exited. Idempotent.
   */
  @Override
  void close();

  /**
   * Configuration of a fake control plane. Every setter validates at once and throws {@link
   * IllegalArgumentException} naming the setting and the value. Not thread-safe.
   */
  final class Builder {
    private List<String> addresses = defaultAddresses(3);
    private int port = 6443;
    private String serverName = "apiserver.lifeline.test";
    private String clusterIp = "10.96.0.1";
    private String serviceCidr = "10.96.0.0/12";
    private final Set<String> omittedNames = new LinkedHashSet<>();
    private final Set<String> extraNames = new LinkedHashSet<>();
    private final Map<String, UserSpec> users = new LinkedHashMap<>();
    private AnonymousAccess anonymousAccess = AnonymousAccess.HEALTH_AND_VERSION_ONLY;
    private WatchListSupport watchList = WatchListSupport.ENABLED;
    private Duration bookmarkInterval = Duration.ofMinutes(1);
    private Duration minRequestTimeout = Duration.ofMinutes(30);
    private int watchHistorySize = 1000;
    private int watchQueueLimit = 1000;
    private Duration leaseTtl = Duration.ofSeconds(15);
    private Duration reconcileInterval = Duration.ofSeconds(10);
    private Duration shutdownDelay = Duration.ZERO;
    private Duration shutdownGracePeriod = Duration.ofSeconds(10);
    private boolean identityLeases = true;
    private Duration identityLeaseRenewInterval = Duration.ofSeconds(10);
    private Clock clock = Clock.systemUTC();
    private final List<Path> seedFiles = new ArrayList<>();
    private final List<String> seedTexts = new ArrayList<>();
    private String kubernetesVersion = "v1.33.0";
    private int requestLogCapacity = 10_000;
    private int maxRequestBodyBytes = 3 * 1024 * 1024;
    private Duration tooLargeResourceVersionWait = Duration.ofSeconds(3);
    private Long randomSeed;
    private ClusterIpListener clusterIpListener = ClusterIpListener.NONE;
    private LoadBalancerSpec loadBalancer;
    private final Map<String, List<AccessRule>> serviceAccountRules = new LinkedHashMap<>();

    Builder() {}

    private static List<String> defaultAddresses(int n) {
      List<String> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        out.add("127.0.0." + (2 + i));
      }
      return out;
    }

    /**
     * The number of instances on 127.0.0.2, 127.0.0.3, … (default 3).
     *
     * @throws IllegalArgumentException when not between 1 and 250
     */
    public Builder instances(int count) {
      if (count < 1 || count > 250) {
        throw new IllegalArgumentException("instances must be between 1 and 250, was " + count);
      }
      this.addresses = defaultAddresses(count);
      return this;
    }

    /**
     * Explicit instance addresses, one instance each (default 127.0.0.2 to 127.0.0.4). Addresses
     * must be IPv4 literals, distinct, and local to this machine (any 127.0.0.0/8 address is).
     */
    public Builder addresses(List<String> addresses) {
      Objects.requireNonNull(addresses, "addresses");
      if (addresses.isEmpty()) {
        throw new IllegalArgumentException("addresses must not be empty");
      }
      if (new LinkedHashSet<>(addresses).size() != addresses.size()) {
        throw new IllegalArgumentException("addresses must be distinct, were " + addresses);
      }
      for (String a : addresses) {
        if (!a.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
          throw new IllegalArgumentException("addresses must be IPv4 literals, got " + a);
        }
      }
      this.addresses = List.copyOf(addresses);
      return this;
    }

    /** The port shared by all instances (default 6443). */
    public Builder port(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be between 1 and 65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Picks a free port: binds port 0 on the first instance, then the same port on the others,
     * retrying the whole set on collision.
     */
    public Builder ephemeralPort() {
      this.port = 0;
      return this;
    }

    /** The DNS name of the serving certificate (default {@code apiserver.lifeline.test}). */
    public Builder serverName(String name) {
      Objects.requireNonNull(name, "serverName");
      if (!name.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
        throw new IllegalArgumentException("serverName must be a lowercase DNS name, was " + name);
      }
      this.serverName = name;
      return this;
    }

    /**
     * The ClusterIP of the {@code kubernetes} Service (default 10.96.0.1), inside the service CIDR.
     */
    public Builder clusterIp(String ip) {
      this.clusterIp = Objects.requireNonNull(ip, "clusterIp");
      return this;
    }

    /** The range ClusterIPs come from (default 10.96.0.0/12). */
    public Builder serviceCidr(String cidr) {
      Objects.requireNonNull(cidr, "serviceCidr");
      if (!cidr.matches("\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}")) {
        throw new IllegalArgumentException("serviceCidr must be an IPv4 CIDR, was " + cidr);
      }
      this.serviceCidr = cidr;
      return this;
    }

    /**
     * Leaves a name or IP out of the serving certificate (so tests can provoke certificate errors).
     */
    public Builder omitCertificateName(String name) {
      omittedNames.add(Objects.requireNonNull(name, "name"));
      return this;
    }

    /** Adds DNS names or IPs to the serving certificate. */
    public Builder extraCertificateNames(String... names) {
      extraNames.addAll(List.of(names));
      return this;
    }

    /**
     * Defines a user (or redefines {@code admin}). Every user gets a random token unless given one;
     * see {@link UserSpec} for groups and access rules.
     */
    public Builder user(String name, Consumer<UserSpec> spec) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("user name must not be blank");
      }
      UserSpec s = new UserSpec(name);
      spec.accept(s);
      users.put(name, s);
      return this;
    }

    /**
     * Grants a service account access rules, as a user's (see {@link UserSpec#allow}); may be
     * called several times. Without rules a service account may do nothing but read discovery,
     * health and version, as under RBAC with no bindings. Its tokens come from the TokenRequest API
     * ({@code serviceaccounts/<name>/token}); the ServiceAccount object must exist for them.
     *
     * @throws IllegalArgumentException when the namespace or name is not a DNS label or subdomain
     */
    public Builder serviceAccountAccess(String namespace, String name, AccessRule... rules) {
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(name, "name");
      if (!namespace.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
        throw new IllegalArgumentException(
            "serviceAccountAccess namespace must be a DNS label, was " + namespace);
      }
      if (!name.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
        throw new IllegalArgumentException(
            "serviceAccountAccess name must be a DNS subdomain, was " + name);
      }
      serviceAccountRules
          .computeIfAbsent(
              "system:serviceaccount:" + namespace + ":" + name, k -> new ArrayList<>())
          .addAll(List.of(rules));
      return this;
    }

    /**
     * What requests without credentials get (default {@link
     * AnonymousAccess#HEALTH_AND_VERSION_ONLY}).
     */
    public Builder anonymousAccess(AnonymousAccess access) {
      this.anonymousAccess = Objects.requireNonNull(access, "anonymousAccess");
      return this;
    }

    /** Streaming-list support (default {@link WatchListSupport#ENABLED}). */
    public Builder watchList(WatchListSupport support) {
      this.watchList = Objects.requireNonNull(support, "watchList");
      return this;
    }

    /**
     * How often watches with {@code allowWatchBookmarks=true} get a BOOKMARK (default 1 minute, as
     * real).
     */
    public Builder bookmarkInterval(Duration interval) {
      this.bookmarkInterval = positive("bookmarkInterval", interval);
      return this;
    }

    /**
     * The apiserver's {@code --min-request-timeout} (default 30 minutes): a watch without {@code
     * timeoutSeconds} ends after this times a random factor in [1, 2).
     */
    public Builder minRequestTimeout(Duration timeout) {
      this.minRequestTimeout = positive("minRequestTimeout", timeout);
      return this;
    }

    /** Changes kept per kind for watches and exact reads (the watch cache window; default 1000). */
    public Builder watchHistorySize(int size) {
      if (size < 1) {
        throw new IllegalArgumentException("watchHistorySize must be at least 1, was " + size);
      }
      this.watchHistorySize = size;
      return this;
    }

    /**
     * Events a watcher may have pending while its client does not read (default 1000); past that
     * the server ends the watch, as the real one terminates watchers that cannot keep up.
     */
    public Builder watchQueueLimit(int events) {
      if (events < 1) {
        throw new IllegalArgumentException("watchQueueLimit must be at least 1, was " + events);
      }
      this.watchQueueLimit = events;
      return this;
    }

    /**
     * The endpoint reconciler's lease TTL and reconcile interval (real defaults 15 s and 10 s;
     * tests use e.g. 1 s and 300 ms).
     *
     * @throws IllegalArgumentException when the interval is not shorter than the TTL
     */
    public Builder endpointLease(Duration ttl, Duration reconcileInterval) {
      positive("endpointLease ttl", ttl);
      positive("endpointLease reconcileInterval", reconcileInterval);
      if (reconcileInterval.compareTo(ttl) >= 0) {
        throw new IllegalArgumentException(
            "endpointLease reconcileInterval ("
                + reconcileInterval
                + ") must be shorter than the ttl ("
                + ttl
                + ")");
      }
      this.leaseTtl = ttl;
      this.reconcileInterval = reconcileInterval;
      return this;
    }

    /**
     * How long a gracefully stopping instance keeps serving after leaving the endpoints (default
     * 0).
     */
    public Builder shutdownDelay(Duration delay) {
      this.shutdownDelay = notNegative("shutdownDelay", delay);
      return this;
    }

    /**
     * How long a graceful stop waits for in-flight requests before closing anyway (default 10 s).
     */
    public Builder shutdownGracePeriod(Duration period) {
      this.shutdownGracePeriod = notNegative("shutdownGracePeriod", period);
      return this;
    }

    /**
     * Whether instances keep apiserver identity Leases in {@code kube-system} (default true,
     * renewed every 10 s).
     */
    public Builder identityLeases(boolean enabled) {
      this.identityLeases = enabled;
      return this;
    }

    /** The identity Lease renew interval (default 10 s). */
    public Builder identityLeaseRenewInterval(Duration interval) {
      this.identityLeaseRenewInterval = positive("identityLeaseRenewInterval", interval);
      return this;
    }

    /** The clock for timestamps and lease expiry (default the system clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Objects to create at start from a YAML or JSON file (single, multi-document, or List). */
    public Builder seed(Path file) {
      seedFiles.add(Objects.requireNonNull(file, "file"));
      return this;
    }

    /** Objects to create at start from YAML or JSON text. */
    public Builder seed(String jsonOrYaml) {
      seedTexts.add(Objects.requireNonNull(jsonOrYaml, "jsonOrYaml"));
      return this;
    }

    /** The {@code gitVersion} /version reports (default v1.33.0). */
    public Builder kubernetesVersion(String version) {
      Objects.requireNonNull(version, "kubernetesVersion");
      if (!version.matches("v1\\.\\d+\\.\\d+.*")) {
        throw new IllegalArgumentException(
            "kubernetesVersion must look like v1.<minor>.<patch>, was " + version);
      }
      this.kubernetesVersion = version;
      return this;
    }

    /** Entries kept in each instance's request log (default 10,000). */
    public Builder requestLogCapacity(int entries) {
      if (entries < 1) {
        throw new IllegalArgumentException("requestLogCapacity must be at least 1, was " + entries);
      }
      this.requestLogCapacity = entries;
      return this;
    }

    /** The largest request body accepted (default 3 MiB, as real). */
    public Builder maxRequestBodyBytes(int bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException(
            "maxRequestBodyBytes must be at least 1024, was " + bytes);
      }
      this.maxRequestBodyBytes = bytes;
      return this;
    }

    /**
     * How long a request for a resourceVersion newer than the store waits before 504 "Too large
     * resource version" (default 3 s, as the watch cache waits).
     */
    public Builder tooLargeResourceVersionWait(Duration wait) {
      this.tooLargeResourceVersionWait = notNegative("tooLargeResourceVersionWait", wait);
      return this;
    }

    /** A seed for generated names and ClusterIPs, for reproducible runs (default random). */
    public Builder randomSeed(long seed) {
      this.randomSeed = seed;
      return this;
    }

    /**
     * The kube-proxy stand-in in front of the {@code kubernetes} Service (default {@link
     * ClusterIpListener#NONE}). With {@link ClusterIpListener#LOOPBACK} or {@link
     * ClusterIpListener#CLUSTER_IP}, 127.0.0.1 is added to the serving certificate (where the
     * listener falls back to).
     */
    public Builder clusterIpListener(ClusterIpListener listener) {
      this.clusterIpListener = Objects.requireNonNull(listener, "clusterIpListener");
      return this;
    }

    /**
     * A TCP load balancer in front of every instance (default none); its address is added to the
     * serving certificate.
     */
    public Builder loadBalancer(LoadBalancerSpec spec) {
      this.loadBalancer = Objects.requireNonNull(spec, "loadBalancer");
      return this;
    }

    private Map<String, List<AccessRule>> copyRules() {
      Map<String, List<AccessRule>> out = new LinkedHashMap<>();
      serviceAccountRules.forEach((k, v) -> out.put(k, List.copyOf(v)));
      return Map.copyOf(out);
    }

    private static Duration positive(String setting, Duration d) {
      Objects.requireNonNull(d, setting);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(setting + " must be positive, was " + d);
      }
      return d;
    }

    private static Duration notNegative(String setting, Duration d) {
      Objects.requireNonNull(d, setting);
      if (d.isNegative()) {
        throw new IllegalArgumentException(setting + " must not be negative, was " + d);
      }
      return d;
    }

    /**
     * Starts the control plane.
     *
     * @throws IllegalStateException when settings conflict (ClusterIP outside the service CIDR, a
     *     load balancer on an instance's address and port) or the addresses and ports cannot be
     *     bound, naming what failed
     */
    public FakeControlPlane start() {
      if (loadBalancer != null
          && addresses.contains(loadBalancer.address())
          && (loadBalancer.port() == 0 || loadBalancer.port() == port)) {
        throw new IllegalStateException(
            "loadBalancer "
                + loadBalancer.address()
                + " is also an instance address with the same port; give it another address"
                + " (such as 127.0.0.1) or another port");
      }
      List<InetAddress> inet = new ArrayList<>();
      for (String a : addresses) {
        try {
          inet.add(InetAddress.getByName(a));
        } catch (UnknownHostException e) {
          throw new IllegalArgumentException("address " + a + " is not an IPv4 literal", e);
        }
      }
      Map<String, UserSpec> allUsers = new LinkedHashMap<>();
      if (!users.containsKey("admin")) {
        allUsers.put("admin", new UserSpec("admin").groups("system:masters"));
      }
      allUsers.putAll(users);
      List<ControlPlaneSettings.UserSettings> userSettings = new ArrayList<>();
      for (UserSpec u : allUsers.values()) {
        userSettings.add(
            new ControlPlaneSettings.UserSettings(
                u.name(), u.token(), u.groups(), u.rules(), u.isAllowList()));
      }
      ControlPlaneSettings settings =
          new ControlPlaneSettings(
              List.copyOf(inet),
              port,
              serverName,
              clusterIp,
              serviceCidr,
              Set.copyOf(omittedNames),
              List.copyOf(extraNames),
              List.copyOf(userSettings),
              anonymousAccess,
              watchList,
              bookmarkInterval,
              minRequestTimeout,
              watchHistorySize,
              watchQueueLimit,
              leaseTtl,
              reconcileInterval,
              shutdownDelay,
              shutdownGracePeriod,
              identityLeases,
              identityLeaseRenewInterval,
              clock,
              List.copyOf(seedFiles),
              List.copyOf(seedTexts),
              kubernetesVersion,
              requestLogCapacity,
              maxRequestBodyBytes,
              tooLargeResourceVersionWait,
              randomSeed,
              clusterIpListener,
              loadBalancer,
              copyRules());
      return RealControlPlane.start(settings);
    }
  }
}
