package dev.lifeline.testkit.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeline.testkit.internal.api.Statuses;
import dev.lifeline.testkit.internal.api.Statuses.Cause;
import dev.lifeline.testkit.internal.store.ObjectStore;
import dev.lifeline.testkit.internal.store.PodLogStore;
import dev.lifeline.testkit.internal.store.PodLogStore.Line;
import dev.lifeline.testkit.internal.store.StoredObject;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /api/v1/namespaces/{ns}/pods/{name}/log}: the apiserver's option validation and
 * container choice, then what the kubelet serves: the lines (after {@code tailLines}, then {@code
 * sinceSeconds}/{@code sinceTime}), optionally with RFC 3339 timestamps, cut at {@code limitBytes},
 * and with {@code follow} the lines appended later until the pod is deleted or the container
 * restarted. {@code text/plain}.
 */
final class PodLogRequests {
  static final String CONTENT_TYPE = "text/plain";

  private static final DateTimeFormatter RFC3339_NANO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.nnnnnnnnn'Z'").withZone(ZoneOffset.UTC);

  private final ObjectStore store;
  private final PodLogStore logs;
  private final Clock clock;

  PodLogRequests(ObjectStore store, PodLogStore logs) {
    this.store = store;
    this.logs = logs;
    this.clock = store.clock();
  }

  /** The options of a request, validated as {@code ValidatePodLogOptions} does. */
  private record Options(
      String container,
      boolean follow,
      boolean previous,
      boolean timestamps,
      Long tailLines,
      Long limitBytes,
      Long sinceSeconds,
      Instant sinceTime) {}

  void get(Exchange ex, ApiPath path) {
    Options o = options(ex, path.name());
    StoredObject pod =
        store
            .get(path.type(), path.namespace(), path.name())
            .orElseThrow(() -> Statuses.notFound("", "pods", path.name()));
    JsonNode tree = pod.toTree();
    String container = container(tree.path("spec"), o.container(), path.name());
    boolean scheduled = !tree.path("spec").path("nodeName").asText("").isEmpty();
    if (scheduled && !o.previous()) {
      waitingReason(tree.path("status"), container)
          .ifPresent(
              reason -> {
                throw Statuses.badRequest(
                    "container \""
                        + container
                        + "\" in pod \""
                        + path.name()
                        + "\" is waiting to start: "
                        + reason);
              });
    }
    boolean follow = o.follow() && !o.previous();
    FollowedLog followed = follow ? new FollowedLog(ex, o) : null;
    PodLogStore.Read read = logs.read(pod.uid(), container, o.previous(), followed);
    if (o.previous() && !read.exists()) {
      throw Statuses.badRequest(
          "previous terminated container \""
              + container
              + "\" in pod \""
              + path.name()
              + "\" not found");
    }
    List<Line> lines = select(read.lines(), o);
    if (followed == null) {
      ex.countInFlight();
      byte[] body = limit(format(lines, o.timestamps()), o.limitBytes());
      ex.respond(Responses.full(200, CONTENT_TYPE, Unpooled.wrappedBuffer(body)));
      return;
    }
    followed.start(lines, read.cancel());
    Optional<StoredObject> still = store.get(path.type(), path.namespace(), path.name());
    if (still.isEmpty() || !still.get().uid().equals(pod.uid())) {
      // Deleted between the read and the registration: the deletion's end was missed.
      followed.end();
    }
  }

  private static Options options(Exchange ex, String pod) {
    List<Cause> causes = new ArrayList<>();
    Long tail = number(ex, "tailLines");
    Long limit = number(ex, "limitBytes");
    Long sinceSeconds = number(ex, "sinceSeconds");
    String sinceTimeParam = ex.param("sinceTime");
    Instant sinceTime = null;
    if (sinceTimeParam != null && !sinceTimeParam.isEmpty()) {
      try {
        sinceTime = OffsetDateTime.parse(sinceTimeParam).toInstant();
      } catch (DateTimeParseException e) {
        throw Statuses.badRequest(
            "parsing time \"" + sinceTimeParam + "\" as \"2006-01-02T15:04:05Z07:00\": " + e);
      }
    }
    if (tail != null && tail < 0) {
      causes.add(invalid("tailLines", tail, "must be greater than or equal to 0"));
    }
    if (limit != null && limit < 1) {
      causes.add(invalid("limitBytes", limit, "must be greater than 0"));
    }
    if (sinceSeconds != null && sinceTime != null) {
      causes.add(
          new Cause(
              "FieldValueForbidden",
              "Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified",
              ""));
    }
    if (sinceSeconds != null && sinceSeconds < 1) {
      causes.add(invalid("sinceSeconds", sinceSeconds, "must be greater than 0"));
    }
    if (!causes.isEmpty()) {
      throw Statuses.invalid("", "PodLogOptions", pod, causes);
    }
    return new Options(
        ex.param("container"),
        ex.flag("follow"),
        ex.flag("previous"),
        ex.flag("timestamps"),
        tail,
        limit,
        sinceSeconds,
        sinceTime);
  }

  private static Cause invalid(String field, long value, String why) {
    return new Cause("FieldValueInvalid", "Invalid value: " + value + ": " + why, field);
  }

  private static Long number(Exchange ex, String name) {
    String v = ex.param(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw Statuses.badRequest("strconv.ParseInt: parsing \"" + v + "\": invalid syntax");
    }
  }

