package dev.lifeline.testkit.internal.server;

import dev.lifeline.testkit.AnonymousAccess;
import dev.lifeline.testkit.Fault;
import dev.lifeline.testkit.KubeApiException;
import dev.lifeline.testkit.internal.api.ResourceRegistry;
import dev.lifeline.testkit.internal.api.Statuses;
import dev.lifeline.testkit.internal.auth.Identity;
import dev.lifeline.testkit.internal.auth.ServiceAccountTokens;
import dev.lifeline.testkit.internal.auth.UserRegistry;
import dev.lifeline.testkit.internal.control.ControlPlaneSettings;
import dev.lifeline.testkit.internal.store.Eviction;
import dev.lifeline.testkit.internal.store.ObjectStore;
import dev.lifeline.testkit.internal.store.PodLogStore;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The request pipeline of one instance, in the apiserver's filter order: injected faults,
 * authentication, impersonation, content negotiation, routing, authorization, then the handlers of
 * discovery, health, version and resources. Runs on the event loop of the request's channel;
 * thread-safe.
 */
public final class ApiLogic {
  private static final System.Logger LOG = System.getLogger(ApiLogic.class.getName());
  private static final Set<String> PUBLIC_INFO_ROOTS =
      Set.of("healthz", "livez", "readyz", "version");
  private static final java.util.regex.Pattern STREAMING_SUBRESOURCE =
      java.util.regex.Pattern.compile("/api/v1/namespaces/[^/]+/pods/[^/]+/(log|portforward)");

  private final ObjectStore store;
  private final ResourceRegistry registry;
  private final UserRegistry users;
  private final ControlPlaneSettings settings;
  private final InstanceRuntime instance;
  private final java.util.function.Supplier<String> serverAddress;
  private Discovery discovery;
  private final ResourceRequests resources;
  private final CollectionRequests collections;
  private final PodLogRequests logs;
  private final TokenRequests tokenRequests;
  private final PortForwardRequests portForwards;
  private final ServiceAccountTokens tokens;
  private final AccessReviews accessReviews;

  /**
   * @param serverAddress {@code ip:port} for discovery's serverAddressByClientCIDRs, read once on
   *     first use
   */
  public ApiLogic(
      ObjectStore store,
      UserRegistry users,
      ControlPlaneSettings settings,
      Eviction eviction,
      PodLogStore podLogs,
      ServiceAccountTokens tokens,
      InstanceRuntime instance,
      java.util.function.Supplier<String> serverAddress) {
    this.store = store;
    this.registry = store.registry();
    this.users = users;
    this.settings = settings;
    this.instance = instance;
    this.serverAddress = serverAddress;
    this.resources = new ResourceRequests(store, eviction);
    this.collections = new CollectionRequests(store, settings, instance);
    this.logs = new PodLogRequests(store, podLogs);
    this.tokens = tokens;
    this.tokenRequests = new TokenRequests(store, tokens);
    this.portForwards = new PortForwardRequests(store);
    this.accessReviews = new AccessReviews(users);
  }

  private synchronized Discovery discovery() {
    if (discovery == null) {
      discovery = new Discovery(registry, serverAddress.get(), settings.kubernetesVersion());
    }
    return discovery;
  }

  int maxRequestBodyBytes() {
    return settings.maxRequestBodyBytes();
  }

  InstanceRuntime instance() {
    return instance;
  }

  /** Handles one request. */
  void handle(Exchange ex, RequestDispatcher dispatcher) {
    try {
      serve(ex, dispatcher);
    } catch (KubeApiException e) {
      if (!ex.isAnswered()) {
        ex.fail(e);
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "request " + ex.method() + " " + ex.path + " failed", e);
      if (!ex.isAnswered()) {
        ex.fail(Statuses.internalError(String.valueOf(e.getMessage())));
      }
    }
  }

