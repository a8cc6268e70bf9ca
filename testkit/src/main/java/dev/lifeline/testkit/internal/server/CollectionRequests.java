package dev.lifeline.testkit.internal.server;

import dev.lifeline.testkit.KubeApiException;
import dev.lifeline.testkit.WatchListSupport;
import dev.lifeline.testkit.internal.api.ResourceType;
import dev.lifeline.testkit.internal.api.Statuses;
import dev.lifeline.testkit.internal.api.Statuses.Cause;
import dev.lifeline.testkit.internal.control.ControlPlaneSettings;
import dev.lifeline.testkit.internal.selector.FieldSelector;
import dev.lifeline.testkit.internal.selector.LabelSelector;
import dev.lifeline.testkit.internal.selector.SelectorException;
import dev.lifeline.testkit.internal.store.ContinueToken;
import dev.lifeline.testkit.internal.store.ObjectStore;
import dev.lifeline.testkit.internal.store.StoredObject;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * LIST, WATCH and DELETE on collections, with the apiserver's resourceVersion rules: unset means
 * most recent, {@code 0} means any, a number means not older than (or exact with {@code limit} or
 * {@code resourceVersionMatch=Exact}); {@code limit}/{@code continue} pagination with tokens bound
 * to the list's version; the ListOptions validation; watch-list with the initial-events-end
 * bookmark.
 */
final class CollectionRequests {
  static final String EXPIRED_LIST = "The resourceVersion for the provided list is too old.";
  static final String INCONSISTENT_CONTINUE =
      "The provided continue parameter is too old to display a consistent list result. You can"
          + " start a new list without the continue parameter, or use the continue token in this"
          + " response to retrieve the remainder of the results. Continuing with the provided token"
          + " results in an inconsistent list - objects that were created, modified, or deleted"
          + " between the time the first chunk was returned and now may show up in the list.";

  private final ObjectStore store;
  private final ControlPlaneSettings settings;
  private final InstanceRuntime instance;

  CollectionRequests(ObjectStore store, ControlPlaneSettings settings, InstanceRuntime instance) {
    this.store = store;
    this.settings = settings;
    this.instance = instance;
  }

  /** Parsed selectors of a request. */
  private record Selection(LabelSelector labels, FieldSelector fields) {
    boolean isEmpty() {
      return labels.isEmpty() && fields.isEmpty();
    }

    boolean matches(StoredObject o) {
      return labels.matches(o.labels()) && fields.matches(o.fields());
    }
  }

  private static Selection selection(Exchange ex, ApiPath path) {
    try {
      LabelSelector labels = LabelSelector.parse(ex.param("labelSelector"));
      String fieldParam = ex.param("fieldSelector");
      if (!path.name().isEmpty()) {
        String byName = "metadata.name=" + path.name();
        fieldParam =
            fieldParam == null || fieldParam.isEmpty() ? byName : fieldParam + "," + byName;
      }
      FieldSelector fields = FieldSelector.parse(fieldParam, path.type());
      return new Selection(labels, fields);
    } catch (SelectorException e) {
      throw Statuses.badRequest(e.getMessage());
    }
  }

  private static long parseVersion(String rv) {
    try {
      long v = Long.parseLong(rv);
      if (v < 0) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw Statuses.badRequest(
          "invalid resource version \""
              + rv
              + "\": resource version must be a"
              + " non-negative integer");
    }
  }

