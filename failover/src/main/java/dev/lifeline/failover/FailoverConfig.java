package dev.lifeline.failover;

import dev.lifeline.client.KubeConfig;
import dev.lifeline.client.TlsMaterial;
import dev.lifeline.failover.internal.ApiServerDiscovery;
import dev.lifeline.failover.internal.IpLiterals;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * The failover engine's configuration: immutable, thread-safe, validated when built.
 *
 * <p>Every option and its default is listed on {@link Builder}; {@code docs/failover.md} explains
 * how they interact and what load they put on the apiservers.
 */
public final class FailoverConfig {

  private final URI server;
  private final String host;
  private final int port;
  private final Optional<InetAddress> hostAddress;
  private final SSLSocketFactory sslSocketFactory;
  private final String tlsServerName;
  private final boolean verifyServerName;
  private final Optional<Supplier<String>> readyzAuthorization;
  private final EndpointDiscovery discovery;
  private final Duration period;
  private final Duration timeout;
  private final Duration debounce;
  private final Duration connectTimeout;
  private final Duration dialTimeout;
  private final Duration pingInterval;
  private final Duration pingTimeout;
  private final Duration idleProbeInterval;
  private final Duration readyzInterval;
  private final Duration stallThreshold;
  private final Duration drainQuietPeriod;
  private final Duration maxDrainTime;
  private final Duration initialDiscoveryWait;
  private final Optional<Path> endpointsFile;
  private final Set<InetAddress> sameNodeAddresses;
  private final boolean detectLocalAddresses;
  private final Optional<InetAddress> hostIp;
  private final Optional<String> nodeName;
  private final HostResolver seedResolver;
  private final List<FailoverListener> listeners;

  private FailoverConfig(Builder b) {
    this.server = b.server;
    this.host = hostOf(b.server);
    this.port = b.server.getPort() == -1 ? 443 : b.server.getPort();
    this.hostAddress = IpLiterals.parse(host);
    this.sslSocketFactory =
        b.sslSocketFactory != null ? b.sslSocketFactory : defaultSocketFactory();
    this.tlsServerName = b.tlsServerName != null ? b.tlsServerName : host;
    this.verifyServerName = b.verifyServerName;
    this.readyzAuthorization = Optional.ofNullable(b.readyzAuthorization);
    this.discovery = b.discovery;
    this.period = b.period;
    this.timeout = b.timeout;
    this.debounce = b.debounce;
    this.connectTimeout = b.connectTimeout;
    this.dialTimeout = b.dialTimeout;
    this.pingInterval = b.pingInterval;
    this.pingTimeout = b.pingTimeout;
    this.idleProbeInterval = b.idleProbeInterval;
    this.readyzInterval = b.readyzInterval;
    this.stallThreshold = b.stallThreshold;
    this.drainQuietPeriod = b.drainQuietPeriod;
    this.maxDrainTime = b.maxDrainTime;
    this.initialDiscoveryWait = b.initialDiscoveryWait;
    this.endpointsFile = Optional.ofNullable(b.endpointsFile);
    this.sameNodeAddresses = Set.copyOf(b.sameNodeAddresses);
    this.detectLocalAddresses = b.detectLocalAddresses;
    this.hostIp = b.hostIp;
    this.nodeName = b.nodeName;
    this.seedResolver = b.seedResolver;
    this.listeners = List.copyOf(b.listeners);
  }

  /**
   * Starts a builder for the apiserver at {@code server}, e.g. {@code https://10.96.0.1:443} or the
   * {@code server} of a kubeconfig cluster.
   *
   * @throws IllegalArgumentException when the URL is not {@code https://HOST[:PORT][/PATH]}
   */
  public static Builder builder(URI server) {
    return new Builder(server);
  }

  /**
   * Starts a builder for the cluster of a light-client configuration: its server, its TLS (trust,
   * client certificate, {@code tls-server-name}, insecure flag) for the probes, its bearer token
   * (static or file) for {@code /readyz}, and {@link EndpointDiscovery#kubernetes} as discovery.
   *
   * @throws IllegalArgumentException when the server is not an https URL
   */
  public static Builder builder(KubeConfig kubeConfig) {
    Objects.requireNonNull(kubeConfig, "kubeConfig");
    Builder builder = new Builder(kubeConfig.server());
    ApiServerDiscovery discovery = ApiServerDiscovery.create(kubeConfig);
    try {
      TlsMaterial tls = discovery.tls();
      builder
          .discovery(discovery)
          .sslSocketFactory(tls.sslSocketFactory())
          .tlsServerName(tls.serverName())
          .verifyServerName(!tls.isInsecure());
    } catch (RuntimeException e) {
      discovery.close();
      throw e;
    }
    if (kubeConfig.token() != null) {
      String header = "Bearer " + kubeConfig.token();
      builder.readyzAuthorization(() -> header);
    } else if (kubeConfig.tokenFile() != null) {
      Path file = kubeConfig.tokenFile();
      builder.readyzAuthorization(() -> readToken(file));
    }
    return builder;
  }

