package dev.lifeline.client.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.lifeline.client.AccessCheck;
import dev.lifeline.client.AccessReview;
import dev.lifeline.client.DeleteOptions;
import dev.lifeline.client.Informer;
import dev.lifeline.client.KubeApiException;
import dev.lifeline.client.KubeClient;
import dev.lifeline.client.KubeConfig;
import dev.lifeline.client.ListOptions;
import dev.lifeline.client.LogOptions;
import dev.lifeline.client.LogStream;
import dev.lifeline.client.PatchType;
import dev.lifeline.client.PortForwardConnection;
import dev.lifeline.client.PortForwarder;
import dev.lifeline.client.ResourceList;
import dev.lifeline.client.ResourceType;
import dev.lifeline.client.TlsMaterial;
import dev.lifeline.client.internal.auth.AuthInterceptor;
import dev.lifeline.client.internal.auth.CredentialSource;
import dev.lifeline.client.internal.auth.CredentialSources;
import dev.lifeline.client.internal.auth.ExecCredentialSource;
import dev.lifeline.client.internal.auth.ExecPluginRunner;
import dev.lifeline.client.internal.codec.Codec;
import dev.lifeline.client.internal.codec.ListCodec;
import dev.lifeline.client.internal.http.ApiRequest;
import dev.lifeline.client.internal.http.RequestExecutor;
import dev.lifeline.client.internal.http.RetryPolicy;
import dev.lifeline.client.internal.http.TransportFactory;
import dev.lifeline.client.internal.http.TransportOptions;
import dev.lifeline.client.internal.http.UserAgent;
import dev.lifeline.client.internal.json.Json;
import dev.lifeline.client.internal.json.JsonOut;
import dev.lifeline.client.internal.json.Leaf;
import dev.lifeline.client.internal.portforward.PortForwards;
import dev.lifeline.client.internal.tls.ClientIdentity;
import dev.lifeline.client.internal.tls.RealTlsMaterial;
import dev.lifeline.client.internal.watch.HttpListWatch;
import dev.lifeline.client.internal.watch.RealInformer;
import dev.lifeline.client.internal.watch.Timer;
import dev.lifeline.client.model.KubeObject;
import dev.lifeline.client.model.ServiceAccountToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;

/** The one implementation of {@link KubeClient}. */
public final class RealKubeClient implements KubeClient {
  private static final ResourceType<?> SERVICE_ACCOUNTS =
      ResourceType.generic("", "v1", "serviceaccounts", "ServiceAccount", true);

  private final KubeConfig config;
  private final CredentialSource credentials;
  private final RealTlsMaterial tls;
  private final OkHttpClient http;
  private final RequestExecutor executor;
  private final boolean ownsTransport;
  private final Set<RealInformer<?>> informers = ConcurrentHashMap.newKeySet();
  private final Duration portForwardOpenTimeout;
  private final Object portForwardLock = new Object();
  private PortForwards portForwards;
  private final Object timerLock = new Object();
  private ScheduledExecutorService timer;
  private volatile boolean closed;

  private RealKubeClient(
      KubeConfig config,
      CredentialSource credentials,
      RealTlsMaterial tls,
      OkHttpClient http,
      RequestExecutor executor,
      boolean ownsTransport,
      Duration portForwardOpenTimeout) {
    this.config = config;
    this.portForwardOpenTimeout = portForwardOpenTimeout;
    this.credentials = credentials;
    this.tls = tls;
    this.http = http;
    this.executor = executor;
    this.ownsTransport = ownsTransport;
  }

