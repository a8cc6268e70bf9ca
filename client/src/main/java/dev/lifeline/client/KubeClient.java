package dev.lifeline.client;

import dev.lifeline.client.internal.ClientSettings;
import dev.lifeline.client.internal.RealKubeClient;
import dev.lifeline.client.model.ConfigMap;
import dev.lifeline.client.model.KubeObject;
import dev.lifeline.client.model.Secret;
import dev.lifeline.client.model.ServiceAccountToken;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.SocketFactory;
import okhttp3.Dns;

/**
 * A light Kubernetes client: the REST verbs for any resource, typed models decoded by streaming
 * only their declared (or projected) fields, and informers.
 *
 * <p>Paths follow the API server's layout: the core group under {@code /api/v1}, others under
 * {@code /apis/{group}/{version}}, namespaced resources under {@code namespaces/{namespace}}.
 * Namespaced single-object calls need a namespace (see {@link KubeConfig#namespace()} for the
 * configured default); cluster-scoped calls take null.
 *
 * <p>Reads (GET) are retried on connection failures, 429 and 5xx; writes only when they were not
 * sent or the server answered 429 with {@code Retry-After}; see {@link Builder#maxRetries}. Errors
 * are {@link KubeApiException} (the server answered) or {@link KubeException} (no answer);
 * credentials that cannot be obtained are {@link KubeConfigException}.
 *
 * <p>Thread-safe. Close it to stop its informers and release its connections.
 */
public interface KubeClient extends AutoCloseable {
  /** A client for the configuration {@link KubeConfig#load()} finds. */
  static KubeClient create() {
    return builder(KubeConfig.load()).build();
  }

  /** A builder for a client of {@code config}. */
  static Builder builder(KubeConfig config) {
    return new Builder(config);
  }

  /** The configuration. */
  KubeConfig config();

  /**
   * The TLS material built from the configuration, for probes that must trust exactly what this
   * client trusts.
   */
  TlsMaterial tls();

  /**
   * Reads an object.
   *
   * @throws KubeApiException 404 when it does not exist
   */
  <T extends KubeObject> T get(ResourceType<T> type, String namespace, String name);

  /** Reads an object, or nothing when it does not exist. */
  <T extends KubeObject> Optional<T> find(ResourceType<T> type, String namespace, String name);

  /** Lists objects. */
  <T extends KubeObject> ResourceList<T> list(ResourceType<T> type, ListOptions options);

  /** Creates an object in its metadata's namespace; returns it as stored. */
  <T extends KubeObject> T create(ResourceType<T> type, T object);

  /**
   * Replaces an object (optimistic concurrency: with a resource version, a stale update fails with
   * 409). Typed models write only the fields they model; update Leases, ConfigMaps, Secrets, Events
   * freely, and use {@link #patch} or a generic type for objects with fields the model does not
   * hold.
   */
  <T extends KubeObject> T update(ResourceType<T> type, T object);

  /** Replaces an object's {@code status} subresource. */
  <T extends KubeObject> T updateStatus(ResourceType<T> type, T object);

  /** Patches an object; returns it as stored. */
  <T extends KubeObject> T patch(
      ResourceType<T> type, String namespace, String name, PatchType patchType, String patch);

  /**
   * Deletes an object.
   *
   * @throws KubeApiException 404 when it does not exist, 409 when a precondition fails
   */
  void delete(ResourceType<?> type, String namespace, String name, DeleteOptions options);

  /** Deletes an object with the server's default options. */
  default void delete(ResourceType<?> type, String namespace, String name) {
    delete(type, namespace, name, DeleteOptions.defaults());
  }

  /**
   * Evicts a pod through the {@code policy/v1} Eviction API, which honours PodDisruptionBudgets.
   *
   * @throws KubeApiException 429 when a disruption budget forbids it now (retry later)
   */
  void evict(String namespace, String pod, DeleteOptions options);

  /** Reads a container's log. */
  String logs(String namespace, String pod, LogOptions options);

