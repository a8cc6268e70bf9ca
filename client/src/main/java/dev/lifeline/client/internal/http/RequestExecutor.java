package dev.lifeline.client.internal.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.lifeline.client.KubeApiException;
import dev.lifeline.client.KubeException;
import dev.lifeline.client.internal.codec.StatusCodec;
import dev.lifeline.client.internal.json.Json;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * Sends {@link ApiRequest}s: builds the URL below the server's, retries as the {@link RetryPolicy}
 * says, and turns error answers into {@link KubeApiException}s (a {@code Status} body decoded; any
 * other body kept as a short excerpt). Thread-safe.
 */
public final class RequestExecutor {
  private static final int ERROR_BODY_LIMIT = 64 * 1024;
  private static final int EXCERPT_LENGTH = 200;

  /** Reads a successful response's body. */
  @FunctionalInterface
  public interface BodyReader<R> {
    /** Reads the body (closed by the caller). */
    R read(ResponseBody body) throws IOException;
  }

  /** Waits between attempts; replaced in tests so that they never sleep. */
  @FunctionalInterface
  public interface Sleeper {
    /** Waits {@code delay}. */
    void sleep(Duration delay) throws InterruptedException;
  }

  /** An open streaming response and its call (close it to stop it from any thread). */
  public record Stream(Call call, Response response, Cancellation cancellation)
      implements AutoCloseable {
    @Override
    public void close() {
      call.cancel();
      response.close();
      cancellation.untrack(call);
    }
  }

  private final OkHttpClient client;
  private final OkHttpClient streamingClient;
  private final HttpUrl base;
  private final RetryPolicy retries;
  private final Sleeper sleeper;
  private final LongSupplier nanoTime;
  private final String serverName;
  private final long headersTimeoutMillis;

  /**
   * An executor.
   *
   * @param client the transport for ordinary requests
   * @param base the server URL (any path is kept as a prefix)
   * @param serverName the name the server's certificate is verified against, for messages
   */
  public RequestExecutor(
      OkHttpClient client,
      HttpUrl base,
      RetryPolicy retries,
      Sleeper sleeper,
      LongSupplier nanoTime,
      String serverName) {
    this.client = client;
    // Watches and followed logs may be quiet for minutes: no read timeout; HTTP/2 pings and
    // the server's timeoutSeconds end dead or forgotten streams.
    this.streamingClient = client.newBuilder().readTimeout(Duration.ZERO).build();
    // ...but the answer's headers must come as soon as an ordinary request's would: without a read
    // timeout, OkHttp would wait forever in a TLS handshake or for headers that never come (a
    // half-dead server, a connection blackholed before HTTP/2 pings start).
    this.headersTimeoutMillis =
        client.readTimeoutMillis() == 0
            ? 0
            : (long) client.connectTimeoutMillis() + client.readTimeoutMillis();
    this.base = base;
    this.retries = retries;
    this.sleeper = sleeper;
    this.nanoTime = nanoTime;
    this.serverName = serverName;
  }

  /** The transport for ordinary requests. */
  public OkHttpClient client() {
    return client;
  }

  /**
   * Sends {@code request} (retrying as allowed) and reads the successful answer's body.
   *
   * @throws KubeApiException for an error answer (earlier attempts suppressed)
   * @throws KubeException when no answer came
   */
  public <R> R execute(ApiRequest request, BodyReader<R> reader) {
    return execute(request, reader, Cancellation.NONE);
  }