  private void serve(Exchange ex, RequestDispatcher dispatcher) {
    Optional<Fault> injected = instance.errorFaultFor(ex.path);
    if (injected.isPresent()) {
      ex.countInFlight();
      throw injectedError(injected.get());
    }
    ex.identity(authenticate(ex));
    impersonate(ex);
    String[] segs = ex.path.equals("/") ? new String[0] : ex.path.substring(1).split("/", -1);
    String root = segs.length == 0 ? "" : segs[0];
    if (PUBLIC_INFO_ROOTS.contains(root)) {
      ex.countInFlight();
      publicInfo(ex, segs);
      return;
    }
    boolean discoveryPath =
        (root.equals("api") && segs.length <= 2) || (root.equals("apis") && segs.length <= 3);
    if (ex.identity().isAnonymous()
        && (discoveryPath || (!root.equals("api") && !root.equals("apis")))) {
      throw Statuses.forbidden(
          "",
          "",
          "",
          "User \"system:anonymous\" cannot " + verbOf(ex) + " path \"" + ex.path + "\"");
    }
    if (!acceptsJson(ex.header(HttpHeaderNames.ACCEPT)) && !isStreamingSubresource(ex.path)) {
      throw Statuses.notAcceptable("application/json");
    }
    if (root.isEmpty()) {
      discoveryAnswer(ex, discovery().rootPaths());
      return;
    }
    if (root.equals("api")) {
      if (segs.length == 1) {
        discoveryAnswer(ex, discovery().api());
        return;
      }
      if (!segs[1].equals("v1")) {
        throw Statuses.pathNotFound();
      }
      if (segs.length == 2) {
        discoveryAnswer(ex, discovery().resources("v1").orElseThrow());
        return;
      }
      resourceRequest(ex, dispatcher, "v1", join(segs, 2));
      return;
    }
    if (root.equals("apis")) {
      if (segs.length == 1) {
        discoveryAnswer(ex, discovery().apis());
        return;
      }
      if (segs.length == 2) {
        discoveryAnswer(ex, discovery().group(segs[1]).orElseThrow(Statuses::pathNotFound));
        return;
      }
      String gv = segs[1] + "/" + segs[2];
      if (gv.equals(AccessReviews.GROUP + "/v1") && segs.length > 3) {
        accessReviews.handle(ex, join(segs, 3));
        return;
      }
      if (!registry.servesGroupVersion(gv) && discovery().resources(gv).isEmpty()) {
        throw Statuses.pathNotFound();
      }
      if (segs.length == 3) {
        discoveryAnswer(ex, discovery().resources(gv).orElseThrow());
        return;
      }
      resourceRequest(ex, dispatcher, gv, join(segs, 3));
      return;
    }
    throw Statuses.pathNotFound();
  }

  private static String join(String[] segs, int from) {
    return String.join("/", java.util.Arrays.copyOfRange(segs, from, segs.length));
  }

  private static String verbOf(Exchange ex) {
    return switch (ex.method()) {
      case "GET", "HEAD" -> "get";
      case "POST" -> "post";
      case "PUT" -> "put";
      case "PATCH" -> "patch";
      case "DELETE" -> "delete";
      default -> ex.method().toLowerCase(java.util.Locale.ROOT);
    };
  }

  private KubeApiException injectedError(Fault f) {
    return switch (f.statusCode()) {
      case 429 ->
          Statuses.tooManyRequests(
              "Too many requests, please try again later.", f.retryAfterSeconds(), List.of());
      case 503 -> {
        KubeApiException e =
            Statuses.serviceUnavailable("the server is currently unable to handle the request");
        yield f.retryAfterSeconds() > 0 ? withRetryAfter(e, f.retryAfterSeconds()) : e;
      }
      default -> Statuses.internalError("injected fault (Lifeline testkit)");
    };
  }

  private static KubeApiException withRetryAfter(KubeApiException e, int seconds) {
    var status = e.status();
    status.withObjectProperty("details").put("retryAfterSeconds", seconds);
    return new KubeApiException(status);
  }

  // ------------------------------------------------------------------ authentication