  private static long limit(Exchange ex) {
    String l = ex.param("limit");
    if (l == null || l.isEmpty()) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(l));
    } catch (NumberFormatException e) {
      throw Statuses.badRequest(
          "invalid value \""
              + l
              + "\" for limit: strconv.ParseInt: parsing \""
              + l
              + "\": invalid syntax");
    }
  }

  private static KubeApiException listOptionsInvalid(List<Cause> causes) {
    return Statuses.invalid("meta.k8s.io", "ListOptions", "", causes);
  }

  private static Cause forbidden(String field, String why) {
    return new Cause("FieldValueForbidden", "Forbidden: " + why, field);
  }

  private static Cause notSupported(String field, String value, List<String> supported) {
    StringBuilder sb =
        new StringBuilder("Unsupported value: \"" + value + "\": supported values: ");
    for (int i = 0; i < supported.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append('"').append(supported.get(i)).append('"');
    }
    return new Cause("FieldValueNotSupported", sb.toString(), field);
  }

  // ------------------------------------------------------------------ LIST

  void list(Exchange ex, ApiPath path) {
    Selection sel = selection(ex, path);
    String rv = ex.param("resourceVersion");
    String match = ex.param("resourceVersionMatch");
    String cont = ex.param("continue");
    List<Cause> causes = new ArrayList<>();
    if (match != null && !match.isEmpty()) {
      if (rv == null || rv.isEmpty()) {
        causes.add(
            forbidden(
                "resourceVersionMatch",
                "resourceVersionMatch is forbidden unless resourceVersion is provided"));
      }
      if (cont != null && !cont.isEmpty()) {
        causes.add(
            forbidden(
                "resourceVersionMatch",
                "resourceVersionMatch is forbidden when continue is provided"));
      }
      if (!match.equals("Exact") && !match.equals("NotOlderThan")) {
        causes.add(
            notSupported("resourceVersionMatch", match, List.of("Exact", "NotOlderThan", "")));
      }
      if (match.equals("Exact") && "0".equals(rv)) {
        causes.add(
            forbidden(
                "resourceVersionMatch",
                "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""));
      }
    }
    if (ex.param("sendInitialEvents") != null
        && settings.watchList() != WatchListSupport.UNKNOWN_TO_SERVER) {
      causes.add(forbidden("sendInitialEvents", "sendInitialEvents is forbidden for list"));
    }
    if (!causes.isEmpty()) {
      throw listOptionsInvalid(causes);
    }
    long limit = limit(ex);
    ResourceType type = path.type();
    String ns = path.namespace();
    if (cont != null && !cont.isEmpty()) {
      if (rv != null && !rv.isEmpty() && !rv.equals("0")) {
        throw Statuses.badRequest("specifying resource version is not allowed when using continue");
      }
      ContinueToken token = ContinueToken.decode(cont);
      if (!store.historyCovers(type, token.resourceVersion())) {
        ObjectStore.Snapshot now = store.latest(type, ns, token.startKey());
        String fresh = ContinueToken.after(now.resourceVersion(), token.startKey()).encode();
        throw Statuses.expiredContinue(INCONSISTENT_CONTINUE, fresh);
      }
      ObjectStore.Snapshot snap =
          store.at(type, ns, token.startKey(), token.resourceVersion(), INCONSISTENT_CONTINUE);
      answerPage(ex, path, sel, snap, limit);
      return;
    }
    if (rv == null || rv.isEmpty()) {
      answerPage(ex, path, sel, store.latest(type, ns, null), limit);
      return;
    }
    long version = parseVersion(rv);
    if (version == 0) {
      // Served from the watch cache, which does not paginate.
      answerPage(ex, path, sel, store.latest(type, ns, null), 0);
      return;
    }
    boolean exact = "Exact".equals(match) || ((match == null || match.isEmpty()) && limit > 0);
    VersionWait.await(
        ex,
        store,
        version,
        settings.tooLargeResourceVersionWait(),
        () -> {
          ObjectStore.Snapshot snap =
              exact
                  ? store.at(type, ns, null, version, EXPIRED_LIST)
                  : store.latest(type, ns, null);
          answerPage(ex, path, sel, snap, limit);
        },
        ex::fail);
  }

  private static void answerPage(
      Exchange ex, ApiPath path, Selection sel, ObjectStore.Snapshot snap, long limit) {
    List<StoredObject> all = snap.objects();
    List<StoredObject> page = new ArrayList<>();
    String continueToken = null;
    long remaining = -1;
    int i = 0;
    for (; i < all.size(); i++) {
      StoredObject o = all.get(i);
      if (limit > 0 && page.size() == limit) {
        break;
      }
      if (sel.matches(o)) {
        page.add(o);
      }
    }
    if (limit > 0 && page.size() == limit && i < all.size()) {
      String lastKey = page.get(page.size() - 1).key();
      continueToken = ContinueToken.after(snap.resourceVersion(), lastKey).encode();
      if (sel.isEmpty()) {
        remaining = all.size() - i;
      }
    }
    ex.json(
        200,
        ObjectEncoding.list(
            path.type().listKind(),
            path.type().apiVersion(),
            snap.resourceVersion(),
            continueToken,
            remaining,
            page));
  }

  // ------------------------------------------------------------------ DELETE collection

  void deleteCollection(Exchange ex, ApiPath path) {
    Selection sel = selection(ex, path);
    List<StoredObject> deleted =
        store.deleteCollection(path.type(), path.namespace(), sel::matches);
    ex.json(
        200,
        ObjectEncoding.list(
            path.type().listKind(),
            path.type().apiVersion(),
            store.resourceVersion(),
            null,
            -1,
            deleted));
  }

  // ------------------------------------------------------------------ WATCH

  void watch(Exchange ex, RequestDispatcher dispatcher, ApiPath path) {
    Selection sel = selection(ex, path);
    boolean oldServer = settings.watchList() == WatchListSupport.UNKNOWN_TO_SERVER;
    String rv = ex.param("resourceVersion");
    String match = oldServer ? null : ex.param("resourceVersionMatch");
    String sieParam = oldServer ? null : ex.param("sendInitialEvents");
    boolean bookmarks = ex.flag("allowWatchBookmarks");
    List<Cause> causes = new ArrayList<>();
    if (sieParam != null) {
      if (!"NotOlderThan".equals(match)) {
        causes.add(
            forbidden(
                "resourceVersionMatch",
                "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"));
      }
      if (settings.watchList() == WatchListSupport.DISABLED) {
        causes.add(
            forbidden(
                "sendInitialEvents",
                "sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled"));
      }
    }
    if (match != null && !match.isEmpty()) {
      if (sieParam == null) {
        causes.add(
            forbidden(
                "resourceVersionMatch",
                "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"));
      }
      if (!match.equals("NotOlderThan")) {
        causes.add(notSupported("resourceVersionMatch", match, List.of("NotOlderThan")));
      }
      String cont = ex.param("continue");
      if (cont != null && !cont.isEmpty()) {
        causes.add(
            forbidden(
                "resourceVersionMatch",
                "resourceVersionMatch is forbidden when continue is provided"));
      }
    }
    if (!causes.isEmpty()) {
      throw listOptionsInvalid(causes);
    }
    long version = rv == null || rv.isEmpty() ? -1 : parseVersion(rv);
    boolean sendInitial;
    boolean waitForVersion;
    if (sieParam != null) {
      sendInitial = isTrue(sieParam);
      waitForVersion = sendInitial && version > 0;
    } else {
      sendInitial = version <= 0;
      waitForVersion = version > 0;
    }
    boolean endBookmark = sendInitial && sieParam != null && bookmarks;
    WatchSession.Spec spec =
        new WatchSession.Spec(
            path.type(),
            path.namespace(),
            sel.labels(),
            sel.fields(),
            bookmarks,
            endBookmark,
            timeout(ex),
            settings.bookmarkInterval(),
            settings.watchQueueLimit());
    EventSink sink = openStream(ex, dispatcher);
    WatchSession session = new WatchSession(spec, sink, store, instance);
    dispatcher.session(session);
    long from =
        sieParam != null && !sendInitial && version <= 0 ? store.resourceVersion() : version;
    Runnable register =
        () -> {
          try {
            session.start(
                store.watch(path.type(), new ObjectStore.WatchStart(sendInitial, from), session));
          } catch (KubeApiException e) {
            session.failInStream(e);
          }
        };
    Duration delay = instance.responseDelay();
    Runnable begin =
        () -> {
          if (!ex.ctx.channel().isActive()) {
            return;
          }
          if (waitForVersion) {
            VersionWait.await(
                ex,
                store,
                version,
                settings.tooLargeResourceVersionWait(),
                register,
                session::failInStream);
          } else {
            register.run();
          }
        };
    if (delay.isZero()) {
      begin.run();
    } else {
      ex.ctx.executor().schedule(begin, delay.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private static boolean isTrue(String v) {
    return v.equals("true")
        || v.equals("1")
        || v.equalsIgnoreCase("t")
        || v.equals("TRUE")
        || v.equals("True");
  }

  private Duration timeout(Exchange ex) {
    String t = ex.param("timeoutSeconds");
    if (t != null && !t.isEmpty()) {
      try {
        long s = Long.parseLong(t);
        if (s > 0) {
          return Duration.ofSeconds(s);
        }
      } catch (NumberFormatException e) {
        throw Statuses.badRequest("invalid value \"" + t + "\" for timeoutSeconds");
      }
    }
    double factor = 1 + ThreadLocalRandom.current().nextDouble();
    return Duration.ofNanos((long) (settings.minRequestTimeout().toNanos() * factor));
  }

  /**
   * Sends the streaming response headers (or the WebSocket handshake) and returns the event sink.
   */
  private EventSink openStream(Exchange ex, RequestDispatcher dispatcher) {
    String upgrade = ex.header(HttpHeaderNames.UPGRADE);
    if (!ex.http2 && upgrade != null && upgrade.equalsIgnoreCase("websocket")) {
      String url = "wss://" + ex.header(HttpHeaderNames.HOST) + ex.request.uri();
      WebSocketServerHandshaker hs =
          new WebSocketServerHandshakerFactory(url, null, false, 1 << 20).newHandshaker(ex.request);
      if (hs == null) {
        throw Statuses.badRequest("unsupported WebSocket version");
      }
      ChannelPipeline p = ex.ctx.pipeline();
      if (p.get(HttpServerKeepAliveHandler.class) != null) {
        p.remove(HttpServerKeepAliveHandler.class);
      }
      HttpResponse headersForLog =
          new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
      ex.streamStarted(headersForLog);
      hs.handshake(ex.ctx.channel(), ex.request);
      dispatcher.webSocketOpened();
      return new EventSink.WebSocket(ex.ctx);
    }
    HttpResponse headers = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    Responses.standardHeaders(headers.headers(), Responses.JSON);
    if (!ex.http2) {
      HttpUtil.setTransferEncodingChunked(headers, true);
    }
    ex.streamStarted(headers);
    ex.ctx.writeAndFlush(headers);
    return new EventSink.Http(ex.ctx, ex.http2);
  }
}