  private static String readToken(Path file) {
    try {
      String token = java.nio.file.Files.readString(file).strip();
      return token.isEmpty() ? "" : "Bearer " + token;
    } catch (java.io.IOException e) {
      return "";
    }
  }

  /** The apiserver URL as configured. */
  public URI server() {
    return server;
  }

  /** The URL's host: a name, or an IP literal without brackets. */
  public String host() {
    return host;
  }

  /** The URL's port (443 when the URL has none). */
  public int port() {
    return port;
  }

  /** The URL's host as an address when it is an IP literal (e.g. {@code 10.96.0.1}). */
  public Optional<InetAddress> hostAddress() {
    return hostAddress;
  }

  /** Opens the TLS connections of the health probes. Default: the JVM's default context. */
  public SSLSocketFactory sslSocketFactory() {
    return sslSocketFactory;
  }

  /** The name the probes verify the certificate against and send as SNI. Default: the host. */
  public String tlsServerName() {
    return tlsServerName;
  }

  /**
   * Whether probes verify the certificate's name. Default true; false only for insecure configs.
   */
  public boolean verifyServerName() {
    return verifyServerName;
  }

  /** The {@code Authorization} header value for {@code /readyz}, if any. Default: none. */
  public Optional<Supplier<String>> readyzAuthorization() {
    return readyzAuthorization;
  }

  /** Where endpoints come from. Default: {@link EndpointDiscovery#none()}. */
  public EndpointDiscovery discovery() {
    return discovery;
  }

  /** How often discovery polls when it cannot watch. Default 10 s. */
  public Duration period() {
    return period;
  }

  /**
   * How long the resolver keeps answering with endpoints while none is reachable; then it falls
   * back to the system resolver and clears the set. Default 300 s.
   */
  public Duration timeout() {
    return timeout;
  }

  /** How long a new endpoint must stay listed before it takes connections. Default 5 s. */
  public Duration debounce() {
    return debounce;
  }

  /** The connect timeout of one attempt and of each probe. Default 1 s. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** The bound on one dial across all attempts (the caller's timeout may be shorter). 10 s. */
  public Duration dialTimeout() {
    return dialTimeout;
  }

  /** The HTTP/2 PING interval on endpoints in use. Default 250 ms. */
  public Duration pingInterval() {
    return pingInterval;
  }

  /** How long a PING may go unanswered before its endpoint is down. Default 500 ms. */
  public Duration pingTimeout() {
    return pingTimeout;
  }

  /** The mean interval of TLS probes of endpoints not in use (jittered ±50%). Default 60 s. */
  public Duration idleProbeInterval() {
    return idleProbeInterval;
  }

  /** The mean interval of {@code /readyz} on endpoints in use (±50%); zero disables. 10 min. */
  public Duration readyzInterval() {
    return readyzInterval;
  }

  /** A write unanswered this long on a tracked connection triggers a probe. Default 1 s. */
  public Duration stallThreshold() {
    return stallThreshold;
  }

  /** How long a draining connection must be silent before it is closed. Default 1 s. */
  public Duration drainQuietPeriod() {
    return drainQuietPeriod;
  }

  /** How long a draining endpoint's connections may live. Default 30 s. */
  public Duration maxDrainTime() {
    return maxDrainTime;
  }

  /**
   * How long a client's first connections wait for the engine's first discovery before they go to
   * the seed address. Default 2 s; zero: no wait.
   */
  public Duration initialDiscoveryWait() {
    return initialDiscoveryWait;
  }

  /** Where the last good endpoint set is persisted and read at start. Default: nowhere. */
  public Optional<Path> endpointsFile() {
    return endpointsFile;
  }

  /** Addresses that make an endpoint "same node", in addition to the detected ones. */
  public Set<InetAddress> sameNodeAddresses() {
    return sameNodeAddresses;
  }

