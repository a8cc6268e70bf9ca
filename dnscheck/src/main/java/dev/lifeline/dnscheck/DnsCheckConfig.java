package dev.lifeline.dnscheck;

import dev.lifeline.dnscheck.internal.config.CheckSpec;
import dev.lifeline.dnscheck.internal.config.ConfigFile;
import dev.lifeline.dnscheck.internal.config.SettingValues;
import dev.lifeline.dnscheck.internal.remediation.RemediationRules;
import dev.lifeline.dnscheck.internal.verdict.WindowPolicy;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checker's configuration. Immutable and thread-safe; made by a {@link Builder} that validates
 * each value as it is set and the combination in {@link Builder#build()}.
 *
 * <p>Defaults are chosen so that a pod that stops answering UDP is judged failing within 2.5 s and
 * one that answers wrongly within 2 s, while 5 % random packet loss is not judged failing in
 * practice: probes every 500 ms, a 250 ms timeout with one retry after a loss, failing at 4 failed
 * probes in a row or half of a 20-probe window (see {@code docs/dnscheck.md} for the arithmetic).
 */
public final class DnsCheckConfig {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern SELECTOR =
      Pattern.compile(
          "[A-Za-z0-9._/-]+(\\s*(=|==|!=)\\s*[A-Za-z0-9._-]*)?(\\s*,\\s*[A-Za-z0-9._/-]+(\\s*(=|==|!=)\\s*[A-Za-z0-9._-]*)?)*");

  private final String dnsNamespace;
  private final String dnsService;
  private final String dnsServiceSelector;
  private final String dnsPodSelector;
  private final String corefileConfigMap;
  private final String clusterDomain;
  private final Integer dnsPort;
  private final Set<Transport> transports;
  private final Duration interval;
  private final Duration timeout;
  private final int retries;
  private final boolean kubernetesCheck;
  private final boolean nxdomainCheck;
  private final List<Check> checks;
  private final WindowPolicy window;
  private final RemediationRules remediation;
  private final RestartMethod restartMethod;
  private final boolean leaderElect;
  private final String leaseNamespace;
  private final String leaseName;
  private final Duration leaseDuration;
  private final Duration renewDeadline;
  private final Duration retryPeriod;
  private final String identity;
  private final InetSocketAddress metricsAddress;
  private final int onceRounds;
  private final DeploymentMode mode;
  private final String helperImage;
  private final String helperNamespace;
  private final Duration helperTimeout;
  private final String exposedService;

  private DnsCheckConfig(Builder b, WindowPolicy window, RemediationRules remediation) {
    this.dnsNamespace = b.dnsNamespace;
    this.dnsService = b.dnsService;
    this.dnsServiceSelector = b.dnsServiceSelector;
    this.dnsPodSelector = b.dnsPodSelector;
    this.corefileConfigMap = b.corefileConfigMap;
    this.clusterDomain = b.clusterDomain;
    this.dnsPort = b.dnsPort;
    // In enum order (UDP first) wherever they are listed.
    this.transports = java.util.Collections.unmodifiableSet(EnumSet.copyOf(b.transports));
    this.interval = b.interval;
    this.timeout = b.timeout;
    this.retries = b.retries;
    this.kubernetesCheck = b.kubernetesCheck;
    this.nxdomainCheck = b.nxdomainCheck;
    this.checks = List.copyOf(b.checks);
    this.window = window;
    this.remediation = remediation;
    this.restartMethod = b.restartMethod;
    this.leaderElect = b.leaderElect;
    this.leaseNamespace =
        b.leaseNamespace != null
            ? b.leaseNamespace
            : b.environment.getOrDefault("POD_NAMESPACE", b.dnsNamespace);
    this.leaseName = b.leaseName;
    this.leaseDuration = b.leaseDuration;
    this.renewDeadline = b.renewDeadline;
    this.retryPeriod = b.retryPeriod;
    this.identity = b.identity != null ? b.identity : defaultIdentity(b.environment);
    this.metricsAddress = b.metricsAddress;
    this.onceRounds = b.onceRounds != null ? b.onceRounds : window.minSamples();
    this.mode = b.mode;
    this.helperImage = b.helperImage;
    this.helperNamespace = b.helperNamespace;
    this.helperTimeout = b.helperTimeout;
    this.exposedService = b.exposedService;
  }

  public static Builder builder() {
    return new Builder(System.getenv());
  }

  /**
   * A builder whose derived defaults (lease namespace, identity) read {@code environment} instead
   * of the process's environment.
   */
  public static Builder builder(Map<String, String> environment) {
    return new Builder(environment);
  }

  private static String defaultIdentity(Map<String, String> env) {
    String base = env.getOrDefault("POD_NAME", env.getOrDefault("HOSTNAME", "lifeline-dnscheck"));
    byte[] suffix = new byte[4];
    new SecureRandom().nextBytes(suffix);
    return base + "_" + HexFormat.of().formatHex(suffix);
  }

  public String dnsNamespace() {
    return dnsNamespace;
  }

  public String dnsService() {
    return dnsService;
  }

  public Optional<String> dnsServiceSelector() {
    return Optional.ofNullable(dnsServiceSelector);
  }

  public Optional<String> dnsPodSelector() {
    return Optional.ofNullable(dnsPodSelector);
  }

  public String corefileConfigMap() {
    return corefileConfigMap;
  }

  public Optional<String> clusterDomain() {
    return Optional.ofNullable(clusterDomain);
  }

  public OptionalInt dnsPort() {
    return dnsPort == null ? OptionalInt.empty() : OptionalInt.of(dnsPort);
  }

  public Set<Transport> transports() {
    return transports;
  }

  public Duration interval() {
    return interval;
  }

  public Duration timeout() {
    return timeout;
  }

  public int retries() {
    return retries;
  }

  public boolean kubernetesCheck() {
    return kubernetesCheck;
  }

  public boolean nxdomainCheck() {
    return nxdomainCheck;
  }

  public List<Check> checks() {
    return checks;
  }

  public int windowSize() {
    return window.windowSize();
  }

  public int minSamples() {
    return window.minSamples();
  }

  public double failureRatio() {
    return window.failureRatio();
  }

  public int consecutiveFailures() {
    return window.consecutiveFailures();
  }

  public boolean dryRun() {
    return remediation.dryRun();
  }

  public RestartMethod restartMethod() {
    return restartMethod;
  }

  public Duration podCooldown() {
    return remediation.podCooldown();
  }

  public Duration evictionRetry() {
    return remediation.evictionRetry();
  }

  public int maxRestarts() {
    return remediation.maxRestarts();
  }

  public Duration restartPeriod() {
    return remediation.restartPeriod();
  }

  public Duration backoffInitial() {
    return remediation.backoffInitial();
  }

  public Duration backoffMax() {
    return remediation.backoffMax();
  }

  public double maxFailingShare() {
    return remediation.maxFailingShare();
  }

  public Duration restartDelay() {
    return remediation.restartDelay();
  }

  /** Whether to hold a Lease before acting; a dry run never takes one (it writes nothing). */
  public boolean leaderElect() {
    return leaderElect && !remediation.dryRun();
  }

  public String leaseNamespace() {
    return leaseNamespace;
  }

  public String leaseName() {
    return leaseName;
  }

  public Duration leaseDuration() {
    return leaseDuration;
  }

  public Duration renewDeadline() {
    return renewDeadline;
  }

  public Duration retryPeriod() {
    return retryPeriod;
  }

  public String identity() {
    return identity;
  }

  /** Where metrics are served, or empty when off. */
  public Optional<InetSocketAddress> metricsAddress() {
    return Optional.ofNullable(metricsAddress);
  }

  /** Rounds of probes in a one-shot run. */
  public int onceRounds() {
    return onceRounds;
  }

  /** The deployment mode, or empty to choose automatically. */
  public Optional<DeploymentMode> mode() {
    return Optional.ofNullable(mode);
  }

  public String helperImage() {
    return helperImage;
  }

  public String helperNamespace() {
    return helperNamespace;
  }

  public Duration helperTimeout() {
    return helperTimeout;
  }

  /** The exposing Service as {@code namespace/name}, or empty to find one. */
  public Optional<String> exposedService() {
    return Optional.ofNullable(exposedService);
  }

  /**
   * The longest time from a pod going silent (on one transport) to its verdict turning failing,
   * with these settings: the probe that first meets the fault starts up to one interval later, the
   * {@code consecutive-failures}-th failing probe starts {@code consecutive-failures - 1} intervals
   * after that and ends when its last attempt times out.
   */
  public Duration worstCaseSilentDetection() {
    return interval
        .multipliedBy(window.consecutiveFailures())
        .plus(timeout.multipliedBy(retries + 1L));
  }

  /** As {@link #worstCaseSilentDetection()} for a pod that answers wrongly (answers are quick). */
  public Duration worstCaseWrongAnswerDetection() {
    return interval.multipliedBy(window.consecutiveFailures());
  }

  /** Builds a {@link DnsCheckConfig}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, String> environment;
    private final Set<DnsCheckSetting> explicitlySet = EnumSet.noneOf(DnsCheckSetting.class);
    private String dnsNamespace = "kube-system";
    private String dnsService = "kube-dns";
    private String dnsServiceSelector;
    private String dnsPodSelector;
    private String corefileConfigMap = "coredns";
    private String clusterDomain;
    private Integer dnsPort;
    private Set<Transport> transports = EnumSet.allOf(Transport.class);
    private Duration interval = Duration.ofMillis(500);
    private Duration timeout = Duration.ofMillis(250);
    private int retries = 1;
    private boolean kubernetesCheck = true;
    private boolean nxdomainCheck = true;
    private final List<Check> checks = new ArrayList<>();
    private int windowSize = 20;
    private int minSamples = 10;
    private double failureRatio = 0.5;
    private int consecutiveFailures = 4;
    private boolean dryRun;
    private RestartMethod restartMethod = RestartMethod.EVICT;
    private Duration podCooldown = Duration.ofMinutes(5);
    private Duration evictionRetry = Duration.ofSeconds(30);
    private int maxRestarts = 3;
    private Duration restartPeriod = Duration.ofMinutes(10);
    private Duration backoffInitial = Duration.ofSeconds(30);
    private Duration backoffMax = Duration.ofMinutes(30);
    private double maxFailingShare = 0.5;
    private Duration restartDelay = Duration.ofSeconds(5);
    private boolean leaderElect = true;
    private String leaseNamespace;
    private String leaseName = "lifeline-dnscheck";
    private Duration leaseDuration = Duration.ofSeconds(15);
    private Duration renewDeadline = Duration.ofSeconds(10);
    private Duration retryPeriod = Duration.ofSeconds(2);
    private String identity;
    private InetSocketAddress metricsAddress =
        SettingValues.listenAddress("metrics-address", "127.0.0.1:9753");
    private Integer onceRounds;
    private DeploymentMode mode;
    private String helperImage = "ghcr.io/lifeline-dev/lifeline:latest";
    private String helperNamespace = "default";
    private Duration helperTimeout = Duration.ofSeconds(120);
    private String exposedService;

    private Builder(Map<String, String> environment) {
      this.environment = Map.copyOf(environment);
    }

    /**
     * Sets a setting from text, as flags, environment variables and the config file give it.
     * Repeatable settings ({@code check}) add a value each time.
     *
     * @throws IllegalArgumentException naming the setting and the value when it is malformed
     */
    public Builder set(DnsCheckSetting setting, String value) {
      Objects.requireNonNull(value, setting.key());
      String k = setting.key();
      switch (setting) {
        case DNS_NAMESPACE -> dnsNamespace(value);
        case DNS_SERVICE -> dnsService(value);
        case DNS_SERVICE_SELECTOR -> dnsServiceSelector(value);
        case DNS_POD_SELECTOR -> dnsPodSelector(value);
        case COREFILE_CONFIGMAP -> corefileConfigMap(value);
        case CLUSTER_DOMAIN -> clusterDomain(value);
        case DNS_PORT -> dnsPort(SettingValues.integer(k, value, 1, 65535));
        case TRANSPORTS -> {
          List<Transport> ts = new ArrayList<>();
          for (String t : SettingValues.list(value)) {
            ts.add(Transport.parse(t));
          }
          transports(ts);
        }
        case INTERVAL -> interval(SettingValues.duration(k, value));
        case TIMEOUT -> timeout(SettingValues.duration(k, value));
        case RETRIES -> retries(SettingValues.integer(k, value, 0, 3));
        case KUBERNETES_CHECK -> kubernetesCheck(SettingValues.bool(k, value));
        case NXDOMAIN_CHECK -> nxdomainCheck(SettingValues.bool(k, value));
        case CHECK -> addCheck(CheckSpec.parse(value));
        case WINDOW -> windowSize(SettingValues.integer(k, value, 1, 10_000));
        case MIN_SAMPLES -> minSamples(SettingValues.integer(k, value, 1, 10_000));
        case FAILURE_RATIO -> failureRatio(SettingValues.share(k, value));
        case CONSECUTIVE_FAILURES ->
            consecutiveFailures(SettingValues.integer(k, value, 1, 10_000));
        case DRY_RUN -> dryRun(SettingValues.bool(k, value));
        case RESTART_METHOD -> restartMethod(RestartMethod.parse(value));
        case POD_COOLDOWN -> podCooldown(SettingValues.duration(k, value));
        case EVICTION_RETRY -> evictionRetry(SettingValues.duration(k, value));
        case MAX_RESTARTS -> maxRestarts(SettingValues.integer(k, value, 1, 1000));
        case RESTART_PERIOD -> restartPeriod(SettingValues.duration(k, value));
        case BACKOFF_INITIAL -> backoffInitial(SettingValues.duration(k, value));
        case BACKOFF_MAX -> backoffMax(SettingValues.duration(k, value));
        case MAX_FAILING_SHARE -> maxFailingShare(SettingValues.share(k, value));
        case RESTART_DELAY -> restartDelay(SettingValues.duration(k, value));
        case LEADER_ELECT -> leaderElect(SettingValues.bool(k, value));
        case LEASE_NAMESPACE -> leaseNamespace(value);
        case LEASE_NAME -> leaseName(value);
        case LEASE_DURATION -> leaseDuration(SettingValues.duration(k, value));
        case RENEW_DEADLINE -> renewDeadline(SettingValues.duration(k, value));
        case RETRY_PERIOD -> retryPeriod(SettingValues.duration(k, value));
        case IDENTITY -> identity(value);
        case METRICS_ADDRESS ->
            metricsAddress(
                value.strip().equalsIgnoreCase("off")
                    ? null
                    : SettingValues.listenAddress(k, value));
        case ONCE_ROUNDS -> onceRounds(SettingValues.integer(k, value, 1, 10_000));
        case MODE ->
            mode(value.strip().equalsIgnoreCase("auto") ? null : DeploymentMode.parse(value));
        case HELPER_IMAGE -> helperImage(value);
        case HELPER_NAMESPACE -> helperNamespace(value);
        case HELPER_TIMEOUT -> helperTimeout(SettingValues.duration(k, value));
        case EXPOSED_SERVICE -> exposedService(value);
      }
      explicitlySet.add(setting);
      return this;
    }

    /**
     * Applies a YAML config file: a map from setting keys to values ({@code interval: 500ms});
     * {@code check} takes a list of one-line specs or maps with the same keys.
     *
     * @throws IllegalArgumentException naming the file and the setting when something is wrong
     */
    public Builder applyFile(Path file) {
      ConfigFile.apply(file, this);
      return this;
    }

    /**
     * Applies every {@code LIFELINE_DNSCHECK_*} variable of {@code environment}; {@code
     * LIFELINE_DNSCHECK_CHECK} may hold several checks, one per line.
     *
     * @throws IllegalArgumentException naming the variable when its value is wrong, or when a
     *     variable of that prefix names no setting
     */
    public Builder applyEnvironment(Map<String, String> environment) {
      Map<String, DnsCheckSetting> byVariable = new java.util.TreeMap<>();
      for (DnsCheckSetting s : DnsCheckSetting.values()) {
        byVariable.put(s.environmentVariable(), s);
      }
      for (Map.Entry<String, String> e : new java.util.TreeMap<>(environment).entrySet()) {
        if (!e.getKey().startsWith("LIFELINE_DNSCHECK_")) {
          continue;
        }
        DnsCheckSetting s = byVariable.get(e.getKey());
        if (s == null) {
          throw new IllegalArgumentException(
              "environment variable " + e.getKey() + " names no setting; unset it or fix its name");
        }
        try {
          if (s.isRepeatable()) {
            for (String line : e.getValue().split("\\R")) {
              if (!line.isBlank()) {
                set(s, line);
              }
            }
          } else {
            set(s, e.getValue());
          }
        } catch (IllegalArgumentException | IllegalStateException ex) {
          throw new IllegalArgumentException(e.getKey() + ": " + ex.getMessage(), ex);
        }
      }
      return this;
    }

    /** Whether a setting was given (by {@link #set} or its typed setter). */
    public boolean isSet(DnsCheckSetting setting) {
      return explicitlySet.contains(setting);
    }

    public Builder dnsNamespace(String namespace) {
      this.dnsNamespace = dnsLabel("dns-namespace", namespace);
      explicitlySet.add(DnsCheckSetting.DNS_NAMESPACE);
      return this;
    }

    public Builder dnsService(String name) {
      this.dnsService = dnsLabel("dns-service", name);
      explicitlySet.add(DnsCheckSetting.DNS_SERVICE);
      return this;
    }

    public Builder dnsServiceSelector(String selector) {
      this.dnsServiceSelector = selector("dns-service-selector", selector);
      explicitlySet.add(DnsCheckSetting.DNS_SERVICE_SELECTOR);
      return this;
    }

    public Builder dnsPodSelector(String selector) {
      this.dnsPodSelector = selector("dns-pod-selector", selector);
      explicitlySet.add(DnsCheckSetting.DNS_POD_SELECTOR);
      return this;
    }

    public Builder corefileConfigMap(String name) {
      this.corefileConfigMap = subdomain("corefile-configmap", name);
      return this;
    }

    public Builder clusterDomain(String domain) {
      String d = domain.strip().toLowerCase(java.util.Locale.ROOT);
      if (d.endsWith(".")) {
        d = d.substring(0, d.length() - 1);
      }
      this.clusterDomain = subdomain("cluster-domain", d);
      return this;
    }

    public Builder dnsPort(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("dns-port was " + port + "; use 1 to 65535");
      }
      this.dnsPort = port;
      return this;
    }

    public Builder transports(java.util.Collection<Transport> transports) {
      if (transports.isEmpty()) {
        throw new IllegalArgumentException("transports was empty; use udp, tcp or both");
      }
      this.transports = EnumSet.copyOf(transports);
      explicitlySet.add(DnsCheckSetting.TRANSPORTS);
      return this;
    }

    public Builder interval(Duration interval) {
      this.interval = within("interval", interval, Duration.ofMillis(50), Duration.ofMinutes(10));
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = within("timeout", timeout, Duration.ofMillis(10), Duration.ofSeconds(30));
      return this;
    }

    public Builder retries(int retries) {
      if (retries < 0 || retries > 3) {
        throw new IllegalArgumentException("retries was " + retries + "; use 0 to 3");
      }
      this.retries = retries;
      return this;
    }

    public Builder kubernetesCheck(boolean on) {
      this.kubernetesCheck = on;
      return this;
    }

    public Builder nxdomainCheck(boolean on) {
      this.nxdomainCheck = on;
      return this;
    }

    public Builder addCheck(Check check) {
      for (Check c : checks) {
        if (c.name().equals(check.name())) {
          throw new IllegalStateException(
              "check name '" + check.name() + "' is used twice; give each check its own name");
        }
      }
      if (List.of("kubernetes", "kubernetes-ipv6", "nxdomain").contains(check.name())) {
        throw new IllegalArgumentException(
            "check name '" + check.name() + "' is taken by a built-in check; choose another");
      }
      checks.add(check);
      return this;
    }

    public Builder windowSize(int size) {
      atLeastOne("window", size);
      this.windowSize = size;
      return this;
    }

    public Builder minSamples(int samples) {
      atLeastOne("min-samples", samples);
      this.minSamples = samples;
      return this;
    }

    public Builder failureRatio(double ratio) {
      if (!(ratio > 0 && ratio <= 1)) {
        throw new IllegalArgumentException(
            "failure-ratio was " + ratio + "; use a share above 0 and at most 1");
      }
      this.failureRatio = ratio;
      return this;
    }

    public Builder consecutiveFailures(int n) {
      atLeastOne("consecutive-failures", n);
      this.consecutiveFailures = n;
      return this;
    }

    public Builder dryRun(boolean dryRun) {
      this.dryRun = dryRun;
      return this;
    }

    public Builder restartMethod(RestartMethod method) {
      this.restartMethod = Objects.requireNonNull(method);
      return this;
    }

    public Builder podCooldown(Duration d) {
      this.podCooldown = within("pod-cooldown", d, Duration.ofSeconds(1), Duration.ofDays(1));
      return this;
    }

    public Builder evictionRetry(Duration d) {
      this.evictionRetry = within("eviction-retry", d, Duration.ofSeconds(1), Duration.ofDays(1));
      return this;
    }

    public Builder maxRestarts(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("max-restarts was " + n + "; use 1 or more");
      }
      this.maxRestarts = n;
      return this;
    }

    public Builder restartPeriod(Duration d) {
      this.restartPeriod = within("restart-period", d, Duration.ofSeconds(1), Duration.ofDays(1));
      return this;
    }

    public Builder backoffInitial(Duration d) {
      this.backoffInitial = within("backoff-initial", d, Duration.ofSeconds(1), Duration.ofDays(1));
      return this;
    }

    public Builder backoffMax(Duration d) {
      this.backoffMax = within("backoff-max", d, Duration.ofSeconds(1), Duration.ofDays(1));
      return this;
    }

    public Builder maxFailingShare(double share) {
      if (!(share > 0 && share < 1)) {
        throw new IllegalArgumentException(
            "max-failing-share was " + share + "; use a share above 0 and below 1");
      }
      this.maxFailingShare = share;
      return this;
    }

    public Builder restartDelay(Duration d) {
      this.restartDelay = within("restart-delay", d, Duration.ZERO, Duration.ofHours(1));
      return this;
    }

    public Builder leaderElect(boolean on) {
      this.leaderElect = on;
      return this;
    }

    public Builder leaseNamespace(String namespace) {
      this.leaseNamespace = dnsLabel("lease-namespace", namespace);
      return this;
    }

    public Builder leaseName(String name) {
      this.leaseName = subdomain("lease-name", name);
      return this;
    }

    public Builder leaseDuration(Duration d) {
      this.leaseDuration = within("lease-duration", d, Duration.ofSeconds(1), Duration.ofHours(1));
      return this;
    }

    public Builder renewDeadline(Duration d) {
      this.renewDeadline = within("renew-deadline", d, Duration.ofMillis(100), Duration.ofHours(1));
      return this;
    }

    public Builder retryPeriod(Duration d) {
      this.retryPeriod = within("retry-period", d, Duration.ofMillis(50), Duration.ofMinutes(10));
      return this;
    }

    public Builder identity(String identity) {
      String v = identity.strip();
      if (v.isEmpty() || v.length() > 253) {
        throw new IllegalArgumentException(
            "identity was '" + identity + "'; use 1 to 253 characters");
      }
      this.identity = v;
      return this;
    }

    /** Where to serve metrics; null turns them off. */
    public Builder metricsAddress(InetSocketAddress address) {
      this.metricsAddress = address;
      return this;
    }

    public Builder onceRounds(int rounds) {
      if (rounds < 1) {
        throw new IllegalArgumentException("once-rounds was " + rounds + "; use 1 or more");
      }
      this.onceRounds = rounds;
      return this;
    }

    /** The deployment mode; null chooses automatically. */
    public Builder mode(DeploymentMode mode) {
      this.mode = mode;
      explicitlySet.add(DnsCheckSetting.MODE);
      return this;
    }

    public Builder helperImage(String image) {
      String v = image.strip();
      if (v.isEmpty() || v.contains(" ")) {
        throw new IllegalArgumentException(
            "helper-image was '" + image + "'; use an image reference");
      }
      this.helperImage = v;
      return this;
    }

    public Builder helperNamespace(String namespace) {
      this.helperNamespace = dnsLabel("helper-namespace", namespace);
      return this;
    }

    public Builder helperTimeout(Duration d) {
      this.helperTimeout =
          within("helper-timeout", d, Duration.ofSeconds(5), Duration.ofMinutes(30));
      return this;
    }

    /** The exposing Service as {@code namespace/name}. */
    public Builder exposedService(String namespacedName) {
      String v = namespacedName.strip();
      int slash = v.indexOf('/');
      if (slash <= 0) {
        throw new IllegalArgumentException(
            "exposed-service was '" + namespacedName + "'; use NAMESPACE/NAME");
      }
      dnsLabel("exposed-service", v.substring(0, slash));
      dnsLabel("exposed-service", v.substring(slash + 1));
      this.exposedService = v;
      return this;
    }

    /**
     * Validates the combination and builds.
     *
     * @throws IllegalArgumentException for a value out of range for the others (min-samples above
     *     the window)
     * @throws IllegalStateException for settings that contradict each other
     */
    public DnsCheckConfig build() {
      if (explicitlySet.contains(DnsCheckSetting.DNS_SERVICE)
          && explicitlySet.contains(DnsCheckSetting.DNS_SERVICE_SELECTOR)) {
        throw new IllegalStateException(
            "dns-service and dns-service-selector were both set; give one of them");
      }
      if (mode == DeploymentMode.PORT_FORWARD
          && explicitlySet.contains(DnsCheckSetting.TRANSPORTS)
          && transports.contains(Transport.UDP)) {
        throw new IllegalStateException(
            "mode port-forward carries TCP only, but transports includes udp; use --transports tcp");
      }
      if (!(leaseDuration.compareTo(renewDeadline) > 0)) {
        throw new IllegalStateException(
            "lease-duration ("
                + leaseDuration
                + ") must be longer than renew-deadline ("
                + renewDeadline
                + ")");
      }
      if (renewDeadline.toNanos() <= retryPeriod.toNanos() * 1.2) {
        throw new IllegalStateException(
            "renew-deadline ("
                + renewDeadline
                + ") must be longer than 1.2 times retry-period ("
                + retryPeriod
                + ")");
      }
      if (!kubernetesCheck && !nxdomainCheck && checks.isEmpty()) {
        throw new IllegalStateException(
            "every check is off (kubernetes-check, nxdomain-check and no user check); turn one on");
      }
      WindowPolicy window =
          new WindowPolicy(windowSize, minSamples, failureRatio, consecutiveFailures);
      RemediationRules rules =
          new RemediationRules(
              dryRun,
              podCooldown,
              evictionRetry,
              maxRestarts,
              restartPeriod,
              backoffInitial,
              backoffMax,
              maxFailingShare,
              restartDelay);
      return new DnsCheckConfig(this, window, rules);
    }

    private static void atLeastOne(String setting, int n) {
      if (n < 1) {
        throw new IllegalArgumentException(setting + " was " + n + "; use 1 or more");
      }
    }

    private static Duration within(String setting, Duration d, Duration min, Duration max) {
      Objects.requireNonNull(d, setting);
      if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
        throw new IllegalArgumentException(
            setting + " was " + text(d) + "; use " + text(min) + " to " + text(max));
      }
      return d;
    }

    private static String text(Duration d) {
      long ms = d.toMillis();
      if (ms % 3_600_000 == 0 && ms > 0) {
        return ms / 3_600_000 + "h";
      }
      if (ms % 60_000 == 0 && ms > 0) {
        return ms / 60_000 + "m";
      }
      if (ms % 1000 == 0 && ms > 0) {
        return ms / 1000 + "s";
      }
      return ms + "ms";
    }

    private static String dnsLabel(String setting, String value) {
      String v = value.strip();
      if (!DNS_LABEL.matcher(v).matches()) {
        throw new IllegalArgumentException(
            setting
                + " was '"
                + value
                + "'; use a Kubernetes name: lower-case letters, digits and '-', at most 63");
      }
      return v;
    }

    private static String subdomain(String setting, String value) {
      String v = value.strip();
      if (v.length() > 253 || !DNS_SUBDOMAIN.matcher(v).matches()) {
        throw new IllegalArgumentException(
            setting
                + " was '"
                + value
                + "'; use lower-case letters, digits, '-' and '.' (a DNS subdomain)");
      }
      return v;
    }

    private static String selector(String setting, String value) {
      String v = value.strip();
      if (!SELECTOR.matcher(v).matches()) {
        throw new IllegalArgumentException(
            setting + " was '" + value + "'; use a label selector such as k8s-app=kube-dns");
      }
      return v;
    }
  }
}