  /** Builds a client from checked settings. */
  public static KubeClient create(ClientSettings s) {
    KubeConfig config = s.config();
    RealKubeClient shared =
        s.shareWith() instanceof RealKubeClient ? (RealKubeClient) s.shareWith() : null;
    if (s.shareWith() != null && shared == null) {
      throw new IllegalArgumentException(
          "shareConnectionsWith: only clients built by KubeClient.builder can share connections");
    }
    CredentialSource credentials;
    RealTlsMaterial tls;
    OkHttpClient[] transport = new OkHttpClient[1];
    if (shared != null && shared.config == config) {
      credentials = shared.credentials;
      tls = shared.tls;
    } else {
      // Nanoseconds from the injected clock, so that tests move token-file refreshes with it.
      java.util.function.LongSupplier nanoTime =
          s.clock().equals(java.time.Clock.systemUTC())
              ? System::nanoTime
              : () -> TimeUnit.MILLISECONDS.toNanos(s.clock().millis());
      credentials =
          CredentialSources.of(
              config,
              nanoTime,
              s.clock(),
              ExecPluginRunner.PROCESS,
              CredentialSources::stdinIsTerminal,
              () -> {
                // A new client certificate: close connections made with the old one, as client-go
                // does.
                if (transport[0] != null) {
                  transport[0].connectionPool().evictAll();
                }
              });
      tls = new RealTlsMaterial(config, identity(config, credentials));
    }
    String userAgent = s.userAgent() != null ? s.userAgent() : UserAgent.defaultUserAgent();
    OkHttpClient http =
        TransportFactory.create(
            config,
            tls,
            new AuthInterceptor(credentials, config, userAgent),
            new TransportOptions(
                s.dns(),
                s.socketFactory(),
                s.pingInterval(),
                s.connectTimeout(),
                s.readTimeout(),
                userAgent,
                shared == null ? null : shared.http));
    transport[0] = http;
    RetryPolicy retries =
        new RetryPolicy(
            s.maxRetries(),
            s.retryBudget(),
            Duration.ofMillis(200),
            Duration.ofSeconds(5),
            () -> ThreadLocalRandom.current().nextDouble());
    RequestExecutor executor =
        new RequestExecutor(
            http,
            HttpUrl.get(config.server().toString()),
            retries,
            delay -> Thread.sleep(delay.toMillis(), delay.toNanosPart() % 1_000_000),
            System::nanoTime,
            tls.serverName());
    return new RealKubeClient(
        config,
        credentials,
        tls,
        http,
        executor,
        shared == null,
        s.connectTimeout().plus(s.readTimeout()));
  }

  /** The identity TLS presents: the exec plugin's when it returns one, else the configuration's. */
  private static Supplier<ClientIdentity> identity(
      KubeConfig config, CredentialSource credentials) {
    ClientIdentity configured =
        config.clientKey() == null
            ? null
            : new ClientIdentity(config.clientCertificateChain(), config.clientKey());
    if (credentials instanceof ExecCredentialSource) {
      ExecCredentialSource exec = (ExecCredentialSource) credentials;
      return () -> {
        ClientIdentity fromPlugin = exec.identity();
        return fromPlugin != null ? fromPlugin : configured;
      };
    }
    return configured == null ? null : () -> configured;
  }

  @Override
  public KubeConfig config() {
    return config;
  }

  @Override
  public TlsMaterial tls() {
    return tls;
  }

  /** The OkHttp client, for adapters and tests in this module. */
  public OkHttpClient okHttpClient() {
    return http;
  }

  @Override
  public <T extends KubeObject> T get(ResourceType<T> type, String namespace, String name) {
    Codec<T> codec = RealResourceType.codec(type);
    return executor.execute(
        ApiRequest.of("GET", ApiPaths.object(type, namespace, name)),
        body -> readObject(body, codec));
  }