  /** Follows a container's log as it is written. */
  LogStream followLogs(String namespace, String pod, LogOptions options);

  /**
   * Opens one TCP connection to a port of a pod through the API server ({@code
   * pods/{name}/portforward} over a WebSocket, {@code v4.channel.k8s.io}), and waits until the
   * server has set it up (at most the connect plus the read timeout). The API server authorizes the
   * upgrade as {@code get} on {@code pods/portforward} (newer servers also ask for {@code create}).
   * Closing this client closes the connection.
   *
   * @throws KubeApiException when the server refused it: 403, 404 for a missing pod, 400 for a pod
   *     without a node or IP
   * @throws KubeException when it could not be opened in time
   * @throws IllegalArgumentException for a port outside 1..65535
   */
  PortForwardConnection portForward(String namespace, String pod, int port);

  /**
   * Forwards every connection to an ephemeral port of the loopback address to a port of a pod, as
   * {@code kubectl port-forward pod/NAME :PORT} does; see {@link #portForwarder(String, String,
   * int, InetSocketAddress)}.
   */
  default PortForwarder portForwarder(String namespace, String pod, int port) {
    return portForwarder(
        namespace, pod, port, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  /**
   * Listens on {@code local} and forwards every accepted connection to a port of a pod, each over
   * its own WebSocket (opened when the connection is accepted). Closing this client closes the
   * forwarder.
   *
   * @param local where to listen; bind to a loopback address unless others must reach the pod
   * @throws java.io.UncheckedIOException when {@code local} cannot be bound
   * @throws IllegalArgumentException for a port outside 1..65535
   */
  PortForwarder portForwarder(String namespace, String pod, int port, InetSocketAddress local);

  /**
   * Asks the API server whether this client's user may do something: a {@code
   * authorization.k8s.io/v1} SelfSubjectAccessReview, as {@code kubectl auth can-i} sends. Every
   * authenticated user may ask.
   *
   * @throws KubeApiException when the server cannot answer
   */
  AccessReview reviewAccess(AccessCheck check);

  /** Configures an informer on a resource. */
  <T extends KubeObject> Informer.Builder<T> informer(ResourceType<T> type);

  /**
   * One value of a Secret.
   *
   * @return the value, or empty when the secret has no such key
   * @throws KubeApiException 404 when the secret does not exist
   */
  default Optional<byte[]> secretValue(String namespace, String name, String key) {
    Secret secret = get(ResourceType.SECRET, namespace, name);
    return Optional.ofNullable(secret.bytes(key));
  }

  /**
   * One value of a ConfigMap (text data first, then binary data as UTF-8).
   *
   * @return the value, or empty when the config map has no such key
   * @throws KubeApiException 404 when the config map does not exist
   */
  default Optional<String> configMapValue(String namespace, String name, String key) {
    ConfigMap cm = get(ResourceType.CONFIG_MAP, namespace, name);
    String text = cm.get(key);
    return Optional.ofNullable(text != null ? text : cm.binaryData().string(key));
  }

  /**
   * Requests a token for a service account (the TokenRequest API, {@code
   * serviceaccounts/{name}/token}).
   *
   * @param audiences the audiences the token is for (empty: the API server's)
   * @param expiration the requested lifetime (the server may shorten it; at least 10 minutes), or
   *     null for the server's default
   */
  ServiceAccountToken requestToken(
      String namespace, String serviceAccount, List<String> audiences, Duration expiration);

  /**
   * Stops this client's informers and releases its connections (unless shared with another client).
   */
  @Override
  void close();

  /**
   * Builds a {@link KubeClient}. Each setter checks its value; not thread-safe.
   *
   * <p>The transport is assembled in one place from these settings: TLS from the configuration,
   * HTTP/2 with pings, timeouts, and the two failover hooks: a {@link Dns} and a {@link
   * SocketFactory}.
   */
  final class Builder {
    /** The default HTTP/2 ping interval: a dead connection is noticed within two intervals. */
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(10);

    /** The default TCP and TLS connect timeout. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** The default read timeout of ordinary requests (watches and followed logs have none). */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

    private final KubeConfig config;
    private Dns dns;
    private SocketFactory socketFactory;
    private Duration pingInterval = DEFAULT_PING_INTERVAL;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration readTimeout = DEFAULT_READ_TIMEOUT;
    private String userAgent;
    private KubeClient shareWith;
    private int maxRetries = 5;
    private Duration retryBudget = Duration.ofSeconds(30);
    private Clock clock = Clock.systemUTC();

    private Builder(KubeConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Resolves the server's host name (the failover engine's hook: all healthy apiserver addresses,
     * best first). Default: the system resolver.
     */
    public Builder dns(Dns dns) {
      this.dns = Objects.requireNonNull(dns, "dns");
      return this;
    }

    /**
     * Creates the TCP sockets (the failover engine's hook: sockets that connect to a live apiserver
     * whatever address is asked for). TLS is still verified against the configured server name.
     * Default: plain sockets.
     */
    public Builder socketFactory(SocketFactory socketFactory) {
      this.socketFactory = Objects.requireNonNull(socketFactory, "socketFactory");
      return this;
    }

    /**
     * The HTTP/2 ping interval (default 10 s; zero disables pings). A connection whose ping is not
     * answered within an interval is closed, so a silently dead apiserver is noticed within two
     * intervals even by an idle watch.
     */
    public Builder pingInterval(Duration interval) {
      if (interval == null || interval.isNegative()) {
        throw new IllegalArgumentException(
            "pingInterval: must be zero or positive, got " + interval);
      }
      this.pingInterval = interval;
      return this;
    }

    /** The TCP and TLS connect timeout (default 10 s). */
    public Builder connectTimeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("connectTimeout: must be positive, got " + timeout);
      }
      this.connectTimeout = timeout;
      return this;
    }

    /**
     * The read timeout of ordinary requests (default 30 s); watches and followed logs never time
     * out on reads.
     */
    public Builder readTimeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("readTimeout: must be positive, got " + timeout);
      }
      this.readTimeout = timeout;
      return this;
    }

    /** The user agent (default {@code lifeline/<version> (<os>/<arch>)}). */
    public Builder userAgent(String userAgent) {
      if (userAgent == null || userAgent.isBlank()) {
        throw new IllegalArgumentException("userAgent: must not be blank");
      }
      this.userAgent = userAgent;
      return this;
    }

    /**
     * Shares {@code other}'s connection pool and dispatcher (and, for the same configuration, its
     * credentials), so that several clients use the same connections. Closing {@code other}
     * releases them; closing this one does not.
     */
    public Builder shareConnectionsWith(KubeClient other) {
      this.shareWith = Objects.requireNonNull(other, "other");
      return this;
    }

    /** How many times a request is retried at most (default 5; 0 disables retries). */
    public Builder maxRetries(int maxRetries) {
      if (maxRetries < 0) {
        throw new IllegalArgumentException("maxRetries: must not be negative, got " + maxRetries);
      }
      this.maxRetries = maxRetries;
      return this;
    }

    /** The total time after which a request is no longer retried (default 30 s). */
    public Builder retryBudget(Duration budget) {
      if (budget == null || budget.isNegative()) {
        throw new IllegalArgumentException("retryBudget: must not be negative, got " + budget);
      }
      this.retryBudget = budget;
      return this;
    }

    /** The clock for credential expiry (default: the system's); for tests. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The client.
     *
     * @throws IllegalStateException when settings conflict (a socket factory with an https proxy)
     * @throws KubeConfigException when the TLS material cannot be built
     */
    public KubeClient build() {
      return RealKubeClient.create(
          new ClientSettings(
              config,
              dns,
              socketFactory,
              pingInterval,
              connectTimeout,
              readTimeout,
              userAgent,
              shareWith,
              maxRetries,
              retryBudget,
              clock));
    }
  }
}