  /** Whether this host's interface addresses count as same node. Default true. */
  public boolean detectLocalAddresses() {
    return detectLocalAddresses;
  }

  /** {@code HOST_IP} from the environment (the downward API's {@code status.hostIP}). */
  public Optional<InetAddress> hostIp() {
    return hostIp;
  }

  /** {@code NODE_NAME} from the environment (the downward API's {@code spec.nodeName}). */
  public Optional<String> nodeName() {
    return nodeName;
  }

  /** Resolves the URL's host name for the seed address. Default {@link HostResolver#SYSTEM}. */
  public HostResolver seedResolver() {
    return seedResolver;
  }

  /** The listeners given to the builder, in order. */
  public List<FailoverListener> listeners() {
    return listeners;
  }

  @Override
  public String toString() {
    return "FailoverConfig{server="
        + server
        + ", tlsServerName="
        + tlsServerName
        + ", verifyServerName="
        + verifyServerName
        + ", readyzAuthorization="
        + (readyzAuthorization.isPresent() ? "<set>" : "<none>")
        + ", discovery="
        + discovery
        + ", period="
        + period
        + ", timeout="
        + timeout
        + ", debounce="
        + debounce
        + ", connectTimeout="
        + connectTimeout
        + ", dialTimeout="
        + dialTimeout
        + ", pingInterval="
        + pingInterval
        + ", pingTimeout="
        + pingTimeout
        + ", idleProbeInterval="
        + idleProbeInterval
        + ", readyzInterval="
        + readyzInterval
        + ", stallThreshold="
        + stallThreshold
        + ", drainQuietPeriod="
        + drainQuietPeriod
        + ", maxDrainTime="
        + maxDrainTime
        + ", initialDiscoveryWait="
        + initialDiscoveryWait
        + ", endpointsFile="
        + endpointsFile.map(Path::toString).orElse("<none>")
        + ", hostIp="
        + hostIp.map(InetAddress::getHostAddress).orElse("<none>")
        + ", nodeName="
        + nodeName.orElse("<none>")
        + "}";
  }