  @Override
  public <T extends KubeObject> Optional<T> find(
      ResourceType<T> type, String namespace, String name) {
    try {
      return Optional.of(get(type, namespace, name));
    } catch (KubeApiException e) {
      if (e.isNotFound()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public <T extends KubeObject> ResourceList<T> list(ResourceType<T> type, ListOptions options) {
    Codec<T> codec = RealResourceType.codec(type);
    ApiRequest request =
        ApiRequest.of("GET", ApiPaths.collection(type, options.namespace()))
            .param("labelSelector", options.labelSelector())
            .param("fieldSelector", options.fieldSelector())
            .param("limit", options.limit() > 0 ? options.limit() : null)
            .param("continue", options.continueToken())
            .param("resourceVersion", options.resourceVersion())
            .param("resourceVersionMatch", options.resourceVersionMatch());
    return executor.execute(
        request,
        body -> {
          try (JsonParser p = Json.parser(body.byteStream())) {
            p.nextToken();
            return ListCodec.read(p, codec.reader());
          }
        });
  }

  @Override
  public <T extends KubeObject> T create(ResourceType<T> type, T object) {
    Codec<T> codec = RealResourceType.codec(type);
    String namespace = namespaceOf(type, object, "create");
    ApiRequest request =
        ApiRequest.of("POST", ApiPaths.collection(type, namespace))
            .body(encode(codec, object), ApiRequest.JSON);
    return executor.execute(request, body -> readObject(body, codec));
  }

  @Override
  public <T extends KubeObject> T update(ResourceType<T> type, T object) {
    return put(type, object, "update");
  }

  @Override
  public <T extends KubeObject> T updateStatus(ResourceType<T> type, T object) {
    return put(type, object, "updateStatus");
  }

  private <T extends KubeObject> T put(ResourceType<T> type, T object, String verb) {
    Codec<T> codec = RealResourceType.codec(type);
    String namespace = namespaceOf(type, object, verb);
    String name = object.metadata().name();
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException(
          "metadata.name: required to " + verb + " " + type.plural());
    }
    List<String> path =
        verb.equals("updateStatus")
            ? ApiPaths.object(type, namespace, name, "status")
            : ApiPaths.object(type, namespace, name);
    ApiRequest request = ApiRequest.of("PUT", path).body(encode(codec, object), ApiRequest.JSON);
    return executor.execute(request, body -> readObject(body, codec));
  }

  @Override
  public <T extends KubeObject> T patch(
      ResourceType<T> type, String namespace, String name, PatchType patchType, String patch) {
    Codec<T> codec = RealResourceType.codec(type);
    ApiRequest request =
        ApiRequest.of("PATCH", ApiPaths.object(type, namespace, name))
            .body(patch.getBytes(StandardCharsets.UTF_8), MediaType.get(patchType.contentType()));
    return executor.execute(request, body -> readObject(body, codec));
  }

  @Override
  public void delete(ResourceType<?> type, String namespace, String name, DeleteOptions options) {
    ApiRequest request = ApiRequest.of("DELETE", ApiPaths.object(type, namespace, name));
    if (!options.isDefault()) {
      request =
          request.body(
              Json.write(
                  out -> {
                    out.begin("v1", "DeleteOptions");
                    writeDeleteOptions(out, options);
                    out.end();
                  }),
              ApiRequest.JSON);
    }
    executor.execute(request, body -> null);
  }

  @Override
  public void evict(String namespace, String pod, DeleteOptions options) {
    byte[] eviction =
        Json.write(
            out -> {
              out.begin("policy/v1", "Eviction");
              out.start("metadata").string("name", pod).string("namespace", namespace).end();
              if (!options.isDefault()) {
                out.start("deleteOptions");
                writeDeleteOptions(out, options);
                out.end();
              }
              out.end();
            });
    ApiRequest request =
        ApiRequest.of("POST", ApiPaths.object(ResourceType.POD, namespace, pod, "eviction"))
            .body(eviction, ApiRequest.JSON);
    executor.execute(request, body -> null);
  }

  private static void writeDeleteOptions(JsonOut out, DeleteOptions options) throws IOException {
    out.string(
            "propagationPolicy",
            options.propagation() == null ? null : options.propagation().value())
        .number("gracePeriodSeconds", options.gracePeriodSeconds());
    if (options.preconditionUid() != null || options.preconditionResourceVersion() != null) {
      out.start("preconditions")
          .string("uid", options.preconditionUid())
          .string("resourceVersion", options.preconditionResourceVersion())
          .end();
    }
    if (options.isDryRun()) {
      out.strings("dryRun", List.of("All"));
    }
  }

  private static ApiRequest logRequest(
      String namespace, String pod, LogOptions options, boolean follow) {
    return ApiRequest.of("GET", ApiPaths.object(ResourceType.POD, namespace, pod, "log"))
        .accept("text/plain, */*")
        .param("container", options.container())
        .param("tailLines", options.tailLines())
        .param("sinceSeconds", options.sinceSeconds())
        .param("timestamps", options.timestamps() ? "true" : null)
        .param("previous", options.previous() ? "true" : null)
        .param("follow", follow ? "true" : null);
  }

  @Override
  public String logs(String namespace, String pod, LogOptions options) {
    return executor.execute(logRequest(namespace, pod, options, false), body -> body.string());
  }

  @Override
  public LogStream followLogs(String namespace, String pod, LogOptions options) {
    RequestExecutor.Stream stream = executor.open(logRequest(namespace, pod, options, true));
    BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(stream.response().body().byteStream(), StandardCharsets.UTF_8));
    return new LogStream() {
      @Override
      public String readLine() throws IOException {
        return reader.readLine();
      }

      @Override
      public void close() {
        stream.close();
      }
    };
  }

  @Override
  public PortForwardConnection portForward(String namespace, String pod, int port) {
    return portForwards().connect(portForwardRequest(namespace, pod, port), namespace, pod, port);
  }

  @Override
  public PortForwarder portForwarder(
      String namespace, String pod, int port, InetSocketAddress local) {
    java.util.Objects.requireNonNull(local, "local");
    return portForwards()
        .forwarder(portForwardRequest(namespace, pod, port), namespace, pod, port, local);
  }

  private static ApiRequest portForwardRequest(String namespace, String pod, int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port: must be between 1 and 65535, got " + port);
    }
    if (pod == null || pod.isEmpty()) {
      throw new IllegalArgumentException("pod: a pod name is required to forward a port");
    }
    return PortForwards.request(
        ApiPaths.object(ResourceType.POD, namespace, pod, "portforward"), port);
  }