  private Identity authenticate(Exchange ex) {
    Identity fromCert = ex.connection.certificateIdentity();
    if (fromCert != null) {
      return fromCert;
    }
    String auth = ex.header(HttpHeaderNames.AUTHORIZATION);
    if (auth != null && !auth.isBlank()) {
      if (auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
        String token = auth.substring(7).trim();
        return users
            .authenticateToken(token)
            .or(() -> tokens.authenticate(token))
            .orElseThrow(Statuses::unauthorized);
      }
      throw Statuses.unauthorized();
    }
    AnonymousAccess access = settings.anonymousAccess();
    if (access == AnonymousAccess.ENABLED) {
      return Identity.ANONYMOUS;
    }
    if (access == AnonymousAccess.HEALTH_AND_VERSION_ONLY && isPublicInfoPath(ex.path)) {
      return Identity.ANONYMOUS;
    }
    throw Statuses.unauthorized();
  }

  private static boolean isPublicInfoPath(String path) {
    for (String root : PUBLIC_INFO_ROOTS) {
      if (path.equals("/" + root) || path.startsWith("/" + root + "/")) {
        return true;
      }
    }
    return false;
  }

  private void impersonate(Exchange ex) {
    String user = ex.header("Impersonate-User");
    List<String> groups = ex.request.headers().getAll("Impersonate-Group");
    String uid = ex.header("Impersonate-Uid");
    boolean extras =
        ex.request.headers().names().stream()
            .anyMatch(h -> h.regionMatches(true, 0, "Impersonate-Extra-", 0, 18));
    if (user == null && groups.isEmpty() && uid == null && !extras) {
      return;
    }
    Identity requester = ex.identity();
    if (user == null || user.isEmpty()) {
      throw Statuses.internalError(
          "requested " + describeImpersonation(groups, uid) + " without impersonating a user");
    }
    if (!users.isAllowed(requester, "impersonate", "users", "")) {
      throw Statuses.forbidden(
          "",
          "users",
          user,
          "User \""
              + requester.name()
              + "\" cannot impersonate resource \"users\" in API group"
              + " \"\" at the cluster scope");
    }
    for (String g : groups) {
      if (!users.isAllowed(requester, "impersonate", "groups", "")) {
        throw Statuses.forbidden(
            "",
            "groups",
            g,
            "User \""
                + requester.name()
                + "\" cannot impersonate resource \"groups\" in API"
                + " group \"\" at the cluster scope");
      }
    }
    ex.identity(UserRegistry.identity(user, groups));
  }

  private static String describeImpersonation(List<String> groups, String uid) {
    List<String> parts = new ArrayList<>();
    groups.forEach(g -> parts.add("{Group " + g + "}"));
    if (uid != null) {
      parts.add("{UID " + uid + "}");
    }
    return parts.toString();
  }

  // ------------------------------------------------------------------ non-resource paths

  /** Pod logs answer text/plain whatever JSON the client accepts; the others upgrade. */
  private static boolean isStreamingSubresource(String path) {
    return STREAMING_SUBRESOURCE.matcher(path).matches();
  }

  private static boolean acceptsJson(String accept) {
    if (accept == null || accept.isBlank()) {
      return true;
    }
    for (String part : accept.split(",")) {
      String[] params = part.split(";");
      String type = params[0].trim().toLowerCase(java.util.Locale.ROOT);
      boolean aggregated = part.contains("as=");
      if (!aggregated
          && (type.equals("application/json")
              || type.equals("*/*")
              || type.equals("application/*")
              || type.isEmpty())) {
        return true;
      }
    }
    return false;
  }

  private void discoveryAnswer(Exchange ex, byte[] doc) {
    if (!ex.method().equals("GET")) {
      throw Statuses.methodNotAllowed();
    }
    ex.countInFlight();
    ex.json(200, doc);
  }