  private static String hostOf(URI server) {
    String host = server.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      return host.substring(1, host.length() - 1);
    }
    return host.toLowerCase(Locale.ROOT);
  }

  private static SSLSocketFactory defaultSocketFactory() {
    try {
      return SSLContext.getDefault().getSocketFactory();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no default TLS context", e);
    }
  }

  /**
   * Builds a {@link FailoverConfig}. Each setter validates its value at once and throws {@link
   * IllegalArgumentException} naming the setting and the value. Not thread-safe.
   */
  public static final class Builder {
    private final URI server;
    private SSLSocketFactory sslSocketFactory;
    private String tlsServerName;
    private boolean verifyServerName = true;
    private Supplier<String> readyzAuthorization;
    private EndpointDiscovery discovery = EndpointDiscovery.none();
    private Duration period = Duration.ofSeconds(10);
    private Duration timeout = Duration.ofSeconds(300);
    private Duration debounce = Duration.ofSeconds(5);
    private Duration connectTimeout = Duration.ofSeconds(1);
    private Duration dialTimeout = Duration.ofSeconds(10);
    private Duration pingInterval = Duration.ofMillis(250);
    private Duration pingTimeout = Duration.ofMillis(500);
    private Duration idleProbeInterval = Duration.ofSeconds(60);
    private Duration readyzInterval = Duration.ofMinutes(10);
    private Duration stallThreshold = Duration.ofSeconds(1);
    private Duration drainQuietPeriod = Duration.ofSeconds(1);
    private Duration maxDrainTime = Duration.ofSeconds(30);
    private Duration initialDiscoveryWait = Duration.ofSeconds(2);
    private Path endpointsFile;
    private final Set<InetAddress> sameNodeAddresses = new LinkedHashSet<>();
    private boolean detectLocalAddresses = true;
    private Optional<InetAddress> hostIp = Optional.empty();
    private Optional<String> nodeName = Optional.empty();
    private HostResolver seedResolver = HostResolver.SYSTEM;
    private final List<FailoverListener> listeners = new ArrayList<>();

    private Builder(URI server) {
      Objects.requireNonNull(server, "server");
      if (!"https".equalsIgnoreCase(server.getScheme())) {
        throw new IllegalArgumentException(
            "server must be an https:// URL (the apiserver serves TLS only), was '" + server + "'");
      }
      if (server.getHost() == null || server.getHost().isEmpty()) {
        throw new IllegalArgumentException("server must name a host, was '" + server + "'");
      }
      if (server.getRawUserInfo() != null) {
        throw new IllegalArgumentException(
            "server must not carry credentials in the URL, was 'https://<userinfo>@"
                + server.getHost()
                + "'");
      }
      this.server = server;
      environment(System.getenv());
    }

    /** The factory of the probes' TLS connections: the client's trust (and keys, if any). */
    public Builder sslSocketFactory(SSLSocketFactory factory) {
      this.sslSocketFactory = Objects.requireNonNull(factory, "sslSocketFactory");
      return this;
    }

    /** The kubeconfig's {@code tls-server-name}: verified instead of the URL's host. */
    public Builder tlsServerName(String name) {
      Objects.requireNonNull(name, "tlsServerName");
      if (name.isBlank()) {
        throw new IllegalArgumentException("tlsServerName must not be blank");
      }
      this.tlsServerName = name;
      return this;
    }

    /**
     * Whether probes verify the certificate's name. Default true. Set false only when the client's
     * configuration is insecure ({@code insecure-skip-tls-verify}), together with a factory that
     * trusts everything.
     */
    public Builder verifyServerName(boolean verify) {
      this.verifyServerName = verify;
      return this;
    }

    /**
     * Supplies the {@code Authorization} header for {@code /readyz}, read at each request (so a
     * rotated token is picked up). Without it {@code /readyz} goes unauthenticated, which the
     * default RBAC allows ({@code system:public-info-viewer}); a 401 or 403 counts as reachable.
     */
    public Builder readyzAuthorization(Supplier<String> authorization) {
      this.readyzAuthorization = Objects.requireNonNull(authorization, "readyzAuthorization");
      return this;
    }

    /** Where endpoints come from. Default {@link EndpointDiscovery#none()}. */
    public Builder discovery(EndpointDiscovery discovery) {
      this.discovery = Objects.requireNonNull(discovery, "discovery");
      return this;
    }

    /** How often discovery polls when it cannot watch. Default 10 s; at least 1 s. */
    public Builder period(Duration period) {
      this.period = atLeast("period", period, Duration.ofSeconds(1));
      return this;
    }

    /**
     * How long the resolver keeps answering with endpoints while none is reachable, before it falls
     * back to the system resolver and clears the set. Default 300 s.
     */
    public Builder timeout(Duration timeout) {
      this.timeout = positive("timeout", timeout);
      return this;
    }

    /** How long a new endpoint must stay listed before it takes connections. Default 5 s; ≥ 0. */
    public Builder debounce(Duration debounce) {
      this.debounce = notNegative("debounce", debounce);
      return this;
    }

    /** The connect timeout of one attempt and of each probe. Default 1 s. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = atLeast("connectTimeout", connectTimeout, Duration.ofMillis(1));
      return this;
    }

    /** The bound on one dial across all attempts. Default 10 s. */
    public Builder dialTimeout(Duration dialTimeout) {
      this.dialTimeout = atLeast("dialTimeout", dialTimeout, Duration.ofMillis(1));
      return this;
    }

    /** The HTTP/2 PING interval on endpoints in use. Default 250 ms; at least 10 ms. */
    public Builder pingInterval(Duration pingInterval) {
      this.pingInterval = atLeast("pingInterval", pingInterval, Duration.ofMillis(10));
      return this;
    }

    /** How long a PING may go unanswered before its endpoint is down. Default 500 ms. */
    public Builder pingTimeout(Duration pingTimeout) {
      this.pingTimeout = atLeast("pingTimeout", pingTimeout, Duration.ofMillis(10));
      return this;
    }

    /** The mean interval of TLS probes of endpoints not in use. Default 60 s; at least 100 ms. */
    public Builder idleProbeInterval(Duration interval) {
      this.idleProbeInterval = atLeast("idleProbeInterval", interval, Duration.ofMillis(100));
      return this;
    }

    /**
     * The mean interval of {@code /readyz} on endpoints in use. Default 10 min; zero disables the
     * periodic check ({@code /readyz} still gates re-admission after a failure).
     */
    public Builder readyzInterval(Duration interval) {
      notNegative("readyzInterval", interval);
      if (!interval.isZero() && interval.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException(
            "readyzInterval must be zero (off) or at least 1s, was " + interval);
      }
      this.readyzInterval = interval;
      return this;
    }

    /** A write unanswered this long on a tracked connection triggers a probe. Default 1 s. */
    public Builder stallThreshold(Duration threshold) {
      this.stallThreshold = atLeast("stallThreshold", threshold, Duration.ofMillis(10));
      return this;
    }

    /** How long a draining connection must be silent before it is closed. Default 1 s. */
    public Builder drainQuietPeriod(Duration quietPeriod) {
      this.drainQuietPeriod = atLeast("drainQuietPeriod", quietPeriod, Duration.ofMillis(10));
      return this;
    }

    /** How long a draining endpoint's connections may live. Default 30 s; ≥ 0. */
    public Builder maxDrainTime(Duration maxDrainTime) {
      this.maxDrainTime = notNegative("maxDrainTime", maxDrainTime);
      return this;
    }

    /**
     * How long a client's first connections wait for the engine's first discovery (until it lists
     * the endpoints or fails) before they go to the seed address. A connection made through the
     * seed (a Service IP, a load balancer, a DNS name) may lead to any apiserver, so the engine
     * cannot tell which one to close it with; waiting briefly lets the connection go to a known
     * endpoint instead. Engines that start from an endpoints file do not wait. Default 2 s; zero:
     * no wait; at most the dial timeout is spent either way.
     */
    public Builder initialDiscoveryWait(Duration wait) {
      this.initialDiscoveryWait = notNegative("initialDiscoveryWait", wait);
      return this;
    }

    /**
     * Persists the last good endpoint set to {@code file} (atomically: a temporary file, then a
     * rename) and reads it at start, so that a restarted process can reach an apiserver when the
     * seed address is gone. Default: no file.
     */
    public Builder endpointsFile(Path file) {
      this.endpointsFile = Objects.requireNonNull(file, "endpointsFile");
      return this;
    }

    /** Adds addresses that make an endpoint "same node" (e.g. the node's own addresses). */
    public Builder sameNodeAddresses(Iterable<InetAddress> addresses) {
      for (InetAddress address : addresses) {
        sameNodeAddresses.add(IpLiterals.withoutHostName(address));
      }
      return this;
    }

    /** Whether this host's interface addresses count as same node. Default true. */
    public Builder detectLocalAddresses(boolean detect) {
      this.detectLocalAddresses = detect;
      return this;
    }

    /**
     * Reads {@code HOST_IP} and {@code NODE_NAME} (set through the downward API) from {@code
     * environment}. Default: the process environment.
     *
     * @throws IllegalArgumentException when {@code HOST_IP} is set but not an IP address
     */
    public Builder environment(Map<String, String> environment) {
      Objects.requireNonNull(environment, "environment");
      String ip = environment.get("HOST_IP");
      if (ip == null || ip.isBlank()) {
        hostIp = Optional.empty();
      } else {
        hostIp =
            Optional.of(
                IpLiterals.parse(ip.trim())
                    .orElseThrow(
                        () ->
                            new IllegalArgumentException(
                                "HOST_IP must be an IP address (the downward API's status.hostIP),"
                                    + " was '"
                                    + ip
                                    + "'")));
      }
      String node = environment.get("NODE_NAME");
      nodeName = node == null || node.isBlank() ? Optional.empty() : Optional.of(node.trim());
      return this;
    }

    /** Resolves the URL's host name for the seed address. Default {@link HostResolver#SYSTEM}. */
    public Builder seedResolver(HostResolver resolver) {
      this.seedResolver = Objects.requireNonNull(resolver, "seedResolver");
      return this;
    }

    /** Adds a listener; listeners are called in the order added. */
    public Builder listener(FailoverListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @throws IllegalStateException when settings conflict
     */
    public FailoverConfig build() {
      if (connectTimeout.compareTo(dialTimeout) > 0) {
        throw new IllegalStateException(
            "connectTimeout ("
                + connectTimeout
                + ") must not exceed dialTimeout ("
                + dialTimeout
                + ")");
      }
      if (!verifyServerName && sslSocketFactory == null) {
        throw new IllegalStateException(
            "verifyServerName(false) needs the insecure client's sslSocketFactory too: with the"
                + " default factory the certificate is still verified");
      }
      return new FailoverConfig(this);
    }

    private static Duration positive(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + value);
      }
      return value;
    }

    private static Duration notNegative(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative, was " + value);
      }
      return value;
    }

    private static Duration atLeast(String name, Duration value, Duration minimum) {
      Objects.requireNonNull(value, name);
      if (value.compareTo(minimum) < 0) {
        throw new IllegalArgumentException(
            name + " must be at least " + minimum + ", was " + value);
      }
      return value;
    }
  }
}