  private PortForwards portForwards() {
    synchronized (portForwardLock) {
      if (closed) {
        throw new IllegalStateException("the client is closed");
      }
      if (portForwards == null) {
        portForwards = new PortForwards(http, executor, portForwardOpenTimeout);
      }
      return portForwards;
    }
  }

  @Override
  public AccessReview reviewAccess(AccessCheck check) {
    java.util.Objects.requireNonNull(check, "check");
    byte[] body =
        Json.write(
            out -> {
              out.begin("authorization.k8s.io/v1", "SelfSubjectAccessReview")
                  .start("spec")
                  .start("resourceAttributes");
              writeNonEmpty(out, "namespace", check.namespace());
              writeNonEmpty(out, "verb", check.verb());
              writeNonEmpty(out, "group", check.group());
              writeNonEmpty(out, "resource", check.resource());
              writeNonEmpty(out, "subresource", check.subresource());
              writeNonEmpty(out, "name", check.name());
              out.end().end().end();
            });
    ApiRequest request = ApiRequest.of("POST", ACCESS_REVIEWS).body(body, ApiRequest.JSON);
    return executor.execute(request, response -> readReview(response, check));
  }

  private static final List<String> ACCESS_REVIEWS =
      List.of("apis", "authorization.k8s.io", "v1", "selfsubjectaccessreviews");

  private static void writeNonEmpty(JsonOut out, String name, String value) throws IOException {
    out.string(name, value.isEmpty() ? null : value);
  }

