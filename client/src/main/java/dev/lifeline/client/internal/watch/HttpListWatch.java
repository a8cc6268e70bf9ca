package dev.lifeline.client.internal.watch;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.lifeline.client.KubeApiException;
import dev.lifeline.client.ResourceList;
import dev.lifeline.client.internal.codec.ListCodec;
import dev.lifeline.client.internal.codec.MetaCodec;
import dev.lifeline.client.internal.codec.StatusCodec;
import dev.lifeline.client.internal.http.ApiRequest;
import dev.lifeline.client.internal.http.Cancellation;
import dev.lifeline.client.internal.http.RequestExecutor;
import dev.lifeline.client.internal.json.Json;
import dev.lifeline.client.internal.json.ModelReader;
import dev.lifeline.client.internal.json.ObjectSchema;
import dev.lifeline.client.internal.json.PathTree;
import dev.lifeline.client.model.KubeObject;
import dev.lifeline.client.model.ObjectMeta;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

/** Lists and watches a resource collection over HTTP. */
public final class HttpListWatch<T extends KubeObject> implements ListWatch<T> {
  static final String INITIAL_EVENTS_END = "k8s.io/initial-events-end";

  private static final ObjectSchema<ObjectMeta> BOOKMARK =
      ObjectSchema.<ObjectMeta>builder("Bookmark", 1, s -> s.get(0))
          .object(
              0,
              "metadata",
              MetaCodec.META.project(PathTree.of(List.of("resourceVersion", "annotations"))))
          .build();

  private final RequestExecutor executor;
  private final List<String> collection;
  private final ModelReader<T> reader;
  private final String labelSelector;
  private final String fieldSelector;
  private final Cancellation cancellation = new Cancellation();

  /**
   * Lists and watches {@code collection} (the path segments of a resource in a namespace or all).
   *
   * @param reader decodes the objects (a projection, usually)
   */
  public HttpListWatch(
      RequestExecutor executor,
      List<String> collection,
      ModelReader<T> reader,
      String labelSelector,
      String fieldSelector) {
    this.executor = executor;
    this.collection = List.copyOf(collection);
    this.reader = reader;
    this.labelSelector = labelSelector;
    this.fieldSelector = fieldSelector;
  }

  @Override
  public ResourceList<T> list(String resourceVersion, String continueToken, long limit) {
    ApiRequest request =
        ApiRequest.of("GET", collection)
            .param("labelSelector", labelSelector)
            .param("fieldSelector", fieldSelector)
            .param("limit", limit > 0 ? limit : null)
            .param("continue", continueToken)
            .param("resourceVersion", continueToken == null ? resourceVersion : null);
    return executor.execute(
        request,
        body -> {
          try (JsonParser p = Json.parser(body.byteStream())) {
            p.nextToken();
            return ListCodec.read(p, reader);
          }
        },
        cancellation);
  }

  @Override
  public void cancel() {
    cancellation.cancel();
  }

  @Override
  public WatchStream<T> watch(WatchOptions options) {
    ApiRequest request =
        ApiRequest.of("GET", collection)
            .param("watch", "true")
            .param("labelSelector", labelSelector)
            .param("fieldSelector", fieldSelector)
            .param("allowWatchBookmarks", "true")
            .param("timeoutSeconds", options.timeoutSeconds())
            .param(
                "resourceVersion",
                options.resourceVersion().isEmpty() ? null : options.resourceVersion());
    if (options.sendInitialEvents()) {
      request =
          request.param("sendInitialEvents", "true").param("resourceVersionMatch", "NotOlderThan");
    }
    return new HttpWatchStream<>(executor.open(request, cancellation), reader, request.describe());
  }

  /** Decodes the events of one watch response: one JSON object per event. */
  static final class HttpWatchStream<T extends KubeObject> implements WatchStream<T> {
    private final RequestExecutor.Stream stream;
    private final ModelReader<T> reader;
    private final String request;
    private JsonParser parser;

    HttpWatchStream(RequestExecutor.Stream stream, ModelReader<T> reader, String request) {
      this.stream = stream;
      this.reader = reader;
      this.request = request;
    }

    @Override
    public WatchEvent<T> next() throws IOException {
      if (parser == null) {
        // Created here, not when opened: the parser reads ahead to detect the encoding, which
        // blocks until the
        // first event, and only a stream already handed out can be closed from another thread.
        parser = Json.parser(stream.response().body().byteStream());
      }
      return read(parser, reader, request);
    }

    @Override
    public void close() {
      stream.close();
    }
  }

  /** Reads the next event from {@code p}, or null at the end of the stream. */
  static <T extends KubeObject> WatchEvent<T> read(
      JsonParser p, ModelReader<T> reader, String request) throws IOException {
    JsonToken token = p.nextToken();
    if (token == null) {
      return null;
    }
    if (token != JsonToken.START_OBJECT) {
      throw new IOException(request + ": expected a watch event object, found " + token);
    }
    String type = null;
    WatchEvent<T> event = null;
    byte[] deferred = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      if (name.equals("type")) {
        type = p.getValueAsString();
      } else if (name.equals("object")) {
        if (type != null) {
          event = decode(p, type, reader, request);
        } else {
          // The object came before its type (the API server writes the type first, proxies may
          // not).
          ByteArrayOutputStream copy = new ByteArrayOutputStream();
          try (JsonGenerator g = Json.generator(copy)) {
            g.copyCurrentStructure(p);
          }
          deferred = copy.toByteArray();
        }
      } else {
        p.skipChildren();
      }
    }
    if (type == null) {
      throw new IOException(request + ": a watch event without a type");
    }
    if (event == null && deferred != null) {
      try (JsonParser q = Json.parser(deferred)) {
        q.nextToken();
        event = decode(q, type, reader, request);
      }
    }
    if (event == null) {
      throw new IOException(request + ": a " + type + " watch event without an object");
    }
    return event;
  }

  private static <T extends KubeObject> WatchEvent<T> decode(
      JsonParser p, String type, ModelReader<T> reader, String request) throws IOException {
    switch (type) {
      case "ADDED":
      case "MODIFIED":
      case "DELETED":
        T object = reader.read(p);
        return WatchEvent.of(
            WatchEvent.Type.valueOf(type), object, object.metadata().resourceVersion());
      case "BOOKMARK":
        ObjectMeta meta = BOOKMARK.read(p);
        return WatchEvent.bookmark(
            meta == null ? null : meta.resourceVersion(),
            meta != null && "true".equals(meta.annotations().get(INITIAL_EVENTS_END)));
      case "ERROR":
        StatusCodec.Status status = StatusCodec.SCHEMA.read(p);
        int code = status.code() == null ? 500 : status.code();
        KubeApiException error = status.toException(request, code, null);
        return WatchEvent.error(error);
      default:
        throw new IOException(request + ": unknown watch event type '" + type + "'");
    }
  }
}