  /**
   * Sends {@code request} as {@link #execute(ApiRequest, BodyReader)} does, stopping at once when
   * {@code cancellation} is cancelled (the call is cancelled, a retry wait ends).
   */
  public <R> R execute(ApiRequest request, BodyReader<R> reader, Cancellation cancellation) {
    long start = nanoTime.getAsLong();
    KubeException previous = null;
    for (int attempt = 1; ; attempt++) {
      RequestSent sent = new RequestSent();
      Call call = client.newCall(toHttp(request, sent));
      cancellation.track(call);
      Duration wait;
      KubeException failure;
      try (Response response = call.execute()) {
        if (response.isSuccessful()) {
          try {
            return reader.read(response.body());
          } catch (IOException e) {
            // The answer started but broke off: only a read may be repeated.
            failure = failure(request, e);
            wait =
                RetryPolicy.isIdempotent(request.method())
                    ? retries.afterFailure(attempt, request.method(), true, elapsed(start), e)
                    : null;
          }
        } else {
          KubeApiException error = error(request, response);
          failure = error;
          wait =
              retries.afterStatus(
                  attempt,
                  request.method(),
                  error.code(),
                  error.retryAfter().orElse(null),
                  elapsed(start));
        }
      } catch (IOException e) {
        if (isInterruption(e, call)) {
          throw interrupted(request, e, previous);
        }
        failure = failure(request, e);
        wait = retries.afterFailure(attempt, request.method(), sent.isSent(), elapsed(start), e);
      } finally {
        cancellation.untrack(call);
      }
      if (previous != null) {
        failure.addSuppressed(previous);
      }
      if (wait == null) {
        throw failure;
      }
      previous = failure;
      try {
        if (cancellation == Cancellation.NONE) {
          sleeper.sleep(wait);
        } else if (!cancellation.await(wait)) {
          throw interrupted(request, new java.io.InterruptedIOException("canceled"), failure);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        KubeException stop =
            new KubeException(request.describe() + ": interrupted while retrying", e);
        stop.addSuppressed(failure);
        throw stop;
      }
    }
  }

  /**
   * Opens a streaming request (a watch, a followed log) without retrying: the caller owns
   * reconnection.
   *
   * @throws KubeApiException for an error answer
   * @throws KubeException when no answer came
   */
  public Stream open(ApiRequest request) {
    return open(request, Cancellation.NONE);
  }

  /**
   * Opens a streaming request as {@link #open(ApiRequest)} does; {@code cancellation} may cancel
   * it.
   */
  public Stream open(ApiRequest request, Cancellation cancellation) {
    Call call = streamingClient.newCall(toHttp(request, new RequestSent()));
    cancellation.track(call);
    CompletableFuture<Void> headers = new CompletableFuture<>();
    if (headersTimeoutMillis > 0) {
      headers
          .orTimeout(headersTimeoutMillis, TimeUnit.MILLISECONDS)
          .whenComplete(
              (ignored, timeout) -> {
                if (timeout != null) {
                  call.cancel();
                }
              });
    }
    Response response;
    try {
      response = call.execute();
    } catch (IOException e) {
      cancellation.untrack(call);
      if (!headers.complete(null)
          && !cancellation.isCancelled()
          && !Thread.currentThread().isInterrupted()) {
        throw noHeaders(request, e);
      }
      if (isInterruption(e, call)) {
        throw interrupted(request, e, null);
      }
      throw failure(request, e);
    }
    if (!headers.complete(null)) {
      // The deadline passed just as the headers came: the call is canceled already.
      cancellation.untrack(call);
      response.close();
      throw noHeaders(request, null);
    }
    if (!response.isSuccessful()) {
      cancellation.untrack(call);
      try (response) {
        throw error(request, response);
      }
    }
    return new Stream(call, response, cancellation);
  }

  private KubeException noHeaders(ApiRequest request, IOException e) {
    return new KubeException(
        request.describe()
            + ": no answer within "
            + headersTimeoutMillis
            + " ms (connect and read timeouts); the server or the connection to it is stuck",
        e);
  }

  private static boolean isInterruption(IOException e, Call call) {
    return call.isCanceled()
        || Thread.currentThread().isInterrupted()
        || (e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException));
  }

