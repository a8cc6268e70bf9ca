package dev.lifeline.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A small raw HTTP client for the testkit's own tests (JDK HttpClient, HTTP/2 by ALPN). */
final class KubeHttp implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client;
  private final URI base;
  private final String token;

  KubeHttp(FakeControlPlane cp, int instance, String token) {
    this(cp, cp.instance(instance).url(), token, HttpClient.Version.HTTP_2);
  }

  KubeHttp(FakeControlPlane cp, URI base, String token, HttpClient.Version version) {
    this.base = base;
    this.token = token;
    this.client =
        HttpClient.newBuilder()
            .version(version)
            .sslContext(sslContext(cp))
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  static SSLContext sslContext(FakeControlPlane cp) {
    try {
      KeyStore trust = cp.ca().trustStore();
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  record Response(int code, String body, HttpResponse<String> raw) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }

    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    String protocol() {
      return raw.version() == HttpClient.Version.HTTP_2 ? "h2" : "http/1.1";
    }
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(20));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  Response get(String path) {
    return send(request(path).GET().build());
  }

  Response send(String method, String path, String contentType, String body) {
    HttpRequest.Builder b = request(path);
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return send(b.build());
  }

  Response post(String path, String json) {
    return send("POST", path, "application/json", json);
  }

  Response put(String path, String json) {
    return send("PUT", path, "application/json", json);
  }

  Response delete(String path) {
    return send("DELETE", path, null, null);
  }

  Response send(HttpRequest r) {
    try {
      HttpResponse<String> resp = client.send(r, HttpResponse.BodyHandlers.ofString());
      return new Response(resp.statusCode(), resp.body(), resp);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A streaming watch: lines arrive in a queue; {@link Watch#close()} cancels. */
  Watch watch(String pathAndQuery) {
    try {
      HttpResponse<InputStream> resp =
          client.send(
              request(pathAndQuery).timeout(Duration.ofMinutes(5)).GET().build(),
              HttpResponse.BodyHandlers.ofInputStream());
      return new Watch(resp);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static final class Watch implements AutoCloseable {
    final int code;
    private final InputStream in;
    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    private volatile boolean ended;
    private final Thread reader;

    Watch(HttpResponse<InputStream> resp) {
      this.code = resp.statusCode();
      this.in = resp.body();
      this.reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = r.readLine()) != null) {
                    if (!line.isBlank()) {
                      events.add(JSON.readTree(line));
                    }
                  }
                } catch (IOException closed) {
                  // Cancelled or reset.
                } finally {
                  ended = true;
                }
              },
              "test-watch-reader");
      reader.setDaemon(true);
      reader.start();
    }

    /** The next event, or null when none came within the timeout or the stream ended. */
    JsonNode next(Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        JsonNode e = events.poll(20, TimeUnit.MILLISECONDS);
        if (e != null) {
          return e;
        }
        if (ended) {
          return events.poll();
        }
      }
      return null;
    }

    List<JsonNode> drained() {
      List<JsonNode> out = new ArrayList<>();
      events.drainTo(out);
      return out;
    }

    /** Waits for the server to end the stream and returns the events not taken yet. */
    List<JsonNode> rest(Duration timeout) throws InterruptedException {
      reader.join(timeout.toMillis());
      if (reader.isAlive()) {
        throw new AssertionError("the watch did not end within " + timeout);
      }
      return drained();
    }

    boolean isEnded() {
      return ended && events.isEmpty();
    }

    boolean hasEnded() {
      return ended;
    }

    @Override
    public void close() {
      try {
        in.close();
      } catch (IOException ignored) {
        // Closing a cancelled stream.
      }
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