  /** The container the request means, as {@code LogLocation} chooses it. */
  private static String container(JsonNode spec, String asked, String pod) {
    List<String> all = PodLogStore.containerNames(spec);
    if (asked != null && !asked.isEmpty()) {
      if (!all.contains(asked)) {
        throw Statuses.badRequest("container " + asked + " is not valid for pod " + pod);
      }
      return asked;
    }
    List<String> main = names(spec.path("containers"));
    if (main.size() == 1) {
      return main.get(0);
    }
    if (main.isEmpty()) {
      throw Statuses.badRequest("a container name must be specified for pod " + pod);
    }
    StringBuilder msg =
        new StringBuilder("a container name must be specified for pod ")
            .append(pod)
            .append(", choose one of: [")
            .append(String.join(" ", main))
            .append(']');
    List<String> init = names(spec.path("initContainers"));
    if (!init.isEmpty()) {
      msg.append(" or one of the init containers: [").append(String.join(" ", init)).append(']');
    }
    List<String> ephemeral = names(spec.path("ephemeralContainers"));
    if (!ephemeral.isEmpty()) {
      msg.append(" or one of the ephemeral containers: [")
          .append(String.join(" ", ephemeral))
          .append(']');
    }
    throw Statuses.badRequest(msg.toString());
  }

  private static List<String> names(JsonNode containers) {
    List<String> out = new ArrayList<>();
    containers.forEach(c -> out.add(c.path("name").asText()));
    return out;
  }

  /** The waiting reason of the container's status, if it is waiting. */
  private static Optional<String> waitingReason(JsonNode status, String container) {
    for (String field :
        List.of("containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses")) {
      for (JsonNode s : status.path(field)) {
        if (s.path("name").asText().equals(container) && s.path("state").has("waiting")) {
          return Optional.of(s.path("state").path("waiting").path("reason").asText(""));
        }
      }
    }
    return Optional.empty();
  }

  /** The kubelet's order: the tail of the log first, then the lines not older than since. */
  private List<Line> select(List<Line> all, Options o) {
    List<Line> tail = all;
    if (o.tailLines() != null && o.tailLines() < all.size()) {
      tail = all.subList(all.size() - (int) (long) o.tailLines(), all.size());
    }
    Instant since = o.sinceTime();
    if (o.sinceSeconds() != null) {
      since = clock.instant().minusSeconds(o.sinceSeconds());
    }
    if (since == null) {
      return tail;
    }
    List<Line> out = new ArrayList<>();
    for (Line l : tail) {
      if (!l.time().isBefore(since)) {
        out.add(l);
      }
    }
    return out;
  }

  private static byte[] format(List<Line> lines, boolean timestamps) {
    StringBuilder sb = new StringBuilder();
    for (Line l : lines) {
      sb.append(format(l, timestamps));
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String format(Line l, boolean timestamps) {
    return timestamps ? timestamp(l.time()) + " " + l.text() + "\n" : l.text() + "\n";
  }

  /** Go's RFC3339Nano: nanoseconds without trailing zeros, no fraction when zero. */
  static String timestamp(Instant t) {
    String s = RFC3339_NANO.format(t);
    int dot = s.indexOf('.');
    int end = s.length() - 1;
    while (end > dot + 1 && s.charAt(end - 1) == '0') {
      end--;
    }
    if (end == dot + 1 && s.charAt(dot + 1) == '0') {
      return s.substring(0, dot) + "Z";
    }
    return s.substring(0, end) + "Z";
  }

  private static byte[] limit(byte[] body, Long limitBytes) {
    if (limitBytes == null || body.length <= limitBytes) {
      return body;
    }
    byte[] cut = new byte[(int) (long) limitBytes];
    System.arraycopy(body, 0, cut, 0, cut.length);
    return cut;
  }

  /** A followed log: the selected lines, then each appended line, on the channel's event loop. */
  private static final class FollowedLog implements PodLogStore.Follower {
    private final Exchange ex;
    private final Options options;
    private final EventLoop loop;
    private Runnable cancel = () -> {};
    private long written;
    private boolean ended;

    FollowedLog(Exchange ex, Options options) {
      this.ex = ex;
      this.options = options;
      this.loop = ex.ctx.channel().eventLoop();
    }

    void start(List<Line> initial, Runnable cancel) {
      this.cancel = cancel;
      HttpResponse headers = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
      Responses.standardHeaders(headers.headers(), CONTENT_TYPE);
      if (!ex.http2) {
        HttpUtil.setTransferEncodingChunked(headers, true);
      }
      ex.streamStarted(headers);
      ex.ctx.write(headers);
      for (Line l : initial) {
        write(l);
      }
      ex.ctx.flush();
      ex.ctx.channel().closeFuture().addListener(f -> loop.execute(this::clientGone));
    }

    @Override
    public void line(Line line) {
      loop.execute(
          () -> {
            write(line);
            ex.ctx.flush();
          });
    }

    @Override
    public void end() {
      loop.execute(this::finish);
    }

    private void write(Line l) {
      if (ended) {
        return;
      }
      byte[] b = format(l, options.timestamps()).getBytes(StandardCharsets.UTF_8);
      Long limit = options.limitBytes();
      boolean last = false;
      if (limit != null && written + b.length >= limit) {
        b = java.util.Arrays.copyOf(b, (int) (limit - written));
        last = true;
      }
      written += b.length;
      ByteBuf buf = Unpooled.wrappedBuffer(b);
      ex.ctx.write(new DefaultHttpContent(buf));
      if (last) {
        finish();
      }
    }

    private void finish() {
      if (ended) {
        return;
      }
      ended = true;
      cancel.run();
      ex.ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    private void clientGone() {
      ended = true;
      cancel.run();
    }
  }
}