  private static AccessReview readReview(okhttp3.ResponseBody body, AccessCheck check)
      throws IOException {
    boolean allowed = false;
    boolean denied = false;
    String reason = "";
    String evaluationError = "";
    try (JsonParser p = Json.parser(body.byteStream())) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("expected a SelfSubjectAccessReview object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        if (!name.equals("status") || p.currentToken() != JsonToken.START_OBJECT) {
          p.skipChildren();
          continue;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          p.nextToken();
          switch (field) {
            case "allowed" -> allowed = p.getValueAsBoolean();
            case "denied" -> denied = p.getValueAsBoolean();
            case "reason" -> reason = p.getValueAsString("");
            case "evaluationError" -> evaluationError = p.getValueAsString("");
            default -> p.skipChildren();
          }
        }
      }
    }
    return new AccessReview(check, allowed, denied, reason, evaluationError);
  }

  @Override
  public ServiceAccountToken requestToken(
      String namespace, String serviceAccount, List<String> audiences, Duration expiration) {
    if (expiration != null && expiration.toSeconds() < 600) {
      throw new IllegalArgumentException(
          "expiration: the API requires at least 10 minutes, got " + expiration);
    }
    byte[] body =
        Json.write(
            out -> {
              out.begin("authentication.k8s.io/v1", "TokenRequest").start("spec");
              out.strings("audiences", audiences);
              out.number("expirationSeconds", expiration == null ? null : expiration.toSeconds());
              out.end().end();
            });
    ApiRequest request =
        ApiRequest.of("POST", ApiPaths.object(SERVICE_ACCOUNTS, namespace, serviceAccount, "token"))
            .body(body, ApiRequest.JSON);
    return executor.execute(request, RealKubeClient::readToken);
  }

  private static ServiceAccountToken readToken(okhttp3.ResponseBody body) throws IOException {
    String token = null;
    Instant expiration = null;
    try (JsonParser p = Json.parser(body.byteStream())) {
      p.nextToken();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        if (!name.equals("status")) {
          p.skipChildren();
          continue;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          p.nextToken();
          if (field.equals("token")) {
            token = p.getValueAsString();
          } else if (field.equals("expirationTimestamp") && p.getValueAsString() != null) {
            expiration = Leaf.parseTime(p.getValueAsString());
          } else {
            p.skipChildren();
          }
        }
      }
    }
    if (token == null) {
      throw new IOException("the TokenRequest answer has no status.token");
    }
    return new ServiceAccountToken(token, expiration);
  }

  @Override
  public <T extends KubeObject> Informer.Builder<T> informer(ResourceType<T> type) {
    if (closed) {
      throw new IllegalStateException("the client is closed");
    }
    Codec<T> codec = RealResourceType.codec(type);
    return new RealInformer.Builder<>(
        new RealInformer.Builder.Factory<T>() {
          @Override
          public HttpListWatch<T> source(
              String namespace, String labelSelector, String fieldSelector) {
            return new HttpListWatch<>(
                executor,
                ApiPaths.collection(type, type.isNamespaced() ? namespace : null),
                codec.reader(),
                labelSelector,
                fieldSelector);
          }

          @Override
          public Timer timer() {
            return RealKubeClient.this::schedule;
          }

          @Override
          public void started(RealInformer<?> informer) {
            informers.add(informer);
          }

          @Override
          public void closed(RealInformer<?> informer) {
            informers.remove(informer);
          }
        },
        type.plural());
  }

  private Timer.Task schedule(Duration delay, Runnable task) {
    ScheduledExecutorService t;
    synchronized (timerLock) {
      if (timer == null) {
        ScheduledThreadPoolExecutor executor =
            new ScheduledThreadPoolExecutor(
                1,
                r -> {
                  Thread thread = new Thread(r, "lifeline-kube-timer");
                  thread.setDaemon(true);
                  return thread;
                });
        executor.setRemoveOnCancelPolicy(true);
        timer = executor;
      }
      t = timer;
    }
    ScheduledFuture<?> future = t.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }

  private static <T> T readObject(okhttp3.ResponseBody body, Codec<T> codec) throws IOException {
    try (JsonParser p = Json.parser(body.byteStream())) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("expected a " + codec.kind() + " object");
      }
      return codec.reader().read(p);
    }
  }

  private static <T> byte[] encode(Codec<T> codec, T object) {
    if (codec.writer() == null) {
      throw new UnsupportedOperationException(
          codec.kind() + " objects are read-only in this client");
    }
    return Json.write(out -> codec.writer().write(out, object));
  }

  private static String namespaceOf(ResourceType<?> type, KubeObject object, String verb) {
    String namespace = object.metadata().namespace();
    if (type.isNamespaced() && (namespace == null || namespace.isEmpty())) {
      throw new IllegalArgumentException(
          "metadata.namespace: required to " + verb + " " + type.plural() + " (namespaced)");
    }
    return type.isNamespaced() ? namespace : null;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<RealInformer<?>> running = new ArrayList<>(informers);
    for (RealInformer<?> informer : running) {
      informer.close();
    }
    synchronized (timerLock) {
      if (timer != null) {
        timer.shutdownNow();
      }
    }
    synchronized (portForwardLock) {
      if (portForwards != null) {
        portForwards.close();
      }
    }
    if (ownsTransport) {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }

  @Override
  public String toString() {
    return "KubeClient{" + config.server() + "}";
  }
}