  private void publicInfo(Exchange ex, String[] segs) {
    if (!ex.method().equals("GET") && !ex.method().equals("HEAD")) {
      throw Statuses.methodNotAllowed();
    }
    if (segs[0].equals("version")) {
      if (segs.length > 1) {
        throw Statuses.pathNotFound();
      }
      ex.json(200, discovery().version());
      return;
    }
    String check = segs.length > 1 ? join(segs, 1) : null;
    Health.Answer a = Health.answer(segs[0], check, ex.query, instance.isTerminating());
    ex.text(a.code(), a.body());
  }

  // ------------------------------------------------------------------ resources

  private void resourceRequest(
      Exchange ex, RequestDispatcher dispatcher, String apiVersion, String rest) {
    ApiPath path = ApiPath.resolve(registry, apiVersion, rest).orElseThrow(Statuses::pathNotFound);
    String method = ex.method();
    boolean allNamespaces = path.type().namespaced() && path.namespace().isEmpty();
    String verb;
    if (!path.subresource().isEmpty()) {
      verb = subresourceVerb(path.subresource(), method);
    } else if (path.isCollection()) {
      verb =
          switch (method) {
            case "GET" -> path.legacyWatch() || ex.flag("watch") ? "watch" : "list";
            case "POST" -> allNamespaces ? null : "create";
            case "DELETE" -> allNamespaces ? null : "deletecollection";
            default -> null;
          };
    } else {
      verb =
          switch (method) {
            case "GET" -> path.legacyWatch() || ex.flag("watch") ? "watch" : "get";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> null;
          };
    }
    if (verb == null) {
      throw Statuses.methodNotAllowed();
    }
    authorize(ex.identity(), verb, path);
    if (ex.param("dryRun") != null) {
      throw Statuses.badRequest(
          "dryRun is not supported by the Lifeline fake control plane (see docs/testkit.md)");
    }
    if (path.subresource().equals("log")) {
      logs.get(ex, path);
      return;
    }
    if (path.subresource().equals("portforward")) {
      portForwards.open(ex, dispatcher, path);
      return;
    }
    if (path.subresource().equals("token")) {
      ex.countInFlight();
      tokenRequests.create(ex, path);
      return;
    }
    switch (verb) {
      case "watch" -> collections.watch(ex, dispatcher, path);
      case "list" -> {
        ex.countInFlight();
        collections.list(ex, path);
      }
      case "deletecollection" -> {
        ex.countInFlight();
        collections.deleteCollection(ex, path);
      }
      default -> {
        ex.countInFlight();
        resources.handle(ex, path, verb);
      }
    }
  }

  private static String subresourceVerb(String sub, String method) {
    if (sub.equals("eviction")) {
      return method.equals("POST") ? "create" : null;
    }
    if (sub.equals("log")) {
      return method.equals("GET") ? "get" : null;
    }
    if (sub.equals("token")) {
      return method.equals("POST") ? "create" : null;
    }
    if (sub.equals("portforward")) {
      return switch (method) {
        case "GET" -> "get";
        case "POST" -> "create";
        default -> null;
      };
    }
    return switch (method) {
      case "GET" -> "get";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      default -> null;
    };
  }

  private void authorize(Identity id, String verb, ApiPath path) {
    String resource =
        path.subresource().isEmpty()
            ? path.type().resource()
            : path.type().resource() + "/" + path.subresource();
    String namespace = path.namespace();
    if (path.type().resource().equals("namespaces") && !path.name().isEmpty()) {
      namespace = path.name();
    }
    if (users.isAllowed(id, verb, resource, namespace)) {
      return;
    }
    String scope =
        namespace.isEmpty() ? "at the cluster scope" : "in the namespace \"" + namespace + "\"";
    throw Statuses.forbidden(
        path.type().group(),
        path.type().resource(),
        path.name(),
        "User \""
            + id.name()
            + "\" cannot "
            + verb
            + " resource \""
            + resource
            + "\" in API group"
            + " \""
            + path.type().group()
            + "\" "
            + scope);
  }
}