  private static KubeException interrupted(
      ApiRequest request, IOException e, KubeException previous) {
    KubeException stop = new KubeException(request.describe() + ": canceled", e);
    if (previous != null) {
      stop.addSuppressed(previous);
    }
    return stop;
  }

  private KubeException failure(ApiRequest request, IOException e) {
    return new KubeException(request.describe() + ": " + reason(e), e);
  }

  /** What went wrong, on one line, in terms of the configuration when TLS is at fault. */
  private String reason(IOException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    String firstLine = message.lines().findFirst().orElse(message).strip();
    if (e instanceof javax.net.ssl.SSLPeerUnverifiedException) {
      return "the server's certificate is not valid for "
          + serverName
          + "; set tls-server-name to a name it covers, or fix the certificate ("
          + firstLine
          + ")";
    }
    if (e instanceof javax.net.ssl.SSLHandshakeException
        && message.contains("PKIX path building failed")) {
      return "the server's certificate is not issued by a trusted CA; check certificate-authority ("
          + firstLine
          + ")";
    }
    return firstLine;
  }

  private Duration elapsed(long start) {
    return Duration.ofNanos(nanoTime.getAsLong() - start);
  }

  /** The HTTP request for {@code request}. */
  public Request toHttp(ApiRequest request, RequestSent sent) {
    HttpUrl.Builder url = base.newBuilder();
    for (String segment : request.segments()) {
      url.addPathSegment(segment);
    }
    for (int i = 0; i < request.query().size(); i += 2) {
      url.addQueryParameter(request.query().get(i), request.query().get(i + 1));
    }
    RequestBody body =
        request.body() == null ? null : RequestBody.create(request.body(), request.contentType());
    if (body == null && requiresBody(request.method())) {
      body = RequestBody.create(new byte[0], null);
    }
    return new Request.Builder()
        .url(url.build())
        .method(request.method(), body)
        .header("Accept", request.accept())
        .tag(RequestSent.class, sent)
        .build();
  }

  private static boolean requiresBody(String method) {
    return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
  }

  /** The exception for an error answer (reads at most 64 KiB of its body). */
  public static KubeApiException error(ApiRequest request, Response response) {
    Duration retryAfter = retryAfter(response.header("Retry-After"));
    byte[] body = new byte[0];
    try {
      BufferedSource source = response.body().source();
      source.request(ERROR_BODY_LIMIT);
      body =
          source.getBuffer().readByteArray(Math.min(source.getBuffer().size(), ERROR_BODY_LIMIT));
    } catch (IOException e) {
      // Keep what arrived; the status code still says what happened.
    }
    StatusCodec.Status status = parseStatus(body);
    if (status != null && status.isStatus()) {
      return status.toException(request.describe(), response.code(), retryAfter);
    }
    return new KubeApiException(
        request.describe(), response.code(), null, null, null, retryAfter, excerpt(body));
  }

  private static StatusCodec.Status parseStatus(byte[] body) {
    if (body.length == 0 || body[0] != '{') {
      return null;
    }
    try (JsonParser p = Json.parser(body)) {
      return p.nextToken() == JsonToken.START_OBJECT ? StatusCodec.SCHEMA.read(p) : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** The start of a body on one line, without control characters. */
  static String excerpt(byte[] body) {
    String text =
        new String(body, 0, Math.min(body.length, 4 * EXCERPT_LENGTH), StandardCharsets.UTF_8);
    String line =
        text.replaceAll("<[^>]*>", " ")
            .replaceAll("\\p{Cntrl}", " ")
            .replaceAll("\\s+", " ")
            .strip();
    return line.length() > EXCERPT_LENGTH ? line.substring(0, EXCERPT_LENGTH) + "…" : line;
  }

  /** Retry-After in seconds, as client-go reads it; null when absent or not a number. */
  static Duration retryAfter(String header) {
    if (header == null) {
      return null;
    }
    try {
      int seconds = Integer.parseInt(header.trim());
      return seconds >= 0 ? Duration.ofSeconds(seconds) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
