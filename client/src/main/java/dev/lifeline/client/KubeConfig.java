package dev.lifeline.client;

import dev.lifeline.client.internal.config.ConfigLoader;
import dev.lifeline.client.internal.config.PemReader;
import java.net.URI;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where the API server is and how to authenticate to it: one resolved context of a kubeconfig, the
 * in-cluster service account, or values set in code. Immutable and thread-safe; secrets (tokens,
 * keys) never appear in {@link #toString()}.
 *
 * <p>{@link #load()} finds the configuration the way kubectl and client-go do: the files in {@code
 * KUBECONFIG} (merged), else {@code ~/.kube/config}, else the in-cluster service account. {@link
 * #loader()} sets the context, the files, and (for tests) the environment, home and service-account
 * folders. Loading reads and checks every referenced file at once: a problem is a {@link
 * KubeConfigException} naming the file and the field.
 */
public final class KubeConfig {
  /** How often a token file is re-read: bound service-account tokens rotate about every hour. */
  public static final Duration DEFAULT_TOKEN_FILE_REFRESH = Duration.ofMinutes(1);

  private final URI server;
  private final String tlsServerName;
  private final boolean insecureSkipTlsVerify;
  private final List<X509Certificate> certificateAuthorities;
  private final URI proxyUrl;
  private final boolean disableCompression;
  private final String namespace;
  private final String token;
  private final Path tokenFile;
  private final Duration tokenFileRefresh;
  private final List<X509Certificate> clientCertificateChain;
  private final PrivateKey clientKey;
  private final ExecConfig exec;
  private final Object execClusterConfig;
  private final String impersonateUser;
  private final String impersonateUid;
  private final List<String> impersonateGroups;
  private final Map<String, List<String>> impersonateExtra;
  private final String source;
  private final String userField;
  private final String contextName;

  private KubeConfig(Builder b) {
    this.server = b.server;
    this.tlsServerName = b.tlsServerName;
    this.insecureSkipTlsVerify = b.insecureSkipTlsVerify;
    this.certificateAuthorities = List.copyOf(b.certificateAuthorities);
    this.proxyUrl = b.proxyUrl;
    this.disableCompression = b.disableCompression;
    this.namespace = b.namespace;
    this.token = b.token;
    this.tokenFile = b.tokenFile;
    this.tokenFileRefresh = b.tokenFileRefresh;
    this.clientCertificateChain = List.copyOf(b.clientCertificateChain);
    this.clientKey = b.clientKey;
    this.exec = b.exec;
    this.execClusterConfig = b.execClusterConfig;
    this.impersonateUser = b.impersonateUser;
    this.impersonateUid = b.impersonateUid;
    this.impersonateGroups = List.copyOf(b.impersonateGroups);
    Map<String, List<String>> extra = new LinkedHashMap<>();
    b.impersonateExtra.forEach((k, v) -> extra.put(k, List.copyOf(v)));
    this.impersonateExtra = java.util.Collections.unmodifiableMap(extra);
    this.source = b.source;
    this.userField = b.userField;
    this.contextName = b.contextName;
  }

  /**
   * Loads the configuration as kubectl would: {@code KUBECONFIG}, else {@code ~/.kube/config}, else
   * in-cluster.
   *
   * @throws KubeConfigException when nothing is found or what is found is wrong
   */
  public static KubeConfig load() {
    return loader().load();
  }

  /** A loader, to choose the context, the files, or the environment. */
  public static Loader loader() {
    return new Loader();
  }

  /** A builder for a configuration set in code. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.server = server;
    b.tlsServerName = tlsServerName;
    b.insecureSkipTlsVerify = insecureSkipTlsVerify;
    b.certificateAuthorities.addAll(certificateAuthorities);
    b.proxyUrl = proxyUrl;
    b.disableCompression = disableCompression;
    b.namespace = namespace;
    b.token = token;
    b.tokenFile = tokenFile;
    b.tokenFileRefresh = tokenFileRefresh;
    b.clientCertificateChain.addAll(clientCertificateChain);
    b.clientKey = clientKey;
    b.exec = exec;
    b.execClusterConfig = execClusterConfig;
    b.impersonateUser = impersonateUser;
    b.impersonateUid = impersonateUid;
    b.impersonateGroups.addAll(impersonateGroups);
    b.impersonateExtra.putAll(impersonateExtra);
    b.source = source;
    b.userField = userField;
    b.contextName = contextName;
    return b;
  }

  /** The API server's URL, e.g. {@code https://10.0.0.1:6443}. */
  public URI server() {
    return server;
  }

  /**
   * The name to verify the server's certificate against and send as SNI, or null for the URL's
   * host.
   */
  public String tlsServerName() {
    return tlsServerName;
  }

  /** Whether the server's certificate is not verified. */
  public boolean isInsecureSkipTlsVerify() {
    return insecureSkipTlsVerify;
  }

  /** The CAs to trust (empty: the system's). */
  public List<X509Certificate> certificateAuthorities() {
    return certificateAuthorities;
  }

  /** The proxy ({@code http}, {@code https} or {@code socks5} URL), or null. */
  public URI proxyUrl() {
    return proxyUrl;
  }

  /** Whether to ask the server not to compress responses. */
  public boolean isDisableCompression() {
    return disableCompression;
  }

  /** The default namespace ({@code default} when none is set). */
  public String namespace() {
    return namespace;
  }

  /** The static bearer token, or null. Never logged. */
  public String token() {
    return token;
  }

  /** The file a bearer token is read from (and re-read as it rotates), or null. */
  public Path tokenFile() {
    return tokenFile;
  }

  /** How often the token file is re-read (it is also re-read after a 401). */
  public Duration tokenFileRefresh() {
    return tokenFileRefresh;
  }

  /** The client certificate and its chain (empty when none). */
  public List<X509Certificate> clientCertificateChain() {
    return clientCertificateChain;
  }

  /** The client certificate's private key, or null. Never logged. */
  public PrivateKey clientKey() {
    return clientKey;
  }

  /** The exec credential plugin, or null. */
  public ExecConfig exec() {
    return exec;
  }

  /**
   * The cluster's {@code client.authentication.k8s.io/exec} extension, passed to an exec plugin
   * that asks for cluster info, or null.
   */
  public Object execClusterConfig() {
    return execClusterConfig;
  }

  /** The user to act as ({@code as}), or null. */
  public String impersonateUser() {
    return impersonateUser;
  }

  /** The uid to act as ({@code as-uid}), or null. */
  public String impersonateUid() {
    return impersonateUid;
  }

  /** The groups to act as ({@code as-groups}). */
  public List<String> impersonateGroups() {
    return impersonateGroups;
  }

  /** The extra user information to act with ({@code as-user-extra}). */
  public Map<String, List<String>> impersonateExtra() {
    return impersonateExtra;
  }

  /**
   * Where this configuration came from, for messages: a file, "in-cluster configuration" or
   * "configuration".
   */
  public String source() {
    return source;
  }

  /** The user's field in {@link #source()}, for messages, e.g. {@code users[alice]}. */
  public String userField() {
    return userField;
  }

  /** The kubeconfig context this came from, or null. */
  public String contextName() {
    return contextName;
  }

  /** The server, source, context and auth kinds; never a secret. */
  @Override
  public String toString() {
    List<String> auth = new ArrayList<>();
    if (token != null) {
      auth.add("token");
    }
    if (tokenFile != null) {
      auth.add("tokenFile=" + tokenFile);
    }
    if (clientKey != null) {
      auth.add("clientCertificate");
    }
    if (exec != null) {
      auth.add("exec=" + exec.command());
    }
    if (impersonateUser != null) {
      auth.add("as=" + impersonateUser);
    }
    return "KubeConfig{server="
        + server
        + (tlsServerName == null ? "" : ", tlsServerName=" + tlsServerName)
        + (insecureSkipTlsVerify ? ", insecure" : "")
        + (proxyUrl == null ? "" : ", proxy=" + proxyUrl.getScheme() + "://" + proxyUrl.getHost())
        + ", namespace="
        + namespace
        + ", auth="
        + auth
        + ", source="
        + source
        + (contextName == null ? "" : ", context=" + contextName)
        + "}";
  }

  /**
   * Builds a {@link KubeConfig} in code. {@link #build()} checks the settings together; each setter
   * checks its value. Not thread-safe.
   */
  public static final class Builder {
    private URI server;
    private String tlsServerName;
    private boolean insecureSkipTlsVerify;
    private final List<X509Certificate> certificateAuthorities = new ArrayList<>();
    private URI proxyUrl;
    private boolean disableCompression;
    private String namespace = "default";
    private String token;
    private Path tokenFile;
    private Duration tokenFileRefresh = DEFAULT_TOKEN_FILE_REFRESH;
    private final List<X509Certificate> clientCertificateChain = new ArrayList<>();
    private PrivateKey clientKey;
    private ExecConfig exec;
    private Object execClusterConfig;
    private String impersonateUser;
    private String impersonateUid;
    private final List<String> impersonateGroups = new ArrayList<>();
    private final Map<String, List<String>> impersonateExtra = new LinkedHashMap<>();
    private String source = "configuration";
    private String userField = "user";
    private String contextName;

    private Builder() {}

    /** The API server's URL: {@code https://host[:port][/path]} (or {@code http://} for tests). */
    public Builder server(String server) {
      Objects.requireNonNull(server, "server");
      URI uri;
      try {
        uri = URI.create(server.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("server: not a URL: '" + server + "'", e);
      }
      String scheme = uri.getScheme();
      if (scheme == null
          || !(scheme.equals("https") || scheme.equals("http"))
          || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "server: expected https://host[:port], got '" + server + "'");
      }
      this.server = uri;
      return this;
    }

    /** The name to verify the certificate against and send as SNI. */
    public Builder tlsServerName(String name) {
      this.tlsServerName = name == null || name.isEmpty() ? null : name;
      return this;
    }

    /** Skips certificate verification. Only for clusters that have no verifiable certificate. */
    public Builder insecureSkipTlsVerify(boolean insecure) {
      this.insecureSkipTlsVerify = insecure;
      return this;
    }

    /** Adds CAs to trust. */
    public Builder certificateAuthorities(List<X509Certificate> cas) {
      certificateAuthorities.addAll(cas);
      return this;
    }

    /**
     * Adds CAs from PEM text.
     *
     * @throws IllegalArgumentException when the text holds no certificate or a malformed one
     */
    public Builder certificateAuthorityPem(String pem) {
      try {
        certificateAuthorities.addAll(
            PemReader.certificates(pem.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
        throw new IllegalArgumentException("certificateAuthorityPem: " + e.getMessage(), e);
      }
      return this;
    }

    /**
     * A proxy for every request: {@code http://}, {@code https://} or {@code socks5://} host and
     * port (user and password allowed for http and https).
     */
    public Builder proxyUrl(String proxyUrl) {
      if (proxyUrl == null || proxyUrl.isEmpty()) {
        this.proxyUrl = null;
        return this;
      }
      URI uri;
      try {
        uri = URI.create(proxyUrl.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("proxyUrl: not a URL: '" + proxyUrl + "'", e);
      }
      String scheme = uri.getScheme();
      if (scheme == null
          || !(scheme.equals("http") || scheme.equals("https") || scheme.equals("socks5"))) {
        throw new IllegalArgumentException(
            "proxyUrl: expected an http://, https:// or socks5:// URL, got '" + proxyUrl + "'");
      }
      if (uri.getHost() == null) {
        throw new IllegalArgumentException("proxyUrl: no host in '" + proxyUrl + "'");
      }
      if (scheme.equals("socks5") && uri.getUserInfo() != null) {
        throw new IllegalArgumentException(
            "proxyUrl: a user and password for a SOCKS5 proxy are not supported; use an http:// proxy"
                + " with credentials, or a SOCKS5 proxy without");
      }
      this.proxyUrl = uri;
      return this;
    }

    /** Asks the server not to compress responses. */
    public Builder disableCompression(boolean disable) {
      this.disableCompression = disable;
      return this;
    }

    /** The default namespace (default {@code default}). */
    public Builder namespace(String namespace) {
      if (namespace == null || namespace.isEmpty()) {
        throw new IllegalArgumentException("namespace: required (use \"default\")");
      }
      this.namespace = namespace;
      return this;
    }

    /** A static bearer token. */
    public Builder token(String token) {
      this.token = token == null || token.isEmpty() ? null : token;
      return this;
    }

    /** A file holding a bearer token, re-read every {@link #tokenFileRefresh} and after a 401. */
    public Builder tokenFile(Path tokenFile) {
      this.tokenFile = tokenFile;
      return this;
    }

    /** How often to re-read the token file (default one minute). */
    public Builder tokenFileRefresh(Duration refresh) {
      if (refresh == null || refresh.isNegative() || refresh.isZero()) {
        throw new IllegalArgumentException("tokenFileRefresh: must be positive, got " + refresh);
      }
      this.tokenFileRefresh = refresh;
      return this;
    }

    /** A client certificate (first the leaf, then intermediates) and its key. */
    public Builder clientCertificate(List<X509Certificate> chain, PrivateKey key) {
      if (chain == null || chain.isEmpty() || key == null) {
        throw new IllegalArgumentException(
            "clientCertificate: a certificate and its key are both required");
      }
      clientCertificateChain.clear();
      clientCertificateChain.addAll(chain);
      this.clientKey = key;
      return this;
    }

    /**
     * A client certificate and key from PEM text (key in PKCS#1, PKCS#8 or SEC1 form).
     *
     * @throws IllegalArgumentException when either cannot be parsed
     */
    public Builder clientCertificatePem(String certificatePem, String keyPem) {
      try {
        return clientCertificate(
            PemReader.certificates(
                certificatePem.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
            PemReader.privateKey(keyPem.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
        throw new IllegalArgumentException("clientCertificatePem: " + e.getMessage(), e);
      }
    }

    /** An exec credential plugin. */
    public Builder exec(ExecConfig exec) {
      this.exec = exec;
      return this;
    }

    /** The cluster's exec extension for plugins that ask for cluster info. */
    public Builder execClusterConfig(Object config) {
      this.execClusterConfig = config;
      return this;
    }

    /** Acts as this user. */
    public Builder impersonateUser(String user) {
      this.impersonateUser = user;
      return this;
    }

    /** Acts as this uid (requires a user). */
    public Builder impersonateUid(String uid) {
      this.impersonateUid = uid;
      return this;
    }

    /** Acts with these groups (requires a user). */
    public Builder impersonateGroups(List<String> groups) {
      impersonateGroups.clear();
      impersonateGroups.addAll(groups);
      return this;
    }

    /** Acts with this extra information (requires a user). */
    public Builder impersonateExtra(Map<String, List<String>> extra) {
      impersonateExtra.clear();
      impersonateExtra.putAll(extra);
      return this;
    }

    /**
     * Where these values came from and the user's field there, for error messages (the loaders set
     * this).
     *
     * @param source e.g. {@code ~/.kube/config}
     * @param userField e.g. {@code users[alice]}
     * @param contextName the context, or null
     */
    public Builder origin(String source, String userField, String contextName) {
      this.source = Objects.requireNonNull(source, "source");
      this.userField = Objects.requireNonNull(userField, "userField");
      this.contextName = contextName;
      return this;
    }

    /**
     * The configuration.
     *
     * @throws IllegalStateException when settings conflict (no server; CAs with insecure; a token
     *     with an exec plugin; impersonation details without a user)
     */
    public KubeConfig build() {
      if (server == null) {
        throw new IllegalStateException("server: required");
      }
      if (insecureSkipTlsVerify && !certificateAuthorities.isEmpty()) {
        throw new IllegalStateException(
            "insecureSkipTlsVerify is set together with certificate authorities; use one or the other");
      }
      if (exec != null && (token != null || tokenFile != null)) {
        throw new IllegalStateException(
            "exec is set together with a token or token file; use one or the other");
      }
      if (impersonateUser == null
          && (impersonateUid != null
              || !impersonateGroups.isEmpty()
              || !impersonateExtra.isEmpty())) {
        throw new IllegalStateException(
            "impersonation of a uid, groups or extra requires a user to impersonate (as)");
      }
      return new KubeConfig(this);
    }
  }

  /**
   * Loads a configuration from kubeconfig files or the in-cluster service account. The defaults are
   * the process's: its environment, {@code user.home} and {@code
   * /var/run/secrets/kubernetes.io/serviceaccount}. Not thread-safe.
   */
  public static final class Loader {
    private Map<String, String> environment = System.getenv();
    private Path home = Path.of(System.getProperty("user.home"));
    private Path serviceAccountDirectory = ConfigLoader.SERVICE_ACCOUNT_DIRECTORY;
    private final List<Path> files = new ArrayList<>();
    private String context;

    private Loader() {}

    /** The environment to read {@code KUBECONFIG} and {@code KUBERNETES_SERVICE_*} from. */
    public Loader environment(Map<String, String> environment) {
      this.environment = Map.copyOf(environment);
      return this;
    }

    /** The home folder holding {@code .kube/config}. */
    public Loader homeDirectory(Path home) {
      this.home = Objects.requireNonNull(home, "home");
      return this;
    }

    /**
     * The folder holding the service account's {@code token}, {@code ca.crt} and {@code namespace}.
     */
    public Loader serviceAccountDirectory(Path directory) {
      this.serviceAccountDirectory = Objects.requireNonNull(directory, "serviceAccountDirectory");
      return this;
    }

    /**
     * Explicit kubeconfig files (like {@code --kubeconfig}), merged in order; they must exist.
     * Replaces {@code KUBECONFIG} and {@code ~/.kube/config}.
     */
    public Loader kubeconfig(Path... files) {
      this.files.clear();
      this.files.addAll(List.of(files));
      return this;
    }

    /** The context to use instead of {@code current-context}. */
    public Loader context(String context) {
      this.context = context == null || context.isEmpty() ? null : context;
      return this;
    }

    /**
     * Loads explicit files if given, else {@code KUBECONFIG}, else {@code ~/.kube/config}, else
     * in-cluster.
     *
     * @throws KubeConfigException naming the file and field at fault, or saying that nothing was
     *     found
     */
    public KubeConfig load() {
      return new ConfigLoader(environment, home, serviceAccountDirectory).load(files, context);
    }

    /**
     * Loads the in-cluster configuration only.
     *
     * @throws KubeConfigException when not in a pod or the service account files are unreadable
     */
    public KubeConfig inCluster() {
      return new ConfigLoader(environment, home, serviceAccountDirectory).inCluster();
    }
  }
}
